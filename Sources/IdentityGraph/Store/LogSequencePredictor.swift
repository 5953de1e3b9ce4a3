/// Predicts the sequence numbers at which a bulk import's batches will be written, so that each
/// batch's leaf hashes (``PredictedLeaves``) can be computed while the store writes the one before.
///
/// Batches are written in the order they were reserved. The prediction for the next batch is the
/// log's size after the last settled batch, plus the entries of every batch reserved and not yet
/// settled. A batch whose customers the write refuses, or another writer appending in between,
/// makes the batches already reserved miss their predictions; settling a batch with the log's
/// real size puts the following reservations back in step. Pure bookkeeping: a store keeps one
/// behind a lock.
public struct LogSequencePredictor: Sendable {
    /// The sequence number the next reservation starts at; `nil` until the log's size is known.
    private var next: Int64?
    /// The entries of batches reserved and not yet settled.
    private var outstanding: Int64 = 0

    public init() {}

    /// Whether the next reservation needs the log's size (at the start, and after a failed write).
    public var needsLogSize: Bool { next == nil }

    /// Reserves the next `count` sequence numbers for a batch that will be written after every
    /// batch reserved before it.
    /// - Parameter logSize: the log's size, read before this call, when ``needsLogSize``.
    /// - Returns: the sequence number predicted for the batch's first entry, or `nil` when the
    ///   log's size is not known.
    public mutating func reserve(_ count: Int, logSize: Int64? = nil) -> Int64? {
        if next == nil, let logSize { next = logSize + outstanding + 1 }
        outstanding += Int64(count)
        guard let first = next else { return nil }
        next = first + Int64(count)
        return first
    }

    /// A reserved batch of `count` entries was written, and the log then held `logSize` entries;
    /// or its write failed (`logSize` `nil`), after which the log's size is read again.
    public mutating func settle(_ count: Int, logSize: Int64?) {
        outstanding = max(0, outstanding - Int64(count))
        next = logSize.map { $0 + outstanding + 1 }
    }
}
