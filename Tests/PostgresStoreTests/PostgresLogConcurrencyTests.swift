import Crypto
import Foundation
import IdentityGraph
import Identifiers
import PostgresStore
import Testing
import VerifiableLog

/// Several instances on one database: the link log stays gap-free and its tree consistent, and
/// they agree on checkpoints. Skipped without `SOLMU_TEST_POSTGRES_URL`.
@Suite("PostgreSQL link log across instances", .enabled(if: PostgresTestServer.isAvailable, "needs SOLMU_TEST_POSTGRES_URL"))
struct PostgresLogConcurrencyTests {
    static let keys = LinkLogKeys(master: SymmetricKey(data: Data(repeating: 7, count: 32)))

    /// Two instances (two pools, two stores, each with its own cached tree) on one database.
    func twoInstances() async throws -> (PostgresIdentityStore, PostgresIdentityStore, [PostgresDatabase]) {
        let configuration = try await PostgresTestServer.freshConfiguration()
        let first = try PostgresTestServer.open(configuration)
        let second = try PostgresTestServer.open(configuration)
        try await first.migrate()
        return (
            PostgresIdentityStore(database: first, rules: .default, keys: Self.keys),
            PostgresIdentityStore(database: second, rules: .default, keys: Self.keys),
            [first, second]
        )
    }

    func email(_ value: String) -> Identifier { Identifier(trustedKind: .email, namespace: nil, value: value) }

    func context(_ actor: String) -> ChangeContext {
        ChangeContext(actor: actor, reason: nil, time: Date(timeIntervalSince1970: 1_790_000_000.1234))
    }

    @Test func concurrentAppendsFromTwoInstancesKeepTheLogGapFreeAndTheTreeConsistent() async throws {
        let (a, b, databases) = try await twoInstances()
        let perInstance = 40
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (name, store) in [("a", a), ("b", b)] {
                for index in 0..<perInstance {
                    group.addTask {
                        let customer = try await store.createCustomer(
                            NewCustomer(identifiers: [.init(identifier: self.email("\(name)\(index)@example.com"), assurance: .asserted)], profile: Profile()),
                            context: self.context(name)
                        )
                        if index % 4 == 0 {
                            _ = try await store.importCustomers([
                                NewCustomer(identifiers: [.init(identifier: self.email("import-\(name)\(index)@example.com"), assurance: .verified)], profile: Profile()),
                                // Taken already: refused alone, leaves no entry.
                                NewCustomer(identifiers: [.init(identifier: self.email("\(name)\(index)@example.com"), assurance: .verified)], profile: Profile()),
                            ], context: self.context(name))
                        }
                        if index % 5 == 0 {
                            _ = try await store.recordEvent(
                                LinkLogRecord(time: Date(), actor: name, action: .tokenExchanged, customerID: customer.id),
                                identifier: index % 10 == 0 ? self.email("\(name)\(index)@example.com") : nil
                            )
                        }
                    }
                }
            }
            try await group.waitForAll()
        }

        let entries = try await a.linkLog(customer: nil, after: nil, limit: 100_000)
        #expect(entries.map(\.sequence) == Array(1...Int64(entries.count)))
        let expectedCount = 2 * (perInstance * 2 + (perInstance / 4) * 2 + perInstance / 5)
        #expect(entries.count == expectedCount)

        let leaves = entries.map { TreeHasher.leafHash(of: $0.leafBytes) }
        let root = TreeHasher.rootHash(leafHashes: leaves)
        let headA = try await a.logTreeHead()
        let headB = try await b.logTreeHead()
        #expect(headA == headB)
        #expect(headA.size == UInt64(entries.count))
        #expect(headA.root == root.bytes)

        // Proofs from either instance verify against the recomputed tree.
        let size = headA.size
        for index in stride(from: UInt64(0), to: size, by: 7) {
            let proof = try await b.logInclusionProof(index: index, size: size).compactMap { TreeHash(bytes: $0) }
            try MerkleProof.verifyInclusion(leafHash: leaves[Int(index)], index: index, size: size, proof: proof, root: root)
        }
        for from in stride(from: UInt64(1), to: size, by: 13) {
            let old = try #require(TreeHash(bytes: try await a.logRoot(size: from)))
            #expect(old == TreeHasher.rootHash(leafHashes: leaves.prefix(Int(from))))
            let proof = try await a.logConsistencyProof(from: from, to: size).compactMap { TreeHash(bytes: $0) }
            try MerkleProof.verifyConsistency(from: from, to: size, proof: proof, oldRoot: old, newRoot: root)
        }
        for database in databases { await database.shutdown() }
    }

    /// Each instance caches its tree's compact range; appends alternating between them must
    /// notice the other's entries.
    @Test func alternatingAppendsReloadTheOtherInstancesEntries() async throws {
        let (a, b, databases) = try await twoInstances()
        for index in 0..<9 {
            let store = index % 3 == 0 ? b : a
            _ = try await store.createCustomer(
                NewCustomer(identifiers: [.init(identifier: email("alt\(index)@example.com"), assurance: .asserted)], profile: Profile()),
                context: context("alt")
            )
            let entries = try await store.linkLog(customer: nil, after: nil, limit: 1_000)
            let root = TreeHasher.rootHash(leafHashes: entries.map { TreeHasher.leafHash(of: $0.leafBytes) })
            #expect(try await a.logTreeHead().root == root.bytes)
            #expect(try await b.logTreeHead().root == root.bytes)
        }
        for database in databases { await database.shutdown() }
    }

    /// Signers on both instances racing for one size all get the one stored checkpoint.
    @Test func concurrentCheckpointsForOneSizeAgree() async throws {
        let (a, b, databases) = try await twoInstances()
        _ = try await a.createCustomer(
            NewCustomer(identifiers: [.init(identifier: email("cp@example.com"), assurance: .asserted)], profile: Profile()), context: context("cp")
        )
        let head = try await b.logTreeHead()
        let saved = try await withThrowingTaskGroup(of: StoredCheckpoint.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let store = index.isMultiple(of: 2) ? a : b
                    return try await store.saveCheckpoint(StoredCheckpoint(
                        size: head.size, root: head.root, note: "note from signer \(index)\n", createdAt: Date(timeIntervalSince1970: 1_790_000_000)
                    ))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(saved.map(\.note)).count == 1)
        #expect(saved.allSatisfy { $0.root == head.root && $0.size == head.size })
        #expect(try await a.latestCheckpoint() == saved[0])
        #expect(try await b.latestCheckpoint() == saved[0])

        // Another root for that size is refused: the log would have been rewritten.
        var forged = head.root
        forged[0] ^= 1
        await #expect(throws: IdentityGraphError.self) {
            try await a.saveCheckpoint(StoredCheckpoint(size: head.size, root: forged, note: "forged\n", createdAt: Date()))
        }
        for database in databases { await database.shutdown() }
    }
}
