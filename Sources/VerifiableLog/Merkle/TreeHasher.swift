import Crypto

/// The RFC 9162 §2.1.1 (RFC 6962 §2.1) Merkle tree hash functions with SHA-256.
///
/// - A leaf hash is `SHA-256(0x00 || entry)`.
/// - An interior node hash is `SHA-256(0x01 || left || right)`.
/// - The root of the empty tree is `SHA-256("")`.
///
/// The distinct prefixes keep a leaf from ever being mistaken for an interior node (second
/// preimage resistance).
public enum TreeHasher {
    /// The root hash of the empty tree, `SHA-256("")` (`e3b0c442…b855`).
    public static let emptyRoot = TreeHash(SHA256.hash(data: [UInt8]()))

    /// Hashes a log entry into its leaf hash, `SHA-256(0x00 || entry)`.
    ///
    /// - Parameter entry: The entry's bytes, exactly as logged.
    /// - Returns: The leaf hash.
    public static func leafHash(of entry: some Sequence<UInt8>) -> TreeHash {
        var hasher = SHA256()
        withUnsafeBytes(of: UInt8(0x00)) { hasher.update(bufferPointer: $0) }
        let hashedInPlace: Void? = entry.withContiguousStorageIfAvailable { buffer in
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
        }
        if hashedInPlace == nil {
            Array(entry).withUnsafeBytes { hasher.update(bufferPointer: $0) }
        }
        return TreeHash(hasher.finalize())
    }

    /// Hashes two child hashes into their parent's hash, `SHA-256(0x01 || left || right)`.
    ///
    /// - Parameters:
    ///   - left: The hash of the left subtree.
    ///   - right: The hash of the right subtree.
    /// - Returns: The parent's hash.
    public static func nodeHash(left: TreeHash, right: TreeHash) -> TreeHash {
        // One 65-byte buffer on the stack: this is the hot path of appends and verification.
        withUnsafeTemporaryAllocation(byteCount: 1 + 2 * TreeHash.byteCount, alignment: 8) { buffer in
            buffer[0] = 0x01
            left.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[1...32]).copyMemory(from: $0) }
            right.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[33...64]).copyMemory(from: $0) }
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
            return TreeHash(hasher.finalize())
        }
    }

    /// Computes the Merkle tree hash (MTH, RFC 9162 §2.1.1) of a list of leaf hashes from scratch.
    ///
    /// This reads every leaf hash once and keeps only O(log n) hashes in memory. It is the
    /// reference an auditor uses to recompute a root from the full log.
    ///
    /// - Parameter leafHashes: The leaf hashes, in log order.
    /// - Returns: The root hash; ``emptyRoot`` when there are no leaves.
    public static func rootHash(leafHashes: some Sequence<TreeHash>) -> TreeHash {
        var builder = CompactRange()
        for leaf in leafHashes {
            builder.append(leaf)
        }
        return builder.root
    }
}

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
