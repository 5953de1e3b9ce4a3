/// Verification of RFC 9162 inclusion and consistency proofs.
///
/// The checks follow RFC 9162 §2.1.3.2 and §2.1.4.2, preceded by exact length checks so that a
/// malformed proof is rejected with an error that says what is wrong (``MerkleProofError``)
/// instead of a bare root mismatch. Verification uses only the proof, the sizes and the roots:
/// an auditor needs no access to the log's store.
///
/// The overloads taking `[UInt8]` are for hashes read from the wire; they reject any hash that is
/// not 32 bytes with ``MerkleProofError/Code/malformedHash``.
public enum MerkleProof {
    /// Verifies that a leaf is in a tree (RFC 9162 §2.1.3.2).
    ///
    /// - Parameters:
    ///   - leafHash: The leaf's hash, `SHA-256(0x00 || entry)`.
    ///   - index: The leaf's 0-based index.
    ///   - size: The size of the tree `root` belongs to.
    ///   - proof: The inclusion proof (audit path), lowest level first.
    ///   - root: The tree's root hash, from a verified checkpoint.
    /// - Throws: ``MerkleProofError`` with code `indexOutOfRange` when `index >= size`,
    ///   `wrongProofLength` for missing or extra hashes, `rootMismatch` when the proof does not lead
    ///   to `root`.
    public static func verifyInclusion(
        leafHash: TreeHash, index: UInt64, size: UInt64, proof: [TreeHash], root: TreeHash
    ) throws(MerkleProofError) {
        let computed = try rootFromInclusionProof(leafHash: leafHash, index: index, size: size, proof: proof)
        guard computed == root else {
            throw MerkleProofError(.rootMismatch, reason: "the inclusion proof for leaf \(index) leads to a different root than the one given for size \(size)")
        }
    }

    /// Verifies that a leaf is in a tree, with hashes given as raw bytes.
    ///
    /// - Parameters:
    ///   - leafHash: The leaf's hash; must be 32 bytes.
    ///   - index: The leaf's 0-based index.
    ///   - size: The size of the tree `root` belongs to.
    ///   - proof: The inclusion proof, lowest level first; every hash must be 32 bytes.
    ///   - root: The tree's root hash; must be 32 bytes.
    /// - Throws: ``MerkleProofError``: `malformedHash` for a hash of the wrong length, otherwise as the
    ///   overload taking ``TreeHash`` values.
    public static func verifyInclusion(
        leafHash: [UInt8], index: UInt64, size: UInt64, proof: [[UInt8]], root: [UInt8]
    ) throws(MerkleProofError) {
        try verifyInclusion(
            leafHash: hash(leafHash, "the leaf hash"), index: index, size: size,
            proof: hashes(proof), root: hash(root, "the root hash")
        )
    }

    /// Computes the root hash an inclusion proof leads to (RFC 9162 §2.1.3.2, steps 1–4).
    ///
    /// - Parameters:
    ///   - leafHash: The leaf's hash.
    ///   - index: The leaf's 0-based index.
    ///   - size: The tree size the proof is for.
    ///   - proof: The inclusion proof, lowest level first.
    /// - Returns: The root of a tree of `size` leaves that holds `leafHash` at `index`, if the
    ///   proof is genuine.
    /// - Throws: ``MerkleProofError`` with code `indexOutOfRange` or `wrongProofLength`.
    public static func rootFromInclusionProof(
        leafHash: TreeHash, index: UInt64, size: UInt64, proof: [TreeHash]
    ) throws(MerkleProofError) -> TreeHash {
        guard index < size else {
            throw MerkleProofError(.indexOutOfRange, reason: "leaf index \(index) is not less than the tree size \(size)")
        }
        let expected = TreeMath.inclusionProofLength(index: index, size: size)
        guard proof.count == expected else {
            throw MerkleProofError(
                .wrongProofLength,
                reason: "an inclusion proof for leaf \(index) of a tree of \(size) has \(expected) hashes, this one has \(proof.count)"
            )
        }
        var fn = index
        var sn = size - 1
        var result = leafHash
        for sibling in proof {
            // Cannot happen after the length check; kept because it is the RFC's own guard.
            guard sn != 0 else {
                throw MerkleProofError(.wrongProofLength, reason: "the inclusion proof for leaf \(index) of \(size) is too long")
            }
            if fn & 1 == 1 || fn == sn {
                result = TreeHasher.nodeHash(left: sibling, right: result)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                result = TreeHasher.nodeHash(left: result, right: sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else {
            throw MerkleProofError(.wrongProofLength, reason: "the inclusion proof for leaf \(index) of \(size) is too short")
        }
        return result
    }

    /// Verifies that a tree of `to` leaves extends a tree of `from` leaves (RFC 9162 §2.1.4.2).
    ///
    /// Equal sizes need an empty proof and equal roots (for size 0, both must be the empty root).
    /// A proof from size 0 to a larger size is always rejected (``MerkleProofError/Code/emptyOldTree``):
    /// RFC 9162 defines proofs only for `0 < from < to`.
    ///
    /// - Parameters:
    ///   - from: The older tree size.
    ///   - to: The newer tree size.
    ///   - proof: The consistency proof.
    ///   - oldRoot: The root hash of the older tree.
    ///   - newRoot: The root hash of the newer tree.
    /// - Throws: ``MerkleProofError`` with code `sizesOutOfOrder` when `from > to`, `proofNotEmpty`
    ///   for equal sizes with a proof, `notTheEmptyRoot` or `rootMismatch` for equal sizes whose
    ///   roots are wrong, `emptyOldTree` when `from == 0 < to`, `wrongProofLength` for missing or
    ///   extra hashes, `oldRootMismatch` or `newRootMismatch` when the proof does not lead to the
    ///   given roots.
    public static func verifyConsistency(
        from: UInt64, to: UInt64, proof: [TreeHash], oldRoot: TreeHash, newRoot: TreeHash
    ) throws(MerkleProofError) {
        guard from <= to else {
            throw MerkleProofError(.sizesOutOfOrder, reason: "the old size \(from) is larger than the new size \(to)")
        }
        if from == to {
            guard proof.isEmpty else {
                throw MerkleProofError(.proofNotEmpty, reason: "both sizes are \(from), so the proof must be empty; it has \(proof.count) hashes")
            }
            if from == 0 {
                guard oldRoot == TreeHasher.emptyRoot, newRoot == TreeHasher.emptyRoot else {
                    throw MerkleProofError(.notTheEmptyRoot, reason: "a root given for size 0 is not SHA-256 of the empty string")
                }
            }
            guard oldRoot == newRoot else {
                throw MerkleProofError(.rootMismatch, reason: "both sizes are \(from) but the roots differ")
            }
            return
        }
        guard from > 0 else {
            throw MerkleProofError(.emptyOldTree, reason: "there is no consistency proof from the empty tree to size \(to); RFC 9162 defines them for 0 < from < to")
        }
        let expected = TreeMath.consistencyProofLength(from: from, to: to)
        guard proof.count == expected else {
            throw MerkleProofError(
                .wrongProofLength,
                reason: "a consistency proof from \(from) to \(to) has \(expected) hashes, this one has \(proof.count)"
            )
        }
        // Step 2: when `from` is a power of two the old tree is one perfect subtree, its root
        // is known, and the proof leaves it out.
        var path = proof[...]
        let seed: TreeHash
        if from & (from - 1) == 0 {
            seed = oldRoot
        } else {
            seed = path.removeFirst()
        }
        var fn = from - 1
        var sn = to - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var oldResult = seed
        var newResult = seed
        for node in path {
            guard sn != 0 else {
                throw MerkleProofError(.wrongProofLength, reason: "the consistency proof from \(from) to \(to) is too long")
            }
            if fn & 1 == 1 || fn == sn {
                oldResult = TreeHasher.nodeHash(left: node, right: oldResult)
                newResult = TreeHasher.nodeHash(left: node, right: newResult)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                newResult = TreeHasher.nodeHash(left: newResult, right: node)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else {
            throw MerkleProofError(.wrongProofLength, reason: "the consistency proof from \(from) to \(to) is too short")
        }
        guard oldResult == oldRoot else {
            throw MerkleProofError(.oldRootMismatch, reason: "the consistency proof from \(from) to \(to) leads to a different old root")
        }
        guard newResult == newRoot else {
            throw MerkleProofError(.newRootMismatch, reason: "the consistency proof from \(from) to \(to) leads to a different new root")
        }
    }

    /// Verifies that a tree extends another, with hashes given as raw bytes.
    ///
    /// When the sizes are equal and non-zero the roots are compared byte for byte, whatever their
    /// length: two identical claims about one tree are consistent.
    ///
    /// - Parameters:
    ///   - from: The older tree size.
    ///   - to: The newer tree size.
    ///   - proof: The consistency proof; every hash must be 32 bytes.
    ///   - oldRoot: The root hash of the older tree.
    ///   - newRoot: The root hash of the newer tree.
    /// - Throws: ``MerkleProofError``: `malformedHash` for a hash of the wrong length, otherwise as the
    ///   overload taking ``TreeHash`` values.
    public static func verifyConsistency(
        from: UInt64, to: UInt64, proof: [[UInt8]], oldRoot: [UInt8], newRoot: [UInt8]
    ) throws(MerkleProofError) {
        guard from <= to else {
            throw MerkleProofError(.sizesOutOfOrder, reason: "the old size \(from) is larger than the new size \(to)")
        }
        if from == to && from > 0 {
            guard proof.isEmpty else {
                throw MerkleProofError(.proofNotEmpty, reason: "both sizes are \(from), so the proof must be empty; it has \(proof.count) hashes")
            }
            guard oldRoot == newRoot else {
                throw MerkleProofError(.rootMismatch, reason: "both sizes are \(from) but the roots differ")
            }
            return
        }
        try verifyConsistency(
            from: from, to: to, proof: hashes(proof),
            oldRoot: hash(oldRoot, "the old root hash"), newRoot: hash(newRoot, "the new root hash")
        )
    }

    private static func hash(_ bytes: [UInt8], _ role: String) throws(MerkleProofError) -> TreeHash {
        guard let hash = TreeHash(bytes: bytes) else {
            throw MerkleProofError(.malformedHash, reason: "\(role) has \(bytes.count) bytes, not \(TreeHash.byteCount)")
        }
        return hash
    }

    private static func hashes(_ proof: [[UInt8]]) throws(MerkleProofError) -> [TreeHash] {
        var result: [TreeHash] = []
        result.reserveCapacity(proof.count)
        for (position, bytes) in proof.enumerated() {
            result.append(try hash(bytes, "proof hash \(position)"))
        }
        return result
    }
}
