import Crypto
import CustomerLogin
import Foundation
import Logging
import Messaging
import ServiceLifecycle
import Synchronization
import Testing

@Suite struct OutboxDeliveryTests {
    private let now = Fixtures.epoch

    private func delivery(
        store: InMemoryOutboxStore,
        policy: MessagingPolicy = MessagingPolicy(),
        codes: ScriptedSender = ScriptedSender(),
        logouts: ScriptedSender = ScriptedSender(),
        logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    ) -> OutboxDelivery {
        OutboxDelivery(
            store: store,
            policy: policy,
            codeSender: codes,
            backchannelLogoutSender: logouts,
            pollInterval: .milliseconds(20),
            logger: logger,
            now: { Fixtures.epoch },
            jitter: { 0 }
        )
    }

    @Test func deliversDueMessagesAndMarksThem() async throws {
        let store = InMemoryOutboxStore()
        let codes = ScriptedSender()
        try await store.enqueue(Fixtures.code())

        let report = try await self.delivery(store: store, codes: codes).deliverDue(now: self.now)

        #expect(report == DeliveryReport(delivered: 1))
        #expect(codes.sent.map(\.id) == ["msg_code_1"])
        #expect(store.row("msg_code_1")?.deliveredAt == self.now)
        #expect(try await store.dueMessages(now: self.now.addingTimeInterval(3600), limit: 100).isEmpty)
    }

    @Test func routesEachKindToItsSender() async throws {
        let store = InMemoryOutboxStore()
        let codes = ScriptedSender()
        let logouts = ScriptedSender()
        try await store.enqueue(Fixtures.code())
        try await store.enqueue(Fixtures.logout(to: "https://shop.example/logout"))

        let report = try await self.delivery(store: store, codes: codes, logouts: logouts).deliverDue(now: self.now)

        #expect(report.delivered == 2)
        #expect(codes.sent.map(\.kind) == [.oneTimeCode])
        #expect(logouts.sent.map(\.kind) == [.backchannelLogout])
    }

    @Test func leavesMessagesThatAreNotDueYet() async throws {
        let store = InMemoryOutboxStore()
        let codes = ScriptedSender()
        var later = Fixtures.code()
        later.nextAttemptAt = self.now.addingTimeInterval(10)
        try await store.enqueue(later)

        let report = try await self.delivery(store: store, codes: codes).deliverDue(now: self.now)

        #expect(report.total == 0)
        #expect(codes.sent.isEmpty)
    }

    @Test func aFailureReschedulesWithOneMoreAttemptAndALaterSuccessMarksDelivered() async throws {
        let store = InMemoryOutboxStore()
        let codes = ScriptedSender(failing: [.unexpectedStatus(503), .timeout])
        let delivery = self.delivery(store: store, codes: codes)
        try await store.enqueue(Fixtures.code(to: "anna@example.com", code: "482913"))

        #expect(try await delivery.deliverDue(now: self.now) == DeliveryReport(rescheduled: 1))
        var row = try #require(store.row("msg_code_1"))
        #expect(row.message.attempts == 1)
        #expect(row.message.nextAttemptAt == self.now.addingTimeInterval(2))
        #expect(row.lastError == "unexpected HTTP status 503")
        #expect(row.deliveredAt == nil)

        // Not due again before the backoff has passed.
        #expect(try await delivery.deliverDue(now: self.now.addingTimeInterval(1)).total == 0)

        #expect(try await delivery.deliverDue(now: self.now.addingTimeInterval(2)) == DeliveryReport(rescheduled: 1))
        row = try #require(store.row("msg_code_1"))
        #expect(row.message.attempts == 2)
        #expect(row.message.nextAttemptAt == self.now.addingTimeInterval(2 + 4))
        #expect(row.lastError == "timed out")

        #expect(try await delivery.deliverDue(now: self.now.addingTimeInterval(6)) == DeliveryReport(delivered: 1))
        #expect(store.row("msg_code_1")?.deliveredAt == self.now.addingTimeInterval(6))
        #expect(codes.sent.count == 3)
    }

    @Test func recordedReasonsHoldNoPersonalData() async throws {
        struct LeakyError: Error, CustomStringConvertible {
            var description: String { "could not reach anna@example.com with code 482913" }
        }
        final class LeakySender: MessageSender {
            func send(_ message: OutboxMessage) async throws { throw LeakyError() }
        }
        let store = InMemoryOutboxStore()
        let (logger, lines) = CapturingLogHandler.logger()
        let delivery = OutboxDelivery(store: store, policy: MessagingPolicy(), codeSender: LeakySender(), backchannelLogoutSender: ScriptedSender(), logger: logger, jitter: { 0 })
        try await store.enqueue(Fixtures.code(to: "anna@example.com", code: "482913"))

        try await delivery.deliverDue(now: self.now)

        let reason = try #require(store.row("msg_code_1")?.lastError)
        #expect(reason == "delivery failed (LeakyError)")
        let logged = lines.all.map(\.rendered).joined(separator: "\n")
        #expect(!logged.contains("anna"))
        #expect(!logged.contains("482913"))
        #expect(logged.contains("msg_code_1"))
    }

    @Test func givesUpAfterMaxAttemptsAndLogsAnError() async throws {
        let store = InMemoryOutboxStore()
        let (logger, lines) = CapturingLogHandler.logger()
        let codes = ScriptedSender(failing: Array(repeating: .connectionFailed, count: 10))
        let delivery = self.delivery(store: store, policy: MessagingPolicy(maxAttempts: 3), codes: codes, logger: logger)
        try await store.enqueue(Fixtures.code())

        var time = self.now
        #expect(try await delivery.deliverDue(now: time) == DeliveryReport(rescheduled: 1))
        time = try #require(store.row("msg_code_1")).message.nextAttemptAt
        #expect(try await delivery.deliverDue(now: time) == DeliveryReport(rescheduled: 1))
        time = try #require(store.row("msg_code_1")).message.nextAttemptAt
        #expect(try await delivery.deliverDue(now: time) == DeliveryReport(abandoned: 1))

        let row = try #require(store.row("msg_code_1"))
        #expect(row.message.attempts == 3)
        #expect(row.message.nextAttemptAt == .distantFuture)
        #expect(row.deliveredAt == nil)
        #expect(row.lastError == "gave up after 3 attempts: connection failed")
        #expect(try await delivery.deliverDue(now: time.addingTimeInterval(86_400 * 365)).total == 0)
        #expect(codes.sent.count == 3)

        let errors = lines.all.filter { $0.level == .error }
        try #require(errors.count == 1)
        #expect(errors[0].metadata["message_id"] == "msg_code_1")
        #expect(errors[0].metadata["message_kind"] == "one_time_code")
    }

    @Test func takesAtMostOneBatchPerPass() async throws {
        let store = InMemoryOutboxStore()
        let codes = ScriptedSender()
        for index in 0..<(OutboxDelivery.batchSize + 5) {
            try await store.enqueue(Fixtures.code(id: "msg_\(index)"))
        }
        let delivery = self.delivery(store: store, codes: codes)

        #expect(try await delivery.deliverDue(now: self.now).delivered == OutboxDelivery.batchSize)
        #expect(try await delivery.deliverDue(now: self.now).delivered == 5)
        #expect(Set(codes.sent.map(\.id)).count == OutboxDelivery.batchSize + 5)
    }

    @Test func webhookAnswering500Then200IsRetriedThenDelivered() async throws {
        let server = try await TestHTTPServer.start(answering: [500, 200])
        let store = InMemoryOutboxStore()
        let policy = MessagingPolicy(codeSender: .webhook(url: server.url("/hook"), secret: SymmetricKey(data: Array("k".utf8)), timeout: .seconds(5)))
        let delivery = OutboxDelivery(store: store, policy: policy, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), now: { Fixtures.epoch })
        try await store.enqueue(Fixtures.code())

        #expect(try await delivery.deliverDue(now: self.now).rescheduled == 1)
        let retryAt = try #require(store.row("msg_code_1")).message.nextAttemptAt
        #expect(retryAt > self.now.addingTimeInterval(1.4) && retryAt <= self.now.addingTimeInterval(2))
        #expect(try await delivery.deliverDue(now: retryAt).delivered == 1)
        try await server.stop()

        #expect(server.requests.count == 2)
        #expect(store.row("msg_code_1")?.deliveredAt == retryAt)
    }

    @Test func runPollsUntilGracefulShutdown() async throws {
        let store = InMemoryOutboxStore()
        let codes = ScriptedSender()
        let delivery = self.delivery(store: store, codes: codes)
        let group = ServiceGroup(services: [delivery], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // Enqueued after start: only a later poll can find it.
            try await Task.sleep(for: .milliseconds(50))
            try await store.enqueue(Fixtures.code())
            let deadline = ContinuousClock.now + .seconds(5)
            while store.row("msg_code_1")?.deliveredAt == nil, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }

        #expect(store.row("msg_code_1")?.deliveredAt != nil)
    }

    @Test func aSlowReceiverDoesNotHoldUpTheCodes() async throws {
        let store = InMemoryOutboxStore()
        let codes = ScriptedSender()
        let stuck = BlockedSender()
        let delivery = OutboxDelivery(
            store: store, policy: MessagingPolicy(), codeSender: codes, backchannelLogoutSender: stuck, pollInterval: .milliseconds(20),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), now: { Fixtures.epoch }, jitter: { 0 }
        )
        let group = ServiceGroup(services: [delivery], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await store.enqueue(Fixtures.logout(to: "https://shop.example/logout"))

        var deliveredWhileStuck = false
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // The logout's receiver never answers until released (a dead back-channel URI). The
            // deadline only guards against a hang (other suites may hold the cooperative threads
            // for seconds while they wait for subprocesses); nothing here measures time.
            let deadline = ContinuousClock.now + .seconds(60)
            while !stuck.called, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            try await store.enqueue(Fixtures.code())
            while store.row("msg_code_1")?.deliveredAt == nil, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            deliveredWhileStuck = stuck.called && !stuck.released && store.row("msg_code_1")?.deliveredAt != nil
            stuck.release()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(deliveredWhileStuck, "the one-time code waited for the stuck back-channel logout")
        #expect(codes.sent.map(\.id) == ["msg_code_1"])
    }

    @Test func runStopsOnCancellation() async throws {
        let delivery = self.delivery(store: InMemoryOutboxStore())
        let task = Task { try await delivery.run() }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        try await task.value
    }
}

/// A sender whose `send` waits until ``release()``: a receiver that does not answer.
final class BlockedSender: MessageSender {
    private struct State {
        var called = false
        var released = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    var called: Bool { state.withLock { $0.called } }
    var released: Bool { state.withLock { $0.released } }

    func send(_ message: OutboxMessage) async throws {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                state.called = true
                if state.released { return true }
                state.waiting.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func release() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.released = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}
