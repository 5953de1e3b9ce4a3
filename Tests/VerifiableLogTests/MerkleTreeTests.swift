import Testing
import VerifiableLog

/// The store-backed tree against the literal RFC 9162 definitions, for every index, size and pair
/// of sizes up to 70, and every generated proof against tampering.
struct MerkleTreeTests {
    static let maximumSize = 70

    static let leaves: [TreeHash] = (0..<maximumSize).map { TreeHasher.leafHash(of: Array("link-log entry \($0)".utf8)) }

    static func tree(size: Int = maximumSize) throws -> MerkleTree<InMemoryTreeNodeStore> {
        var tree = MerkleTree()
        try tree.append(contentsOf: leaves.prefix(size))
        return tree
    }

    /// The single-bit flips tried on a list of `count` hashes (a proof, or one root or leaf hash)
    /// of a tree of `size`: every bit of every hash up to size 12; beyond that one bit in each
    /// 64-bit word of every hash, the bit moving with the hash, the word and the size. Each flip
    /// costs a full verification, and every hash of the proof is still tampered with.
    static func bitsToFlip(count: Int, size: Int) -> [(hash: Int, bit: Int)] {
        (0..<count).flatMap { hash -> [(hash: Int, bit: Int)] in
            if size <= 12 {
                return (0..<256).map { (hash, $0) }
            }
            return (0..<4).map { word in (hash, word * 64 + (hash * 7 + word * 13 + size) % 64) }
        }
    }

    // Plain do/catch rather than #expect per case: a million expectations would dominate the run.
    static func inclusionCode(_ leaf: TreeHash, _ index: Int, _ size: Int, _ proof: [TreeHash], _ root: TreeHash) -> MerkleProofError.Code? {
        do {
            try MerkleProof.verifyInclusion(leafHash: leaf, index: UInt64(index), size: UInt64(size), proof: proof, root: root)
            return nil
        } catch {
            return error.code
        }
    }

    static func consistencyRejects(_ from: Int, _ to: Int, _ proof: [TreeHash], _ oldRoot: TreeHash, _ newRoot: TreeHash) -> Bool {
        do {
            try MerkleProof.verifyConsistency(from: UInt64(from), to: UInt64(to), proof: proof, oldRoot: oldRoot, newRoot: newRoot)
            return false
        } catch {
            return true
        }
    }

    @Test func rootsAtEveryPastSizeMatchTheDefinition() throws {
        let tree = try Self.tree()
        for size in 0...Self.maximumSize {
            let expected = ReferenceTree.root(Self.leaves.prefix(size))
            #expect(try tree.root(size: UInt64(size)) == expected, "size \(size)")
            #expect(TreeHasher.rootHash(leafHashes: Self.leaves.prefix(size)) == expected, "recomputed, size \(size)")
        }
    }

    @Test func everyInclusionProofIsTheDefinitionsAndVerifiesAndNoFlippedBitDoes() throws {
        let tree = try Self.tree()
        var flips = 0
        var accepted: [String] = []
        for size in 1...Self.maximumSize {
            let root = ReferenceTree.root(Self.leaves.prefix(size))
            for index in 0..<size {
                let leaf = Self.leaves[index]
                let proof = try tree.inclusionProof(index: UInt64(index), size: UInt64(size))
                #expect(proof == ReferenceTree.path(index, Self.leaves.prefix(size)), "path of \(index) in \(size)")
                #expect(proof.count == TreeMath.inclusionProofLength(index: UInt64(index), size: UInt64(size)))
                try MerkleProof.verifyInclusion(leafHash: leaf, index: UInt64(index), size: UInt64(size), proof: proof, root: root)

                for (hash, bit) in Self.bitsToFlip(count: proof.count, size: size) {
                    var tampered = proof
                    tampered[hash] = tampered[hash].flippingBit(bit)
                    if Self.inclusionCode(leaf, index, size, tampered, root) != .rootMismatch {
                        accepted.append("proof hash \(hash) bit \(bit) of leaf \(index) in \(size)")
                    }
                    flips += 1
                }
                for (_, bit) in Self.bitsToFlip(count: 1, size: size) {
                    if Self.inclusionCode(leaf.flippingBit(bit), index, size, proof, root) != .rootMismatch {
                        accepted.append("leaf hash bit \(bit) of leaf \(index) in \(size)")
                    }
                    if Self.inclusionCode(leaf, index, size, proof, root.flippingBit(bit)) != .rootMismatch {
                        accepted.append("root bit \(bit) for leaf \(index) in \(size)")
                    }
                }
            }
        }
        #expect(accepted.isEmpty, "tampered proofs accepted: \(accepted.prefix(10))")
        #expect(flips > 20_000)
    }

    @Test func everyConsistencyProofIsTheDefinitionsAndVerifiesAndNoFlippedBitDoes() throws {
        let tree = try Self.tree()
        var flips = 0
        var accepted: [String] = []
        for to in 1...Self.maximumSize {
            let newRoot = ReferenceTree.root(Self.leaves.prefix(to))
            for from in 1...to {
                let oldRoot = ReferenceTree.root(Self.leaves.prefix(from))
                let proof = try tree.consistencyProof(from: UInt64(from), to: UInt64(to))
                #expect(proof == (from == to ? [] : ReferenceTree.proof(from, Self.leaves.prefix(to))), "proof \(from) → \(to)")
                try MerkleProof.verifyConsistency(from: UInt64(from), to: UInt64(to), proof: proof, oldRoot: oldRoot, newRoot: newRoot)

                for (hash, bit) in Self.bitsToFlip(count: proof.count, size: to) {
                    var tampered = proof
                    tampered[hash] = tampered[hash].flippingBit(bit)
                    if !Self.consistencyRejects(from, to, tampered, oldRoot, newRoot) {
                        accepted.append("proof hash \(hash) bit \(bit) of \(from) → \(to)")
                    }
                    flips += 1
                }
                for (_, bit) in Self.bitsToFlip(count: 1, size: to) {
                    if !Self.consistencyRejects(from, to, proof, oldRoot.flippingBit(bit), newRoot) {
                        accepted.append("old root bit \(bit) of \(from) → \(to)")
                    }
                    if !Self.consistencyRejects(from, to, proof, oldRoot, newRoot.flippingBit(bit)) {
                        accepted.append("new root bit \(bit) of \(from) → \(to)")
                    }
                }
            }
        }
        #expect(accepted.isEmpty, "tampered proofs accepted: \(accepted.prefix(10))")
        #expect(flips > 20_000)
    }

    @Test func aTreeReopenedOverItsStoreContinuesWhereItStopped() throws {
        var original = try Self.tree(size: 37)
        var reopened = try MerkleTree(store: original.store, size: 37)
        #expect(reopened.root == original.root)
        for leaf in Self.leaves[37...] {
            #expect(try original.append(leafHash: leaf) == reopened.append(leafHash: leaf))
            #expect(original.root == reopened.root)
        }
        #expect(reopened.root == ReferenceTree.root(Self.leaves[...]))
        #expect(try reopened.inclusionProof(index: 3, size: 50) == original.inclusionProof(index: 3, size: 50))

        // A size the store cannot back is refused instead of producing a wrong root.
        let error = #expect(throws: MerkleTreeError.self) {
            try MerkleTree(store: original.store, size: UInt64(Self.maximumSize + 1))
        }
        #expect(error?.code == .missingNode)
    }

    @Test func appendsReadNothingAndProofsReadLogarithmicallyMany() throws {
        let counter = ReadCounter()
        var tree = try MerkleTree(store: CountingStore(counter: counter), size: 0)
        for index in 0..<5_000 {
            try tree.append(entry: Array("entry \(index)".utf8))
        }
        #expect(counter.reads == 0)
        // 2n - popcount(n) nodes for n leaves.
        #expect(tree.store.inner.nodeCount == 2 * 5_000 - 5_000.nonzeroBitCount)

        let bound = 3 * (64 - UInt64(5_000).leadingZeroBitCount)
        for (a, b) in [(0, 5_000), (1_234, 4_321), (4_999, 5_000), (2_047, 2_049), (1, 4_097)] {
            counter.reads = 0
            _ = try tree.root(size: UInt64(b - 1))
            #expect(counter.reads <= bound, "root of \(b - 1): \(counter.reads) reads")
            counter.reads = 0
            _ = try tree.inclusionProof(index: UInt64(a), size: UInt64(b))
            #expect(counter.reads <= bound, "inclusion \(a) in \(b): \(counter.reads) reads")
            counter.reads = 0
            _ = try tree.consistencyProof(from: UInt64(max(a, 1)), to: UInt64(b))
            #expect(counter.reads <= bound, "consistency \(a) → \(b): \(counter.reads) reads")
        }
    }

    @Test func aFailedWriteLeavesTheTreeAsItWas() throws {
        let counter = ReadCounter()
        var tree = try MerkleTree(store: CountingStore(counter: counter), size: 0)
        try tree.append(contentsOf: Self.leaves.prefix(7))
        let root = tree.root
        counter.failWrites = true
        #expect(throws: StoreFailure.self) {
            try tree.append(leafHash: Self.leaves[7])
        }
        #expect(tree.size == 7)
        #expect(tree.root == root)
        counter.failWrites = false
        try tree.append(contentsOf: Self.leaves[7...])
        #expect(tree.root == ReferenceTree.root(Self.leaves[...]))
    }

    @Test func requestsOutsideTheTreeAreRefused() throws {
        let tree = try Self.tree(size: 10)
        func code(_ body: () throws -> Void) -> MerkleTreeError.Code? {
            do {
                try body()
                return nil
            } catch let error as MerkleTreeError {
                return error.code
            } catch {
                return nil
            }
        }
        #expect(code { _ = try tree.root(size: 11) } == .beyondTreeSize)
        #expect(code { _ = try tree.leafHash(at: 10) } == .beyondTreeSize)
        #expect(code { _ = try tree.inclusionProof(index: 10, size: 10) } == .beyondTreeSize)
        #expect(code { _ = try tree.inclusionProof(index: 0, size: 11) } == .beyondTreeSize)
        #expect(code { _ = try tree.inclusionProof(index: 0, size: 0) } == .beyondTreeSize)
        #expect(code { _ = try tree.consistencyProof(from: 5, to: 4) } == .sizesOutOfOrder)
        #expect(code { _ = try tree.consistencyProof(from: 5, to: 11) } == .beyondTreeSize)
        #expect(code { _ = try tree.consistencyProof(from: 0, to: 4) } == .emptyOldTree)
        #expect(try tree.consistencyProof(from: 0, to: 0) == [])
        #expect(try tree.consistencyProof(from: 10, to: 10) == [])
        #expect(try tree.leafHash(at: 9) == Self.leaves[9])
    }

    @Test func theInMemoryStoreRefusesGaps() throws {
        var store = InMemoryTreeNodeStore()
        try store.put(level: 0, index: 0, hash: Self.leaves[0])
        try store.put(level: 0, index: 0, hash: Self.leaves[1])
        #expect(store.get(level: 0, index: 0) == Self.leaves[1])
        #expect(store.get(level: 0, index: 1) == nil)
        #expect(store.get(level: 5, index: 0) == nil)
        #expect(throws: MerkleTreeError.self) { try store.put(level: 0, index: 2, hash: Self.leaves[2]) }
        #expect(throws: MerkleTreeError.self) { try store.put(level: -1, index: 0, hash: Self.leaves[2]) }
    }
}

/// Shared, so the tests can watch a store the tree owns.
final class ReadCounter: @unchecked Sendable {
    var reads = 0
    var failWrites = false
}

struct StoreFailure: Error {}

/// An in-memory store that counts reads and can be made to fail writes.
struct CountingStore: TreeNodeStore {
    let counter: ReadCounter
    var inner = InMemoryTreeNodeStore()

    func get(level: Int, index: UInt64) throws -> TreeHash? {
        counter.reads += 1
        return inner.get(level: level, index: index)
    }

    mutating func put(level: Int, index: UInt64, hash: TreeHash) throws {
        // Fail on a parent, after the leaf was written, like a database dying mid-transaction.
        if counter.failWrites && level > 0 {
            throw StoreFailure()
        }
        try inner.put(level: level, index: index, hash: hash)
    }
}
