import CustomerLogin
import Foundation
import Logging
import Messaging
import SQLiteStore
import Testing

/// The delivery service against the real store: the queue survives a restart.
@Suite struct OutboxDeliverySQLiteTests {
    private let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func aRestartLosesNothing() async throws {
        let folder = "\(NSTemporaryDirectory())solmu-messaging-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/solmu.sqlite"
        let now = Fixtures.epoch

        // First process: the first attempt fails, then the process goes away.
        do {
            let store = SQLiteLoginStore(database: try SQLiteDatabase(path: path))
            try await store.enqueue(Fixtures.code())
            try await store.enqueue(Fixtures.code(id: "msg_doomed"))
            let delivery = OutboxDelivery(
                store: store, policy: MessagingPolicy(maxAttempts: 1), codeSender: ScriptedSender(failing: [.timeout, .timeout]),
                backchannelLogoutSender: ScriptedSender(), logger: self.quiet, jitter: { 0 }
            )
            #expect(try await delivery.deliverDue(now: now) == DeliveryReport(abandoned: 2))

            // Give the second message another chance by hand, as an operator would with SQL.
            try await store.reschedule("msg_code_1", attempts: 1, nextAttemptAt: now.addingTimeInterval(2), error: "timed out")
        }

        // Second process: same file, new store.
        let store = SQLiteLoginStore(database: try SQLiteDatabase(path: path))
        let due = try await store.dueMessages(now: now.addingTimeInterval(2), limit: 100)
        #expect(due.map(\.id) == ["msg_code_1"])
        #expect(due.first?.attempts == 1)

        let codes = ScriptedSender()
        let delivery = OutboxDelivery(
            store: store, policy: MessagingPolicy(), codeSender: codes, backchannelLogoutSender: ScriptedSender(), logger: self.quiet, jitter: { 0 }
        )
        #expect(try await delivery.deliverDue(now: now.addingTimeInterval(2)) == DeliveryReport(delivered: 1))
        #expect(codes.sent.map(\.id) == ["msg_code_1"])
        // The abandoned message never comes due again, however late it gets.
        #expect(try await store.dueMessages(now: now.addingTimeInterval(100 * 365 * 86_400), limit: 100).isEmpty)
    }
}
