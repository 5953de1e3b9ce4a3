public import AsyncHTTPClient
public import CustomerLogin
public import Foundation
import Synchronization
public import Logging
public import ServiceLifecycle

/// The background service that empties the outbox: every poll interval it takes the due messages
/// from the ``LoginStore``, hands each to its sender and records the outcome.
///
/// - One-time codes go to the policy's code sender (file or webhook); back-channel logout tokens
///   to the ``BackchannelLogoutSender``.
/// - A delivered message is marked delivered. A failed one is rescheduled with one more attempt
///   after ``MessagingPolicy/backoff(afterAttempt:jitter:)`` (2 s, 4 s, 8 s, … up to 10 min, less
///   up to a quarter of jitter), with a short reason that holds no personal data.
/// - After ``MessagingPolicy/maxAttempts`` failed attempts it gives up: it logs an error with the
///   message's id and kind and reschedules the message at `Date.distantFuture`. The message is
///   not marked delivered, because it was not; `LoginStore` has no "failed" state, and a message
///   that is never due again is the same thing while keeping the row (attempts, last error) for
///   the operator, who can set `next_attempt_at` back to retry it by hand.
///
/// The queue lives in the store, so a restart loses nothing: what was due is still due. Delivery
/// is at least once: if the process dies between sending and marking, the message goes out again
/// with the same id, and receivers deduplicate on it. Several instances may poll the same store;
/// the same holds for them.
///
/// ``run()`` polls until graceful shutdown (it finishes the batch in hand, then returns) or task
/// cancellation; tests call ``deliverDue(now:)`` directly instead.
public struct OutboxDelivery: Service {
    /// The most messages taken from the store per pass.
    public static let batchSize = 100
    /// The most messages in flight at once within a pass.
    public static let concurrency = 8
    /// How long a claimed message is held for this instance: longer than a delivery can take
    /// (timeouts included), so that no other instance sends it meanwhile.
    public static let lease: Duration = .seconds(120)

    private let store: any LoginStore
    private let policy: MessagingPolicy
    private let codeSender: any MessageSender
    private let backchannelLogoutSender: any MessageSender
    private let pollInterval: Duration
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let jitter: @Sendable () -> Double

    /// A delivery service with explicit senders.
    ///
    /// - Parameters:
    ///   - store: Where the outbox lives.
    ///   - policy: Retry settings (its code sender setting is not used here).
    ///   - codeSender: Carries `.oneTimeCode` messages.
    ///   - backchannelLogoutSender: Carries `.backchannelLogout` messages.
    ///   - pollInterval: The pause between passes; 1 second by default.
    ///   - logger: For failures and give-ups.
    ///   - now: The clock.
    ///   - jitter: A random value in `0...1` per retry; uniform by default.
    public init(
        store: any LoginStore,
        policy: MessagingPolicy,
        codeSender: any MessageSender,
        backchannelLogoutSender: any MessageSender,
        pollInterval: Duration = .seconds(1),
        logger: Logger = Logger(label: "solmu.messaging.outbox"),
        now: @escaping @Sendable () -> Date = { Date() },
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.store = store
        self.policy = policy
        self.codeSender = codeSender
        self.backchannelLogoutSender = backchannelLogoutSender
        self.pollInterval = pollInterval
        self.logger = logger
        self.now = now
        self.jitter = jitter
    }

    /// A delivery service with the senders that `policy` names.
    ///
    /// - Parameters:
    ///   - store: Where the outbox lives.
    ///   - policy: The code sender and retry settings.
    ///   - httpClient: For the webhook and back-channel logout; the shared client by default.
    ///   - pollInterval: The pause between passes; 1 second by default.
    ///   - logger: For failures, give-ups and the file sender's lines.
    ///   - now: The clock.
    public init(
        store: any LoginStore,
        policy: MessagingPolicy,
        httpClient: HTTPClient = .shared,
        pollInterval: Duration = .seconds(1),
        logger: Logger = Logger(label: "solmu.messaging.outbox"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.init(
            store: store,
            policy: policy,
            codeSender: policy.makeCodeSender(client: httpClient, logger: logger, now: now),
            backchannelLogoutSender: policy.makeBackchannelLogoutSender(client: httpClient),
            pollInterval: pollInterval,
            logger: logger,
            now: now
        )
    }

    /// Passes that may run at once: a pass waiting on a slow receiver (a back-channel logout URI
    /// that does not answer, up to its timeout) must not hold up the one-time codes that became
    /// due meanwhile. Claims keep passes from sending the same message.
    public static let concurrentPasses = 4

    /// Polls the outbox until graceful shutdown or cancellation: a new pass every poll interval,
    /// up to ``concurrentPasses`` at once.
    ///
    /// A pass that fails (the store is unavailable) is logged and tried again at the next poll.
    public func run() async throws {
        let running = PassCount()
        await withDiscardingTaskGroup { passes in
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                let started = running.value.withLock { count in
                    guard count < Self.concurrentPasses else { return false }
                    count += 1
                    return true
                }
                if started {
                    passes.addTask {
                        defer { running.value.withLock { $0 -= 1 } }
                        do {
                            try await self.deliverDue(now: self.now())
                        } catch is CancellationError {
                        } catch {
                            self.logger.error("Outbox pass failed", metadata: ["error": "\(String(describing: type(of: error)))"])
                        }
                    }
                }
                do {
                    let interval = self.pollInterval
                    try await cancelWhenGracefulShutdown {
                        try await Task.sleep(for: interval)
                    }
                } catch {
                    // Cancelled or shutting down: both end the loop (the passes under way finish).
                    break
                }
            }
        }
    }

    /// Delivers every message due at `now` (up to ``batchSize``) and records each outcome.
    ///
    /// - Parameter now: The time that decides what is due and when retries happen.
    /// - Returns: What the pass did.
    /// - Throws: When the store cannot list due messages, or `CancellationError`. Failures to
    ///   record a single outcome are logged, not thrown: the message is due again when its
    ///   claim (``lease``) ends, and is sent again.
    @discardableResult
    public func deliverDue(now: Date) async throws -> DeliveryReport {
        // Claimed, not just read: with several instances on one database each message is sent
        // by one of them.
        let due = try await self.store.claimDueMessages(now: now, limit: Self.batchSize, lease: Self.lease)
        guard !due.isEmpty else { return DeliveryReport() }

        return await withTaskGroup(of: Outcome.self, returning: DeliveryReport.self) { group in
            var report = DeliveryReport()
            var inFlight = 0
            func tally(_ outcome: Outcome) {
                switch outcome {
                case .delivered: report.delivered += 1
                case .rescheduled: report.rescheduled += 1
                case .abandoned: report.abandoned += 1
                case .unrecorded: break
                }
            }
            for message in due {
                if inFlight == Self.concurrency, let outcome = await group.next() {
                    tally(outcome)
                    inFlight -= 1
                }
                group.addTask { await self.deliver(message, now: now) }
                inFlight += 1
            }
            for await outcome in group {
                tally(outcome)
            }
            return report
        }
    }

    private enum Outcome: Sendable {
        case delivered, rescheduled, abandoned, unrecorded
    }

    private func deliver(_ message: OutboxMessage, now: Date) async -> Outcome {
        let sender: any MessageSender =
            switch message.kind {
            case .oneTimeCode: self.codeSender
            case .backchannelLogout: self.backchannelLogoutSender
            }
        var metadata: Logger.Metadata = [
            "message_id": "\(message.id)",
            "message_kind": "\(message.kind.rawValue)",
        ]
        do {
            try await sender.send(message)
        } catch is CancellationError {
            // Shutting down mid-send: leave the message due; the next start sends it again.
            return .unrecorded
        } catch {
            return await self.recordFailure(of: message, reason: Self.reason(for: error), now: now, metadata: &metadata)
        }
        do {
            try await self.store.markDelivered(message.id, at: now)
            return .delivered
        } catch {
            metadata["error"] = "\(String(describing: type(of: error)))"
            self.logger.error("Delivered message could not be marked; it will be sent again", metadata: metadata)
            return .unrecorded
        }
    }

    private func recordFailure(of message: OutboxMessage, reason: String, now: Date, metadata: inout Logger.Metadata) async -> Outcome {
        let attempts = message.attempts + 1
        let givingUp = attempts >= self.policy.maxAttempts
        let next = givingUp ? Date.distantFuture : now.addingTimeInterval(Self.seconds(self.policy.backoff(afterAttempt: message.attempts, jitter: self.jitter())))
        metadata["attempts"] = "\(attempts)"
        metadata["reason"] = "\(reason)"
        do {
            try await self.store.reschedule(message.id, attempts: attempts, nextAttemptAt: next, error: givingUp ? "gave up after \(attempts) attempts: \(reason)" : reason)
        } catch {
            metadata["error"] = "\(String(describing: type(of: error)))"
            self.logger.error("Failed message could not be rescheduled", metadata: metadata)
            return .unrecorded
        }
        if givingUp {
            self.logger.error("Message delivery abandoned after the last attempt", metadata: metadata)
            return .abandoned
        }
        self.logger.warning("Message delivery failed; will retry", metadata: metadata)
        return .rescheduled
    }

    /// A short reason without personal data: ``MessagingError``'s description, else the error's type.
    private static func reason(for error: any Error) -> String {
        if let error = error as? MessagingError {
            return error.description
        }
        return "delivery failed (\(String(describing: type(of: error))))"
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

/// The passes of ``OutboxDelivery/run()`` under way.
private final class PassCount: Sendable {
    let value = Mutex(0)
}
