public import Foundation
public import Identifiers

/// Two customers that may be one person, recorded when a link was refused because it would have
/// joined them. Merging them is an admin's decision.
public struct DuplicateCandidate: Sendable, Codable, Equatable {
    /// The lesser of the two ids, so that a pair is recorded once.
    public var first: CustomerID
    public var second: CustomerID
    /// The kind of the identifier that both claimed.
    public var kind: IdentifierKind
    public var firstSeen: Date
    public var lastSeen: Date
    /// How many refused links pointed at this pair.
    public var occurrences: Int

    public init(first: CustomerID, second: CustomerID, kind: IdentifierKind, firstSeen: Date, lastSeen: Date, occurrences: Int) {
        self.first = first
        self.second = second
        self.kind = kind
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.occurrences = occurrences
    }

    enum CodingKeys: String, CodingKey {
        case first, second, kind
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case occurrences
    }
}
