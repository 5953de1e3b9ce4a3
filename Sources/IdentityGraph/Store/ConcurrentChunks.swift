import Dispatch
import Synchronization

/// CPU-bound work split into contiguous chunks, one per worker (`DispatchQueue.concurrentPerform`),
/// for the steps of a bulk write that need no database: the link-log cryptography of a batch, the
/// leaf hashes of its entries.
public enum ConcurrentChunks {
    /// `transform` of `workers` contiguous ranges that cover `0..<count`, run at the same time, their
    /// results concatenated in order. The error of the first chunk (in order) that threw is thrown.
    public static func map<Element: Sendable, Failure: Error>(
        count: Int, workers: Int, _ transform: @Sendable (Range<Int>) throws(Failure) -> [Element]
    ) throws(Failure) -> [Element] {
        let workers = max(1, min(workers, count))
        guard workers > 1 else { return try transform(0..<count) }
        let chunk = (count + workers - 1) / workers
        let parts = Mutex<[Int: Result<[Element], Failure>]>([:])
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let range = min(count, worker * chunk)..<min(count, (worker + 1) * chunk)
            let part = Result { () throws(Failure) -> [Element] in try transform(range) }
            parts.withLock { $0[worker] = part }
        }
        var results: [Element] = []
        results.reserveCapacity(count)
        for worker in 0..<workers {
            if let part = parts.withLock({ $0[worker] }) { results += try part.get() }
        }
        return results
    }
}
