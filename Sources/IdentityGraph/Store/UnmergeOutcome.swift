public import Identifiers

/// What an unmerge did.
public struct UnmergeOutcome: Sendable, Equatable {
    /// The merge, now undone.
    public var merge: MergeRecord
    /// Links given back to the duplicate, with their pre-merge provenance.
    public var restored: [Link]
    /// Links the survivor gained after the merge that moved to the duplicate on request.
    public var moved: [Link]
    /// Identifiers the duplicate had before the merge that the survivor no longer held.
    public var missing: [Identifier]

    public init(merge: MergeRecord, restored: [Link], moved: [Link], missing: [Identifier]) {
        self.merge = merge
        self.restored = restored
        self.moved = moved
        self.missing = missing
    }
}
