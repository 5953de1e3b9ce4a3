import Foundation

/// What a merge changed, kept so that an unmerge can restore both customers exactly.
///
/// Holds identifiers and profile data: personal data that erasure deletes.
public struct MergeSnapshot: Sendable, Codable, Equatable {
    /// The duplicate's links as they were before the merge, provenance included.
    public var movedLinks: [Link]
    /// The survivor's profile before the merge.
    public var survivorProfile: Profile
    /// The duplicate's profile before the merge.
    public var duplicateProfile: Profile
    /// Profile fields (JSON names) that the survivor lacked and took from the duplicate.
    public var filledFields: [String]
    /// Customers merged into the duplicate earlier, re-pointed to the survivor so that chains
    /// collapse; an unmerge points them back.
    public var redirected: [CustomerID]

    public init(movedLinks: [Link], survivorProfile: Profile, duplicateProfile: Profile, filledFields: [String], redirected: [CustomerID]) {
        self.movedLinks = movedLinks
        self.survivorProfile = survivorProfile
        self.duplicateProfile = duplicateProfile
        self.filledFields = filledFields
        self.redirected = redirected
    }

    enum CodingKeys: String, CodingKey {
        case movedLinks = "moved_links"
        case survivorProfile = "survivor_profile"
        case duplicateProfile = "duplicate_profile"
        case filledFields = "filled_fields"
        case redirected
    }
}
