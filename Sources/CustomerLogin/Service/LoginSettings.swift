/// Timeouts and limits of customer login.
public struct LoginSettings: Sendable {
    /// How long a customer has to finish logging in.
    public var pendingLifetime: Duration = .seconds(1_800)
    /// A session ends after this much inactivity…
    public var sessionIdleTimeout: Duration = .seconds(2 * 3_600)
    /// …and at the latest this long after login.
    public var sessionAbsoluteTimeout: Duration = .seconds(24 * 3_600)
    /// Authorization codes live this long (and are one-time).
    public var codeLifetime: Duration = .seconds(60)
    public var idTokenLifetime: Duration = .seconds(600)
    /// One-time codes sent per identifier, and per client IP, in `codeRateWindow`.
    public var codesPerIdentifier = 5
    public var codesPerAddress = 30
    public var codeRateWindow: Duration = .seconds(900)
    /// Wrong passwords before a lockout; each further failure doubles it.
    public var passwordFailuresBeforeLockout = 5
    public var passwordLockout: Duration = .seconds(60)
    public var passwordMaximumLockout: Duration = .seconds(3_600)
    public var passwordMinimumLength = 10

    public init() {}
}
