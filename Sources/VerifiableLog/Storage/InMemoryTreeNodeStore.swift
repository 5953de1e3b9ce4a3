/// A ``TreeNodeStore`` in memory: one array of hashes per level.
///
/// A tree of a million leaves takes about 64 MB. Nodes of a level must be written in index order
/// (as ``MerkleTree`` does); rewriting an existing node replaces it.
public struct InMemoryTreeNodeStore: TreeNodeStore, Sendable {
    private var levels: [[TreeHash]] = []

    /// Creates an empty store.
    public init() {}

    /// The number of nodes stored, over all levels.
    public var nodeCount: Int {
        levels.reduce(0) { $0 + $1.count }
    }

    /// Reads a node's hash.
    ///
    /// - Parameters:
    ///   - level: The node's level, 0 for leaves.
    ///   - index: The node's index within its level.
    /// - Returns: The hash, or `nil` when no such node was written.
    public func get(level: Int, index: UInt64) -> TreeHash? {
        guard level >= 0, level < levels.count, index < UInt64(levels[level].count) else { return nil }
        return levels[level][Int(index)]
    }

    /// Records a node's hash.
    ///
    /// - Parameters:
    ///   - level: The node's level, 0 for leaves.
    ///   - index: The node's index within its level: at most the number of nodes already on it.
    ///   - hash: The node's hash.
    /// - Throws: ``MerkleTreeError`` with code `storeRejectedNode` when the write would leave a gap.
    public mutating func put(level: Int, index: UInt64, hash: TreeHash) throws(MerkleTreeError) {
        guard level >= 0, level < 64 else {
            throw MerkleTreeError(.storeRejectedNode, reason: "level \(level) is outside 0..<64")
        }
        while levels.count <= level {
            levels.append([])
        }
        let count = UInt64(levels[level].count)
        if index == count {
            levels[level].append(hash)
        } else if index < count {
            levels[level][Int(index)] = hash
        } else {
            throw MerkleTreeError(
                .storeRejectedNode,
                reason: "node \(index) of level \(level) would leave a gap after the \(count) nodes stored"
            )
        }
    }
}
