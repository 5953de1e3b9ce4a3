public import Foundation

/// Where a link came from: the channel that made it, how strongly, and when.
public struct Provenance: Sendable, Codable, Equatable {
    /// The channel (OAuth client id) that created or last raised the link.
    public var channel: String
    public var assurance: Assurance
    public var linkedAt: Date

    public init(channel: String, assurance: Assurance, linkedAt: Date) {
        self.channel = channel
        self.assurance = assurance
        self.linkedAt = linkedAt
    }

    enum CodingKeys: String, CodingKey {
        case channel, assurance
        case linkedAt = "linked_at"
    }
}
