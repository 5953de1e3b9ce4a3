/// What merging `duplicate` into `survivor` does, decided from what the store holds now.
///
/// Pure, like ``LinkDecision``: every backend reads both customers inside its transaction, asks
/// this, and applies the answer, so a dry run and the real merge agree.
public struct MergePlan: Sendable, Equatable, Codable {
    public var survivor: CustomerID
    public var duplicate: CustomerID
    /// The survivor's links after the merge: its own, then the duplicate's.
    public var resultingLinks: [Link]
    /// The survivor's profile after the merge: its own fields, gaps filled from the duplicate's.
    public var resultingProfile: Profile
    /// What an unmerge needs (the store adds the redirected ids).
    public var snapshot: MergeSnapshot

    /// - Throws: `.sameCustomer` when both are one customer, `.limitExceeded` when the survivor
    ///   would hold more identifiers of a kind than policy allows.
    public static func plan(survivor: Customer, duplicate: Customer, rules: GraphRules) throws(IdentityGraphError) -> MergePlan {
        guard survivor.id != duplicate.id else { throw .sameCustomer(survivor.id) }
        var identifiers = survivor.links.map(\.identifier)
        for link in duplicate.links {
            try rules.checkLimit(adding: link.identifier, to: identifiers)
            identifiers.append(link.identifier)
        }
        var profile = survivor.profile
        var filled: [String] = []
        for field in Profile.Field.allCases where profile[field: field] == nil {
            if let value = duplicate.profile[field: field] {
                profile[field: field] = value
                filled.append(field.rawValue)
            }
        }
        let moved = duplicate.links.map { link in
            Link(identifier: link.identifier, customerID: survivor.id, provenance: link.provenance)
        }
        return MergePlan(
            survivor: survivor.id, duplicate: duplicate.id, resultingLinks: survivor.links + moved, resultingProfile: profile,
            snapshot: MergeSnapshot(movedLinks: duplicate.links, survivorProfile: survivor.profile, duplicateProfile: duplicate.profile,
                                    filledFields: filled, redirected: [])
        )
    }

    enum CodingKeys: String, CodingKey {
        case survivor, duplicate
        case resultingLinks = "resulting_links"
        case resultingProfile = "resulting_profile"
        case snapshot
    }
}

extension Profile {
    /// The fields a merge fills in and an unmerge clears, by JSON name.
    enum Field: String, CaseIterable, Sendable {
        case givenName = "given_name", familyName = "family_name", birthdate, postalCode = "postal_code", country, locale
    }

    subscript(field field: Field) -> String? {
        get {
            switch field {
            case .givenName: givenName
            case .familyName: familyName
            case .birthdate: birthdate
            case .postalCode: postalCode
            case .country: country
            case .locale: locale
            }
        }
        set {
            switch field {
            case .givenName: givenName = newValue
            case .familyName: familyName = newValue
            case .birthdate: birthdate = newValue
            case .postalCode: postalCode = newValue
            case .country: country = newValue
            case .locale: locale = newValue
            }
        }
    }
}
