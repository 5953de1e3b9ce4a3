/// How far a ``DuplicateFinder/find(_:refusedLinks:minimumScore:limit:progress:)`` run is.
public struct DetectionProgress: Sendable, Equatable {
    /// The two phases of a run.
    public enum Phase: String, Sendable, Equatable {
        /// Normalizing records and grouping them into blocks; counts records.
        case blocking
        /// Comparing the pairs within blocks; counts candidate pairs.
        case scoring
    }

    /// The current phase.
    public var phase: Phase
    /// Units done in this phase.
    public var done: Int
    /// Units in this phase. In scoring it is an upper bound: a pair that shares several blocks is
    /// compared once but counted in each.
    public var total: Int

    /// Creates a progress report.
    public init(phase: Phase, done: Int, total: Int) {
        self.phase = phase
        self.done = done
        self.total = total
    }
}
