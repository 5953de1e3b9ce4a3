public import VerifiableLog

/// The Merkle leaf hashes of a prepared batch's log entries, computed before the batch is written,
/// for the sequence numbers the store expects to give them (``LogSequencePredictor``).
///
/// A leaf hashes its entry's sequence number, which only the write decides. A bulk import hashes
/// its next batch while the store writes the current one, against a prediction. The store takes a
/// hash only for an entry written with exactly the sequence number it was computed for
/// (``hash(at:sequence:)``) and hashes every other entry itself: a wrong prediction (a customer
/// refused in the write, another writer in between) costs time, never a wrong leaf.
public struct PredictedLeaves: Sendable {
    /// The sequence number predicted for the batch's first entry.
    public let firstSequence: Int64
    /// One per entry, in the order the store appends them: per accepted customer its
    /// `customer_created` entry, then a `linked` entry per identifier.
    public let hashes: [TreeHash]

    /// Hashes `records`, numbered from `firstSequence`, on up to `workers` cores.
    public init(records: [LinkLogRecord], firstSequence: Int64, workers: Int = 1) {
        self.firstSequence = firstSequence
        hashes = ConcurrentChunks.map(count: records.count, workers: records.count < 4_096 ? 1 : workers) { range in
            range.map { TreeHasher.leafHash(of: LinkLogEntry(sequence: firstSequence + Int64($0), record: records[$0]).leafBytes) }
        }
    }

    /// The hash computed for the entry at `position` of the batch, if the store wrote it with the
    /// sequence number predicted for it; otherwise `nil`, and the store hashes the entry itself.
    public func hash(at position: Int, sequence: Int64) -> TreeHash? {
        guard hashes.indices.contains(position), firstSequence + Int64(position) == sequence else { return nil }
        return hashes[position]
    }
}
