public import CodedErrors

/// Why an inclusion or consistency proof was rejected.
///
/// Callers match on ``code``; two errors are equal when their codes are equal, so tests can compare
/// against a code (`#expect(error?.code == .rootMismatch)`). The ``reason`` names what is wrong
/// (sizes, indices, expected and actual lengths) and never contains hashes, so it is safe to log.
public struct MerkleProofError: CodedError {
    /// The kind of defect.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A leaf hash, root hash or proof hash is not exactly 32 bytes.
        case malformedHash
        /// The leaf index is not less than the tree size.
        case indexOutOfRange
        /// The older tree size is larger than the newer one.
        case sizesOutOfOrder
        /// A consistency proof from the empty tree (size 0) to a non-empty tree was asked for.
        /// RFC 9162 defines consistency proofs only for `0 < from < to`; every tree extends the
        /// empty tree, so there is nothing to prove and no such proof is accepted.
        case emptyOldTree
        /// The proof should be empty (the sizes are equal) but is not.
        case proofNotEmpty
        /// The proof has more or fewer hashes than the sizes and index require.
        case wrongProofLength
        /// The root computed from an inclusion proof differs from the expected root, or the roots
        /// of two equal-sized trees differ.
        case rootMismatch
        /// The old root computed from a consistency proof differs from the given old root.
        case oldRootMismatch
        /// The new root computed from a consistency proof differs from the given new root.
        case newRootMismatch
        /// A root given for the empty tree is not `SHA-256("")`.
        case notTheEmptyRoot
    }

    /// The kind of defect.
    public let code: Code
    /// What exactly is wrong, for people and logs; never contains hash values.
    public let reason: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of defect.
    ///   - reason: What exactly is wrong; must not contain hash values.
    public init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }
}
