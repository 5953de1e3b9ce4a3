public import Foundation

/// A customer: one person as Solmu knows them, with every identifier linked to them.
public struct Customer: Sendable, Codable, Equatable {
    public var id: CustomerID
    public var createdAt: Date
    public var profile: Profile
    public var links: [Link]

    public init(id: CustomerID, createdAt: Date, profile: Profile, links: [Link]) {
        self.id = id
        self.createdAt = createdAt
        self.profile = profile
        self.links = links
    }

    enum CodingKeys: String, CodingKey {
        case id
        case createdAt = "created_at"
        case profile
        case links
    }
}
