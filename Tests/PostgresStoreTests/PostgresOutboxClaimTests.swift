import CustomerLogin
import Foundation
import PostgresStore
import Testing

/// Claiming outbox messages across instances. Skipped without `SOLMU_TEST_POSTGRES_URL`.
@Suite("PostgreSQL outbox claims", .enabled(if: PostgresTestServer.isAvailable, "needs SOLMU_TEST_POSTGRES_URL"))
struct PostgresOutboxClaimTests {
    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    static func message(_ index: Int) -> OutboxMessage {
        OutboxMessage(
            id: "m-\(index)", kind: .oneTimeCode, destination: "user\(index)@example.com", payload: "{}",
            createdAt: start.addingTimeInterval(Double(index) / 1_000), attempts: 0, nextAttemptAt: start
        )
    }

    @Test func twoInstancesClaimEachMessageOnceUntilTheLeaseEnds() async throws {
        let configuration = try await PostgresTestServer.freshConfiguration()
        let first = try PostgresTestServer.open(configuration)
        let second = try PostgresTestServer.open(configuration)
        try await first.migrate()
        let a = PostgresLoginStore(database: first)
        let b = PostgresLoginStore(database: second)
        let count = 60
        for index in 0..<count { try await a.enqueue(Self.message(index)) }

        let now = Self.start.addingTimeInterval(1)
        let claims = try await withThrowingTaskGroup(of: [OutboxMessage].self) { group in
            for store in [a, b, a, b, a, b] {
                group.addTask { try await store.claimDueMessages(now: now, limit: 15, lease: .seconds(60)) }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claims.count == count)
        #expect(Set(claims.map(\.id)).count == count)
        #expect(claims.allSatisfy { $0.nextAttemptAt == Self.start })

        // Claimed messages are not due again within the lease, and are once it has ended.
        #expect(try await b.claimDueMessages(now: now.addingTimeInterval(30), limit: 100, lease: .seconds(60)).isEmpty)
        try await a.markDelivered("m-0", at: now)
        let again = try await b.claimDueMessages(now: now.addingTimeInterval(61), limit: 100, lease: .seconds(60))
        #expect(again.count == count - 1 && !again.contains { $0.id == "m-0" })
        await first.shutdown()
        await second.shutdown()
    }
}
