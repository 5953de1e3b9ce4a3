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

    /// A bulk import prepares each batch while the one before is written, and a store may hash
    /// its leaves then, against the sequence numbers it expects. Here the expectations miss: a
    /// customer the write refuses (its identifier was taken by a batch prepared before it), a
    /// change written between a batch's preparation and its write, and a batch written twice.
    /// The tree must still be exactly the entries' tree.
    @Test(arguments: StoreBackend.allCases)
    func pipelinedImportsKeepTheTreeWhenTheirSequencesShift(backend: StoreBackend) async throws {
        let store = try backend.make()
        let importing = context("import")
        func batch(_ range: ClosedRange<Int>, name: String) -> [NewCustomer] {
            range.map { newCustomer(email("\(name)\($0)@example.com"), phone("+35840\(1_000_000 + $0)")) }
        }
        var prepared = try await store.prepareImport(batch(1...3, name: "first"), context: importing)
        // The next batch repeats a phone number of this one: the write refuses that customer.
        var next = try await store.prepareImport(batch(3...6, name: "second"), context: importing)
        #expect(try await store.importCustomers(prepared).allSatisfy { (try? $0.get()) != nil })
        prepared = next
        next = try await store.prepareImport(batch(7...9, name: "third"), context: importing)
        let second = try await store.importCustomers(prepared)
        #expect(second.map { (try? $0.get()) == nil } == [true, false, false, false])
        // Written by someone else between the third batch's preparation and its write.
        _ = try await store.createCustomer(newCustomer(email("between@example.com")), context: context())
        #expect(try await store.importCustomers(next).allSatisfy { (try? $0.get()) != nil })
        // A batch written twice: the second write refuses every customer (PostgreSQL) or fails on
        // their existing ids and rolls back (SQLite). Either way it leaves no entry.
        let twice = try await store.prepareImport(batch(10...12, name: "fourth"), context: importing)
        _ = try await store.importCustomers(twice)
        let sizeBefore = try await store.logTreeHead().size
        if let again = try? await store.importCustomers(twice) { #expect(again.allSatisfy { (try? $0.get()) == nil }) }
        #expect(try await store.logTreeHead().size == sizeBefore)
        #expect(try await store.importCustomers(batch(13...14, name: "fifth"), context: importing).allSatisfy { (try? $0.get()) != nil })

        let head = try await store.logTreeHead()
        let recomputed = try await recomputedRoot(store)
        // Customers 1-3, 4-6, 7-9 with the one in between, 10-12 and 13-14: three entries each.
        #expect(head.size == 3 * 14 + 2)
        #expect(head.size == recomputed.size && head.root == recomputed.root)
        for size in [UInt64(1), 9, 10, 19, 20, 30, head.size] {
            #expect(try await store.logRoot(size: size) == TreeHasher.rootHash(leafHashes: recomputed.leaves.prefix(Int(size))).bytes)
        }
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
