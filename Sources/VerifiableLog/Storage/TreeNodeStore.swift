/// Where a ``MerkleTree`` keeps the hashes of its perfect subtrees.
///
/// Node `(level, index)` is the root of the perfect subtree over leaves
/// `index << level ..< (index + 1) << level`; level 0 holds the leaf hashes. A node is written once,
/// when the last leaf under it is appended, and never changes afterwards, so a store can be
/// append-only. About two nodes are written per leaf (`2n - popcount(n)` for `n` leaves), and any
/// root, inclusion proof or consistency proof reads O(log n) of them.
///
/// A persistent store (the SQLite link log, later) implements this over a table keyed by
/// `(level, index)`; it should write the nodes of one ``MerkleTree/append(leafHash:)`` and the new
/// tree size in one transaction, so that a crash never leaves a size whose nodes are missing.
public protocol TreeNodeStore {
    /// Reads a node's hash.
    ///
    /// - Parameters:
    ///   - level: The node's level, 0 for leaves.
    ///   - index: The node's index within its level.
    /// - Returns: The hash, or `nil` when the store has no such node.
    /// - Throws: Whatever the underlying storage throws.
    func get(level: Int, index: UInt64) throws -> TreeHash?

    /// Records a node's hash.
    ///
    /// - Parameters:
    ///   - level: The node's level, 0 for leaves.
    ///   - index: The node's index within its level.
    ///   - hash: The node's hash.
    /// - Throws: Whatever the underlying storage throws.
    mutating func put(level: Int, index: UInt64, hash: TreeHash) throws
}
