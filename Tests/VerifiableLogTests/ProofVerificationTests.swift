import Testing
import VerifiableLog

/// Malformed proofs are rejected with an error that names the defect.
struct ProofVerificationTests {
    static let leaves = MerkleTreeTests.leaves
    static func root(_ size: Int) -> TreeHash { ReferenceTree.root(leaves.prefix(size)) }

    static func inclusionCode(
        leaf: TreeHash? = nil, index: UInt64 = 5, size: UInt64 = 13, proof: [TreeHash]? = nil, root: TreeHash? = nil
    ) -> MerkleProofError.Code? {
        let proof = proof ?? ReferenceTree.path(5, leaves.prefix(13))
        do {
            try MerkleProof.verifyInclusion(
                leafHash: leaf ?? leaves[5], index: index, size: size, proof: proof, root: root ?? Self.root(13)
            )
            return nil
        } catch {
            return error.code
        }
    }

    static func consistencyCode(
        from: UInt64 = 6, to: UInt64 = 13, proof: [TreeHash]? = nil, oldRoot: TreeHash? = nil, newRoot: TreeHash? = nil
    ) -> MerkleProofError.Code? {
        let proof = proof ?? ReferenceTree.proof(6, leaves.prefix(13))
        do {
            try MerkleProof.verifyConsistency(
                from: from, to: to, proof: proof, oldRoot: oldRoot ?? Self.root(Int(from)), newRoot: newRoot ?? Self.root(Int(to))
            )
            return nil
        } catch {
            return error.code
        }
    }

    @Test func malformedInclusionProofsAreRejectedByName() {
        let proof = ReferenceTree.path(5, Self.leaves.prefix(13))
        #expect(Self.inclusionCode() == nil)
        #expect(Self.inclusionCode(index: 13) == .indexOutOfRange)
        #expect(Self.inclusionCode(index: .max) == .indexOutOfRange)
        #expect(Self.inclusionCode(index: 0, size: 0, proof: []) == .indexOutOfRange)
        #expect(Self.inclusionCode(proof: proof.dropLast()) == .wrongProofLength)
        #expect(Self.inclusionCode(proof: proof + [proof[0]]) == .wrongProofLength)
        #expect(Self.inclusionCode(proof: [proof[0]] + proof) == .wrongProofLength)
        #expect(Self.inclusionCode(proof: []) == .wrongProofLength)
        #expect(Self.inclusionCode(proof: [proof[1], proof[0]] + proof[2...]) == .rootMismatch)
        #expect(Self.inclusionCode(index: 4) == .rootMismatch)
        #expect(Self.inclusionCode(leaf: Self.leaves[6]) == .rootMismatch)
        #expect(Self.inclusionCode(root: Self.root(12)) == .rootMismatch)
        // A tree of one leaf: the leaf is the root and the proof is empty.
        #expect(Self.inclusionCode(leaf: Self.leaves[0], index: 0, size: 1, proof: [], root: Self.leaves[0]) == nil)
        #expect(Self.inclusionCode(leaf: Self.leaves[0], index: 0, size: 1, proof: [Self.leaves[0]], root: Self.leaves[0]) == .wrongProofLength)
    }

    @Test func rawHashesOfTheWrongLengthAreMalformed() throws {
        let proof = ReferenceTree.path(5, Self.leaves.prefix(13)).map(\.bytes)
        let leaf = Self.leaves[5].bytes
        let root = Self.root(13).bytes
        try MerkleProof.verifyInclusion(leafHash: leaf, index: 5, size: 13, proof: proof, root: root)
        for (leaf, proof, root) in [
            (Array(leaf.dropLast()), proof, root),
            (leaf, proof, root + [0]),
            (leaf, [[]] + proof.dropFirst(), root),
            (leaf, proof.dropLast() + [Array(proof.last!.prefix(31))], root),
        ] {
            let error = #expect(throws: MerkleProofError.self) {
                try MerkleProof.verifyInclusion(leafHash: leaf, index: 5, size: 13, proof: proof, root: root)
            }
            #expect(error?.code == .malformedHash)
        }
        let consistency = ReferenceTree.proof(6, Self.leaves.prefix(13)).map(\.bytes)
        try MerkleProof.verifyConsistency(from: 6, to: 13, proof: consistency, oldRoot: Self.root(6).bytes, newRoot: root)
        let error = #expect(throws: MerkleProofError.self) {
            try MerkleProof.verifyConsistency(from: 6, to: 13, proof: consistency, oldRoot: Array(Self.root(6).bytes.prefix(16)), newRoot: root)
        }
        #expect(error?.code == .malformedHash)
    }

    @Test func malformedConsistencyProofsAreRejectedByName() {
        let proof = ReferenceTree.proof(6, Self.leaves.prefix(13))
        #expect(Self.consistencyCode() == nil)
        #expect(Self.consistencyCode(from: 13, to: 6) == .sizesOutOfOrder)
        #expect(Self.consistencyCode(from: 7, to: 6, proof: []) == .sizesOutOfOrder)
        #expect(Self.consistencyCode(from: 13, to: 13) == .proofNotEmpty)
        #expect(Self.consistencyCode(from: 13, to: 13, proof: []) == nil)
        #expect(Self.consistencyCode(from: 13, to: 13, proof: [], oldRoot: Self.root(12)) == .rootMismatch)
        #expect(Self.consistencyCode(from: 0, to: 0, proof: []) == nil)
        #expect(Self.consistencyCode(from: 0, to: 0, proof: [Self.root(0)]) == .proofNotEmpty)
        #expect(Self.consistencyCode(from: 0, to: 0, proof: [], oldRoot: Self.root(1), newRoot: Self.root(1)) == .notTheEmptyRoot)
        #expect(Self.consistencyCode(from: 0, to: 13) == .emptyOldTree)
        #expect(Self.consistencyCode(from: 0, to: 13, proof: []) == .emptyOldTree)
        #expect(Self.consistencyCode(proof: []) == .wrongProofLength)
        #expect(Self.consistencyCode(proof: proof.dropLast()) == .wrongProofLength)
        #expect(Self.consistencyCode(proof: proof + [proof[0]]) == .wrongProofLength)
        #expect(Self.consistencyCode(from: 5) == .oldRootMismatch || Self.consistencyCode(from: 5) == .wrongProofLength)
        #expect(Self.consistencyCode(oldRoot: Self.root(7)) == .oldRootMismatch)
        #expect(Self.consistencyCode(newRoot: Self.root(12)) == .newRootMismatch)
        // From a power of two the old root is not repeated in the proof.
        let fromFour = ReferenceTree.proof(4, Self.leaves.prefix(13))
        #expect(fromFour.count == TreeMath.consistencyProofLength(from: 4, to: 13))
        #expect(Self.consistencyCode(from: 4, proof: fromFour) == nil)
        #expect(Self.consistencyCode(from: 4, proof: [Self.root(4)] + fromFour) == .wrongProofLength)
    }

    @Test func theRootAnInclusionProofLeadsToCanBeComputed() throws {
        let proof = ReferenceTree.path(5, Self.leaves.prefix(13))
        #expect(try MerkleProof.rootFromInclusionProof(leafHash: Self.leaves[5], index: 5, size: 13, proof: proof) == Self.root(13))
    }

    @Test func errorsCompareByCodeAndExplainThemselves() {
        let a = MerkleProofError(.rootMismatch, reason: "one")
        let b = MerkleProofError(.rootMismatch, reason: "two")
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(a != MerkleProofError(.oldRootMismatch, reason: "one"))
        #expect("\(a)" == "MerkleProofError.rootMismatch: one")
        #expect(Self.inclusionCode(index: 13) == .indexOutOfRange)
        do {
            try MerkleProof.verifyInclusion(leafHash: Self.leaves[0], index: 3, size: 8, proof: [], root: Self.root(8))
            Issue.record("an empty proof for leaf 3 of 8 was accepted")
        } catch {
            #expect(error.reason == "an inclusion proof for leaf 3 of a tree of 8 has 3 hashes, this one has 0")
        }
    }
}

extension MerkleProofError {
    static let rootMismatch = MerkleProofError(.rootMismatch, reason: "")
}
