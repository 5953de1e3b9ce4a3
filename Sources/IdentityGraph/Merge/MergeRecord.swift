public import Foundation

/// One merge as the store keeps it: who merged which customers, why, and what it changed.
public struct MergeRecord: Sendable, Codable, Equatable {
    public var id: MergeID
    public var survivor: CustomerID
    public var duplicate: CustomerID
    public var time: Date
    /// The channel that made the change (`admin-cli`).
    public var actor: String
    /// The person who asked for it.
    public var operatorName: String?
    public var reason: String?
    public var state: MergeState
    /// When it was undone, with the unmerge's operator and reason.
    public var undoneAt: Date?
    public var undoneBy: String?
    public var undoReason: String?
    /// What the merge changed; `nil` once either customer was erased.
    public var snapshot: MergeSnapshot?

    public init(
        id: MergeID, survivor: CustomerID, duplicate: CustomerID, time: Date, actor: String, operatorName: String?,
        reason: String?, state: MergeState, undoneAt: Date? = nil, undoneBy: String? = nil, undoReason: String? = nil,
        snapshot: MergeSnapshot?
    ) {
        self.id = id
        self.survivor = survivor
        self.duplicate = duplicate
        self.time = time
        self.actor = actor
        self.operatorName = operatorName
        self.reason = reason
        self.state = state
        self.undoneAt = undoneAt
        self.undoneBy = undoneBy
        self.undoReason = undoReason
        self.snapshot = snapshot
    }

    enum CodingKeys: String, CodingKey {
        case id, survivor, duplicate, time, actor
        case operatorName = "operator"
        case reason, state
        case undoneAt = "undone_at"
        case undoneBy = "undone_by"
        case undoReason = "undo_reason"
        case snapshot
    }

    /// This merge as undone by `context` (who, when, why).
    public func undone(_ context: ChangeContext) -> MergeRecord {
        var undone = self
        undone.state = .undone
        undone.undoneAt = context.time
        undone.undoneBy = context.operatorName
        undone.undoReason = context.reason
        return undone
    }
}
