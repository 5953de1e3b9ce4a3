public import Foundation
public import Identifiers

/// Filters for reviewing the link log; every one given must match.
public struct LinkLogQuery: Sendable, Equatable {
    /// Entries naming this customer on either side (a merge, a move).
    public var customer: CustomerID?
    /// Entries about this identifier, whoever held it (found through the lookup hashes kept
    /// beside the log; none once the holder was erased).
    public var identifier: Identifier?
    public var actor: String?
    public var action: LinkLogAction?
    /// At or after.
    public var since: Date?
    /// Before.
    public var until: Date?

    public init(
        customer: CustomerID? = nil, identifier: Identifier? = nil, actor: String? = nil, action: LinkLogAction? = nil,
        since: Date? = nil, until: Date? = nil
    ) {
        self.customer = customer
        self.identifier = identifier
        self.actor = actor
        self.action = action
        self.since = since
        self.until = until
    }
}

/// A link-log entry with its readable detail, for review. `detail` is `nil` for entries without
/// one and for every entry of an erased customer.
public struct ReviewedLogEntry: Sendable, Equatable, Codable {
    public var entry: LinkLogEntry
    public var detail: LinkLogDetail?

    public init(entry: LinkLogEntry, detail: LinkLogDetail?) {
        self.entry = entry
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case detail
    }

    public init(from decoder: any Decoder) throws {
        entry = try LinkLogEntry(from: decoder)
        detail = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(LinkLogDetail.self, forKey: .detail)
    }

    public func encode(to encoder: any Encoder) throws {
        try entry.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(detail, forKey: .detail)
    }
}
