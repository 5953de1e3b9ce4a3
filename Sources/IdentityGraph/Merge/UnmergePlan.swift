public import Identifiers

/// What undoing a merge does, decided from the merge's snapshot and the survivor as it is now.
///
/// The duplicate gets back every link it had before the merge that the survivor still holds,
/// with its original provenance, and its own profile. Identifiers the survivor gained after the
/// merge stay with it unless listed in `moving`. Profile fields the merge filled in are cleared
/// again where the survivor still has the filled-in value.
public struct UnmergePlan: Sendable, Equatable {
    public var merge: MergeID
    public var survivor: CustomerID
    public var duplicate: CustomerID
    /// Links that go back to the duplicate, with the provenance they had before the merge.
    public var restored: [Link]
    /// Links the survivor gained after the merge that move to the duplicate on request.
    public var moved: [Link]
    /// Identifiers the duplicate had that the survivor no longer holds (unlinked or moved since);
    /// they cannot be restored.
    public var missing: [Identifier]
    public var survivorProfile: Profile
    public var duplicateProfile: Profile
    public var redirected: [CustomerID]

    /// - Parameters:
    ///   - survivorNow: the survivor as it is now.
    ///   - moving: identifiers gained after the merge to give to the duplicate too.
    /// - Throws: `.mergeUndone`, `.mergeErased`, `.linkNotFound` for a `moving` identifier the
    ///   survivor does not hold, `.limitExceeded` when the duplicate would break a limit.
    public static func plan(
        merge: MergeRecord, survivorNow: Customer, moving: [Identifier], rules: GraphRules
    ) throws(IdentityGraphError) -> UnmergePlan {
        switch merge.state {
        case .active: break
        case .undone: throw .mergeUndone(merge.id)
        case .erased: throw .mergeErased(merge.id)
        }
        guard let snapshot = merge.snapshot else { throw .mergeErased(merge.id) }
        let held = Dictionary(survivorNow.links.map { ($0.identifier, $0) }, uniquingKeysWith: { first, _ in first })
        var restored: [Link] = []
        var missing: [Identifier] = []
        for link in snapshot.movedLinks {
            if held[link.identifier] != nil {
                restored.append(Link(identifier: link.identifier, customerID: merge.duplicate, provenance: link.provenance))
            } else {
                missing.append(link.identifier)
            }
        }
        let restoredIdentifiers = Set(restored.map(\.identifier))
        var moved: [Link] = []
        var duplicateIdentifiers = restored.map(\.identifier)
        for identifier in moving where !restoredIdentifiers.contains(identifier) {
            guard let link = held[identifier] else {
                throw .linkNotFound(kind: identifier.kind, namespace: identifier.namespace)
            }
            guard !moved.contains(where: { $0.identifier == identifier }) else { continue }
            try rules.checkLimit(adding: identifier, to: duplicateIdentifiers)
            duplicateIdentifiers.append(identifier)
            moved.append(Link(identifier: identifier, customerID: merge.duplicate, provenance: link.provenance))
        }
        var survivorProfile = survivorNow.profile
        for field in Profile.Field.allCases where snapshot.filledFields.contains(field.rawValue) {
            if survivorProfile[field: field] == snapshot.duplicateProfile[field: field] {
                survivorProfile[field: field] = snapshot.survivorProfile[field: field]
            }
        }
        return UnmergePlan(
            merge: merge.id, survivor: merge.survivor, duplicate: merge.duplicate, restored: restored, moved: moved,
            missing: missing, survivorProfile: survivorProfile, duplicateProfile: snapshot.duplicateProfile,
            redirected: snapshot.redirected
        )
    }
}
