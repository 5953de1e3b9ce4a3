import Foundation
import Identifiers
import IdentityGraph
import Testing
import VerifiableLog

/// The link log as an RFC 9162 Merkle tree: every backend keeps the tree in step with the log.
@Suite("IdentityStore conformance: the verifiable log")
struct VerifiableLogConformanceTests {
    /// The root an auditor computes from the entries alone.
    func recomputedRoot(_ store: any IdentityStore) async throws -> (size: UInt64, root: [UInt8], leaves: [TreeHash]) {
        let entries = try await store.linkLog(customer: nil, after: nil, limit: 100_000)
        let leaves = entries.map { TreeHasher.leafHash(of: $0.leafBytes) }
        return (UInt64(entries.count), TreeHasher.rootHash(leafHashes: leaves).bytes, leaves)
    }

    func busyStore(_ backend: StoreBackend) async throws -> any IdentityStore {
        let store = try backend.make()
        let a = try await store.createCustomer(newCustomer(email("a@example.com"), phone("+358401234567")), context: context())
        let b = try await store.createCustomer(newCustomer(email("b@example.com")), context: context())
        // A refused link and a refused customer roll back: they must leave no leaf behind.
        _ = try? await store.link(email("b@example.com"), to: a.id, assurance: .asserted, context: context())
        _ = try await store.importCustomers([
            newCustomer(email("c@example.com")), newCustomer(email("a@example.com")), newCustomer(email("d@example.com")),
        ], context: context("import"))
        let merge = try await store.merge(survivor: a.id, duplicate: b.id, context: admin())
        _ = try await store.unmerge(merge.id, moving: [], context: admin())
        _ = try await store.move(phone("+358401234567"), to: b.id, assurance: .asserted, context: admin())
        _ = try await store.erase(b.id, context: admin())
        return store
    }

    @Test(arguments: StoreBackend.allCases)
    func theTreeHeadIsTheRootOfTheEntries(backend: StoreBackend) async throws {
        let store = try await busyStore(backend)
        let head = try await store.logTreeHead()
        let recomputed = try await recomputedRoot(store)
        #expect(head.size == recomputed.size && head.size > 10)
        #expect(head.root == recomputed.root)
        #expect(try await store.logRoot(size: head.size) == head.root)
        #expect(try await store.logRoot(size: 0) == TreeHasher.emptyRoot.bytes)
    }

    /// Text must be stored exactly as the leaf hashed it (non-ASCII, combining marks, emoji,
    /// quotes), or the log no longer verifies. (Control characters never reach a store: the API
    /// refuses them in reasons and operators, and PostgreSQL cannot store a NUL in text.)
    @Test(arguments: StoreBackend.allCases)
    func entriesKeepTheirTextExactly(backend: StoreBackend) async throws {
        let store = try backend.make()
        let odd = ChangeContext(actor: "pos-tiski-ä", reason: "käsin \"syötetty\" · e\u{301} · 🧾 · 'quoted' \\ back")
        let customer = try await store.createCustomer(newCustomer(email("nul@example.com")), context: odd)
        _ = try await store.link(receipt("helsinki", "7-1"), to: customer.id, assurance: .inferred, context: odd)
        let entries = try await store.linkLog(customer: nil, after: nil, limit: 10)
        #expect(entries.count == 3)
        for entry in entries {
            #expect(entry.record.actor == odd.actor)
            #expect(entry.record.reason == odd.reason)
        }
        let head = try await store.logTreeHead()
        #expect(head.root == (try await recomputedRoot(store)).root)
        #expect(try await store.resolve(receipt("helsinki", "7-1"))?.links.first { $0.identifier.kind == .receipt }?.provenance.channel == odd.actor)
    }

    @Test(arguments: StoreBackend.allCases)
    func everyInclusionAndConsistencyProofVerifies(backend: StoreBackend) async throws {
        let store = try await busyStore(backend)
        let (size, _, leaves) = try await recomputedRoot(store)
        for treeSize in 1...size {
            let root = try #require(TreeHash(bytes: try await store.logRoot(size: treeSize)))
            #expect(root == TreeHasher.rootHash(leafHashes: leaves.prefix(Int(treeSize))))
            for index in 0..<treeSize {
                let proof = try await store.logInclusionProof(index: index, size: treeSize).compactMap { TreeHash(bytes: $0) }
                try MerkleProof.verifyInclusion(leafHash: leaves[Int(index)], index: index, size: treeSize, proof: proof, root: root)
            }
            for from in 1..<treeSize {
                let old = try #require(TreeHash(bytes: try await store.logRoot(size: from)))
                let proof = try await store.logConsistencyProof(from: from, to: treeSize).compactMap { TreeHash(bytes: $0) }
                try MerkleProof.verifyConsistency(from: from, to: treeSize, proof: proof, oldRoot: old, newRoot: root)
            }
        }
        await #expect(throws: IdentityGraphError.self) { try await store.logInclusionProof(index: size, size: size) }
        await #expect(throws: IdentityGraphError.self) { try await store.logConsistencyProof(from: 0, to: size) }
        await #expect(throws: IdentityGraphError.self) { try await store.logRoot(size: size + 1) }
    }

    @Test(arguments: StoreBackend.allCases)
    func oneCheckpointPerSizeAndNeverAnotherRoot(backend: StoreBackend) async throws {
        let store = try await busyStore(backend)
        #expect(try await store.latestCheckpoint() == nil)
        let head = try await store.logTreeHead()
        let first = StoredCheckpoint(size: head.size, root: head.root, note: "note one\n", createdAt: fixedTime)
        #expect(try await store.saveCheckpoint(first) == first)
        // A second signer for the same size gets the stored one back.
        let second = StoredCheckpoint(size: head.size, root: head.root, note: "note two\n", createdAt: fixedTime.addingTimeInterval(1))
        #expect(try await store.saveCheckpoint(second) == first)
        var forged = first
        forged.root = TreeHasher.emptyRoot.bytes
        await #expect(throws: IdentityGraphError.self) { try await store.saveCheckpoint(forged) }
        #expect(try await store.latestCheckpoint() == first)
    }
}
