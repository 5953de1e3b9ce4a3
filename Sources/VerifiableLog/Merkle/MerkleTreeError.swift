public import CodedErrors

/// Why a ``MerkleTree`` operation failed.
///
/// Callers match on ``code``; two errors are equal when their codes are equal. Errors thrown by the
/// node store itself (a database failure, say) are passed through unchanged, not wrapped.
public struct MerkleTreeError: CodedError {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A size, index or range reaches beyond the leaves the tree has.
        case beyondTreeSize
        /// The older size of a consistency proof is larger than the newer one.
        case sizesOutOfOrder
        /// A consistency proof from size 0 was asked for; RFC 9162 has none (see
        /// ``MerkleProofError/Code/emptyOldTree``).
        case emptyOldTree
        /// The store lacks a node that must exist for the tree's size: the store and the size the
        /// tree was opened with disagree, or the store lost data.
        case missingNode
        /// The store refused to record a node.
        case storeRejectedNode
    }

    /// The kind of failure.
    public let code: Code
    /// What exactly went wrong, for people and logs.
    public let reason: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - reason: What exactly went wrong.
    public init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }
}
