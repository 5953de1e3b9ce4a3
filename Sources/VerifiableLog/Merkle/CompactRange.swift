/// The hashes of the perfect subtrees that make up a tree of `size` leaves, largest (leftmost)
/// first: one per set bit of `size`. Appending merges equal-sized neighbours; the root folds them
/// from the right, which is exactly MTH's "largest power of two smaller than n" split.
struct CompactRange {
    private(set) var hashes: [TreeHash] = []
    private(set) var size: UInt64 = 0

    init() {
        hashes.reserveCapacity(64)
    }

    init(size: UInt64, hashes: [TreeHash]) {
        precondition(hashes.count == size.nonzeroBitCount, "a compact range holds one hash per set bit of its size")
        self.size = size
        self.hashes = hashes
    }

    /// Appends a leaf.
    mutating func append(_ leafHash: TreeHash) {
        let (merged, top) = Self.nodesCompleted(appending: leafHash, to: hashes, size: size) { _, _, _ in }
        commit(merged: merged, top: top)
    }

    /// Computes the nodes that appending a leaf to a range of `size` completes — the leaf itself
    /// and one parent per trailing one bit of `size` — and hands each to `record`, lowest first.
    /// Changes nothing, so a failing `record` leaves the range as it was.
    static func nodesCompleted(
        appending leafHash: TreeHash, to hashes: [TreeHash], size: UInt64,
        record: (_ level: Int, _ index: UInt64, _ hash: TreeHash) throws -> Void
    ) rethrows -> (merged: Int, top: TreeHash) {
        var hash = leafHash
        var index = size
        var level = 0
        var merged = 0
        try record(level, index, hash)
        while index & 1 == 1 {
            merged += 1
            hash = TreeHasher.nodeHash(left: hashes[hashes.count - merged], right: hash)
            index >>= 1
            level += 1
            try record(level, index, hash)
        }
        return (merged, hash)
    }

    /// Applies what ``nodesCompleted(appending:to:size:record:)`` computed.
    mutating func commit(merged: Int, top: TreeHash) {
        hashes.removeLast(merged)
        hashes.append(top)
        size += 1
    }

    var root: TreeHash {
        Self.fold(hashes)
    }

    /// Folds perfect-subtree hashes (largest first) from the right into one MTH.
    static func fold(_ hashes: some BidirectionalCollection<TreeHash>) -> TreeHash {
        guard var result = hashes.last else { return TreeHasher.emptyRoot }
        for hash in hashes.dropLast().reversed() {
            result = TreeHasher.nodeHash(left: hash, right: result)
        }
        return result
    }
}
