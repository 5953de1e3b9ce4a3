public import Foundation
public import Identifiers

/// One entry of the append-only link log. Identifier values appear only as keyed hashes.
public struct LinkLogEntry: Sendable, Codable, Equatable {
    /// Gap-free, starting at 1, assigned by the store in commit order.
    public var sequence: Int64
    public var record: LinkLogRecord

    public init(sequence: Int64, record: LinkLogRecord) {
        self.sequence = sequence
        self.record = record
    }

    enum CodingKeys: String, CodingKey {
        case sequence
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.sequence = try container.decode(Int64.self, forKey: .sequence)
        self.record = try LinkLogRecord(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sequence, forKey: .sequence)
        try record.encode(to: encoder)
    }
}

/// The content of a link-log entry, before the store gives it a sequence number.
public struct LinkLogRecord: Sendable, Codable, Equatable {
    public var time: Date
    /// Who made the change: a channel (client id), later also an admin operator.
    public var actor: String
    public var action: LinkLogAction
    public var customerID: CustomerID
    public var identifierKind: IdentifierKind?
    public var namespace: String?
    /// HMAC-SHA-256 of the identifier under the log key, base64url without padding.
    public var valueHash: String?
    public var assurance: Assurance?
    public var reason: String?
    /// The person behind an admin change (the channel is `actor`).
    public var operatorName: String?
    /// The other customer of a merge, unmerge or move.
    public var relatedCustomerID: CustomerID?
    /// The merge a `merged` or `unmerged` entry (or a move during an unmerge) belongs to.
    public var mergeID: MergeID?

    public init(
        time: Date, actor: String, action: LinkLogAction, customerID: CustomerID,
        identifierKind: IdentifierKind? = nil, namespace: String? = nil, valueHash: String? = nil,
        assurance: Assurance? = nil, reason: String? = nil, operatorName: String? = nil,
        relatedCustomerID: CustomerID? = nil, mergeID: MergeID? = nil
    ) {
        self.operatorName = operatorName
        self.relatedCustomerID = relatedCustomerID
        self.mergeID = mergeID
        self.time = time
        self.actor = actor
        self.action = action
        self.customerID = customerID
        self.identifierKind = identifierKind
        self.namespace = namespace
        self.valueHash = valueHash
        self.assurance = assurance
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case time, actor, action
        case customerID = "customer_id"
        case identifierKind = "kind"
        case namespace
        case valueHash = "value_hash"
        case assurance, reason
        case operatorName = "operator"
        case relatedCustomerID = "related_customer_id"
        case mergeID = "merge_id"
    }
}
