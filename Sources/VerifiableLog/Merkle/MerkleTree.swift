/// An append-only RFC 9162 Merkle tree over a ``TreeNodeStore``.
///
/// The tree stores the hash of every perfect ("complete") subtree, as Trillian's compact ranges
/// and tiles do, and keeps the O(log n) hashes of the current compact range in memory. So:
///
/// - ``append(leafHash:)`` writes the leaf and the nodes it completes (amortized two, at most
///   log n) and reads nothing;
/// - ``root(size:)`` for any past size, ``inclusionProof(index:size:)`` and
///   ``consistencyProof(from:to:)`` read O(log n) stored hashes and compute the hashes of the
///   tree's ragged right edge from them.
///
/// The tree does not synchronize: wrap it in a lock or an actor to share it, and let one writer
/// append at a time.
public struct MerkleTree<Store: TreeNodeStore> {
    /// The node store.
    public private(set) var store: Store
    private var range: CompactRange

    /// The number of leaves.
    public var size: UInt64 { range.size }

    /// The root hash at the current size; ``TreeHasher/emptyRoot`` for an empty tree.
    public var root: TreeHash { range.root }

    /// Opens a tree of `size` leaves whose nodes are in `store`.
    ///
    /// Reads the O(log n) nodes of the compact range of `size`; later appends continue from there.
    ///
    /// - Parameters:
    ///   - store: The store holding (at least) every perfect subtree of the first `size` leaves.
    ///   - size: The number of leaves the tree has, as recorded next to the store.
    /// - Throws: ``MerkleTreeError`` with code `missingNode` when the store lacks one of those
    ///   nodes; whatever the store throws.
    public init(store: Store, size: UInt64) throws {
        var hashes: [TreeHash] = []
        for (level, index) in TreeMath.perfectSubtrees(size: size) {
            hashes.append(try Self.read(store, level: level, index: index))
        }
        self.store = store
        self.range = CompactRange(size: size, hashes: hashes)
    }

    /// Appends a leaf: writes it and the nodes it completes, then (only if every write succeeded)
    /// advances the in-memory compact range. The root is not computed here (that costs a hash
    /// per set bit of the size); read ``root`` when it is needed.
    ///
    /// - Parameter leafHash: The leaf's hash, `TreeHasher.leafHash(of: entry)`.
    /// - Returns: The leaf's index.
    /// - Throws: Whatever the store throws; the tree is then unchanged in memory, but the store may
    ///   hold some of the new nodes (a transactional store rolls them back).
    @discardableResult
    public mutating func append(leafHash: TreeHash) throws -> UInt64 {
        let index = range.size
        let (merged, top) = try CompactRange.nodesCompleted(appending: leafHash, to: range.hashes, size: index) { level, index, hash in
            try store.put(level: level, index: index, hash: hash)
        }
        range.commit(merged: merged, top: top)
        return index
    }

    /// Runs `body` on the node store, for what a store does besides nodes: handing out the
    /// writes it buffers (``TileWriter/drain(_:)``). `body` must not change the nodes the tree
    /// has written.
    public mutating func withStore<Result>(_ body: (inout Store) throws -> Result) rethrows -> Result {
        try body(&store)
    }

    /// Appends a log entry, hashing it as a leaf first.
    ///
    /// - Parameter entry: The entry's bytes.
    /// - Returns: The leaf's index.
    /// - Throws: Whatever the store throws.
    @discardableResult
    public mutating func append(entry: some Sequence<UInt8>) throws -> UInt64 {
        try append(leafHash: TreeHasher.leafHash(of: entry))
    }

    /// Appends many leaves, computing the root only once at the end.
    ///
    /// - Parameter leafHashes: The leaves' hashes, in order.
    /// - Returns: The root hash after the last one.
    /// - Throws: Whatever the store throws; leaves appended before the failure stay appended.
    @discardableResult
    public mutating func append(contentsOf leafHashes: some Sequence<TreeHash>) throws -> TreeHash {
        for leafHash in leafHashes {
            try append(leafHash: leafHash)
        }
        return range.root
    }

    /// The hash of the leaf at `index`.
    ///
    /// - Parameter index: A leaf index less than ``size``.
    /// - Returns: The leaf hash.
    /// - Throws: ``MerkleTreeError`` (`beyondTreeSize`, `missingNode`); whatever the store throws.
    public func leafHash(at index: UInt64) throws -> TreeHash {
        guard index < size else {
            throw MerkleTreeError(.beyondTreeSize, reason: "leaf \(index) is not in a tree of \(size) leaves")
        }
        return try Self.read(store, level: 0, index: index)
    }

    /// The root hash the tree had at a past (or the current) size.
    ///
    /// - Parameter size: A size up to ``size``.
    /// - Returns: The root hash; ``TreeHasher/emptyRoot`` for size 0.
    /// - Throws: ``MerkleTreeError`` (`beyondTreeSize`, `missingNode`); whatever the store throws.
    public func root(size: UInt64) throws -> TreeHash {
        guard size <= self.size else {
            throw MerkleTreeError(.beyondTreeSize, reason: "size \(size) is beyond the tree's \(self.size) leaves")
        }
        if size == self.size {
            return range.root
        }
        return try subtreeHash(start: 0, count: size)
    }

    /// The inclusion proof of a leaf in the tree of a given size (RFC 9162 §2.1.3.1).
    ///
    /// - Parameters:
    ///   - index: The leaf index, less than `size`.
    ///   - size: The tree size the proof is for, up to ``size``.
    /// - Returns: The proof's hashes, lowest level first.
    /// - Throws: ``MerkleTreeError`` (`beyondTreeSize`, `missingNode`); whatever the store throws.
    public func inclusionProof(index: UInt64, size: UInt64) throws -> [TreeHash] {
        guard size <= self.size else {
            throw MerkleTreeError(.beyondTreeSize, reason: "size \(size) is beyond the tree's \(self.size) leaves")
        }
        guard index < size else {
            throw MerkleTreeError(.beyondTreeSize, reason: "leaf \(index) is not in a tree of \(size) leaves")
        }
        // PATH(m, D[lo:lo+count]) of RFC 9162, unrolled from the top: each step records the
        // sibling subtree's hash and descends into the half that holds the leaf.
        var topDown: [TreeHash] = []
        var start: UInt64 = 0
        var count = size
        var leaf = index
        while count > 1 {
            let split = TreeMath.largestPowerOfTwo(lessThan: count)
            if leaf < split {
                topDown.append(try subtreeHash(start: start + split, count: count - split))
                count = split
            } else {
                topDown.append(try subtreeHash(start: start, count: split))
                start += split
                leaf -= split
                count -= split
            }
        }
        return topDown.reversed()
    }

    /// The consistency proof between two sizes of the tree (RFC 9162 §2.1.4.1).
    ///
    /// - Parameters:
    ///   - from: The older size; 0 only when `to` is 0 too.
    ///   - to: The newer size, from `from` up to ``size``.
    /// - Returns: The proof's hashes; empty when the sizes are equal.
    /// - Throws: ``MerkleTreeError`` (`sizesOutOfOrder`, `emptyOldTree`, `beyondTreeSize`,
    ///   `missingNode`); whatever the store throws.
    public func consistencyProof(from: UInt64, to: UInt64) throws -> [TreeHash] {
        guard from <= to else {
            throw MerkleTreeError(.sizesOutOfOrder, reason: "the old size \(from) is larger than the new size \(to)")
        }
        guard to <= size else {
            throw MerkleTreeError(.beyondTreeSize, reason: "size \(to) is beyond the tree's \(size) leaves")
        }
        if from == to {
            return []
        }
        guard from > 0 else {
            throw MerkleTreeError(.emptyOldTree, reason: "there is no consistency proof from the empty tree to size \(to)")
        }
        // SUBPROOF(m, D[lo:lo+count], b) of RFC 9162, unrolled from the top.
        var topDown: [TreeHash] = []
        var start: UInt64 = 0
        var count = to
        var old = from
        var isWholeOldTree = true
        while old != count {
            let split = TreeMath.largestPowerOfTwo(lessThan: count)
            if old <= split {
                topDown.append(try subtreeHash(start: start + split, count: count - split))
                count = split
            } else {
                topDown.append(try subtreeHash(start: start, count: split))
                start += split
                old -= split
                count -= split
                isWholeOldTree = false
            }
        }
        if !isWholeOldTree {
            topDown.append(try subtreeHash(start: start, count: count))
        }
        return topDown.reversed()
    }

    /// MTH of `count` leaves from `start`, for a range that is a subtree of the MTH recursion:
    /// the fold of O(log count) stored perfect subtrees.
    private func subtreeHash(start: UInt64, count: UInt64) throws -> TreeHash {
        if count == 0 {
            return TreeHasher.emptyRoot
        }
        var hashes: [TreeHash] = []
        for (level, index) in TreeMath.perfectSubtrees(start: start, count: count) {
            hashes.append(try Self.read(store, level: level, index: index))
        }
        return CompactRange.fold(hashes)
    }

    private static func read(_ store: Store, level: Int, index: UInt64) throws -> TreeHash {
        guard let hash = try store.get(level: level, index: index) else {
            throw MerkleTreeError(.missingNode, reason: "the store has no node \(index) at level \(level)")
        }
        return hash
    }
}

extension MerkleTree: Sendable where Store: Sendable {}

extension MerkleTree where Store == InMemoryTreeNodeStore {
    /// Creates an empty tree in memory.
    public init() {
        self.store = InMemoryTreeNodeStore()
        self.range = CompactRange()
    }
}
