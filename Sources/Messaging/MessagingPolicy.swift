public import Crypto

/// How Solmu delivers its outbox: which sender carries one-time codes, and how failed deliveries
/// are retried.
///
/// Back-channel logout tokens are not configured here: they always go by HTTP POST to the
/// channel's `backchannel_logout_uri` (see ``BackchannelLogoutSender``).
public struct MessagingPolicy: Sendable, Equatable {
    /// Who carries one-time codes to customers.
    public enum CodeSender: Sendable, Equatable {
        /// Writes each message as a JSON file into `directory`; for development only.
        case file(directory: String)
        /// POSTs each message, signed, to the retailer's messaging webhook
        /// (see ``WebhookMessageSender``), which sends the e-mail or SMS.
        case webhook(url: String, secret: SymmetricKey, timeout: Duration)

        /// The development default: files in `data/outbox`.
        public static let defaultFile = CodeSender.file(directory: "data/outbox")
    }

    /// Who carries one-time codes.
    public var codeSender: CodeSender
    /// How many delivery attempts a message gets before Solmu gives up on it.
    public var maxAttempts: Int
    /// The wait after the first failed attempt; it doubles after each further failure.
    public var initialBackoff: Duration
    /// The longest wait between two attempts.
    public var maxBackoff: Duration
    /// How long a back-channel logout POST may take.
    public var backchannelLogoutTimeout: Duration

    /// - Parameters:
    ///   - codeSender: Who carries one-time codes; files in `data/outbox` by default.
    ///   - maxAttempts: Delivery attempts per message (at least 1); 8 by default.
    ///   - initialBackoff: The first retry delay; 2 seconds by default.
    ///   - maxBackoff: The cap on retry delays; 10 minutes by default.
    ///   - backchannelLogoutTimeout: The timeout of one back-channel logout POST; 10 seconds by default.
    public init(
        codeSender: CodeSender = .defaultFile,
        maxAttempts: Int = 8,
        initialBackoff: Duration = .seconds(2),
        maxBackoff: Duration = .seconds(600),
        backchannelLogoutTimeout: Duration = .seconds(10)
    ) {
        self.codeSender = codeSender
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.backchannelLogoutTimeout = backchannelLogoutTimeout
    }

    /// The delay before the next attempt, before jitter: ``initialBackoff`` doubled once per
    /// earlier failure, capped at ``maxBackoff``.
    ///
    /// - Parameter attempt: The zero-based number of the attempt that just failed (the message's
    ///   `attempts` before this failure): 0 gives ``initialBackoff``, 1 twice that, and so on.
    /// - Returns: The delay, at most ``maxBackoff``.
    public func baseBackoff(afterAttempt attempt: Int) -> Duration {
        // Doubling 20 times already passes any sensible cap; stop there to avoid overflow.
        let doublings = min(max(0, attempt), 20)
        let delay = self.initialBackoff * (1 << doublings)
        return min(delay, self.maxBackoff)
    }

    /// The delay before the next attempt, with jitter: ``baseBackoff(afterAttempt:)`` less a random
    /// part of up to a quarter of it. Taking off rather than adding keeps the cap a cap, and
    /// spreads out instances that failed together (a receiver coming back from an outage is not
    /// hit by every retry at once).
    ///
    /// - Parameters:
    ///   - attempt: The zero-based number of the attempt that just failed.
    ///   - jitter: A value in `0...1`; 0 gives the base delay, 1 three quarters of it.
    /// - Returns: The delay, between three quarters of the base delay and the base delay.
    public func backoff(afterAttempt attempt: Int, jitter: Double) -> Duration {
        let base = self.baseBackoff(afterAttempt: attempt)
        let fraction = min(max(jitter, 0), 1)
        return base - base * (fraction / 4)
    }
}
