public import Foundation
public import IdentityGraph
public import Identifiers

/// Where customer login keeps its state: pending authorization requests, one-time codes, sessions,
/// authorization codes, refresh-token families, passwords, rate limits, revoked access tokens and
/// the outbox. Everything that several instances must share lives here, none of it in memory.
///
/// Secrets are stored as digests only (codes, cookies, refresh tokens); callers hash.
public protocol LoginStore: Sendable {
    // MARK: Login flow
    func savePendingAuthorization(_ pending: PendingAuthorization) async throws
    func pendingAuthorization(_ id: String, now: Date) async throws -> PendingAuthorization?

    func saveChallenge(_ challenge: OneTimeCodeChallenge) async throws
    func challenge(_ id: String) async throws -> OneTimeCodeChallenge?
    /// Counts a wrong code; returns the attempts so far.
    func recordFailedAttempt(challenge id: String) async throws -> Int
    /// Marks the challenge used; `false` when it already was (two tabs racing).
    func consumeChallenge(_ id: String) async throws -> Bool

    /// Counts one event under `key` in a fixed window; refuses past `limit`.
    func rateLimit(_ key: String, limit: Int, window: Duration, now: Date) async throws -> RateLimitDecision

    // MARK: Sessions
    /// Stores a session under the digest of its cookie.
    func createSession(_ session: LoginSession, cookieDigest: String) async throws
    func session(cookieDigest: String) async throws -> LoginSession?
    func session(id: String) async throws -> LoginSession?
    func touchSession(cookieDigest: String, at time: Date) async throws
    func addChannel(_ clientID: String, toSession id: String, at time: Date) async throws
    /// Ends the session; returns it as it was, or `nil` when unknown or already ended.
    func endSession(id: String, at time: Date) async throws -> LoginSession?

    // MARK: Authorization codes
    func saveCode(_ grant: AuthorizationCodeGrant, digest: String) async throws
    /// Redeems a code once. A second redemption answers `.replayed` with what the first issued.
    func redeemCode(digest: String, now: Date) async throws -> CodeRedemption
    /// Records what a redeemed code issued, so that a replay can revoke it.
    func recordIssued(byCode digest: String, accessTokenID: String, refreshFamilyID: String?) async throws

    // MARK: Refresh tokens
    func createRefreshFamily(_ family: RefreshFamily, firstTokenDigest: String) async throws
    /// Replaces the current token of its family by `newDigest`, detecting reuse.
    func rotateRefreshToken(digest: String, newDigest: String, now: Date) async throws -> RefreshRotation
    /// The family of a refresh token, and whether the token is its current one (for
    /// introspection and revocation); `nil` for an unknown token.
    func refreshToken(digest: String) async throws -> (family: RefreshFamily, isCurrent: Bool)?
    func revokeRefreshFamily(id: String, at time: Date) async throws
    /// Revokes every family of a session (logout); returns their ids.
    func revokeRefreshFamilies(session id: String, at time: Date) async throws -> [String]

    // MARK: Access tokens
    func revokeAccessToken(id: String, expiresAt: Date) async throws
    func isAccessTokenRevoked(id: String) async throws -> Bool

    // MARK: Replay detection
    /// Stores `key` until `until`; `false` when it is already stored and not yet expired (a
    /// replay). Atomic: of concurrent calls with one key, exactly one gets `true`. An expired entry
    /// is replaced. Callers namespace keys: `dpop:<jkt>:<jti>`, `assertion:<client>:<jti>`.
    func rememberOnce(_ key: String, until: Date) async throws -> Bool

    // MARK: Passwords
    func password(of customer: CustomerID) async throws -> PasswordRecord?
    func setPassword(_ hash: String, for customer: CustomerID) async throws
    func recordPasswordFailure(_ customer: CustomerID, lockedUntil: Date?) async throws -> Int
    func resetPasswordFailures(_ customer: CustomerID) async throws

    // MARK: Access and erasure
    /// What the login side holds about a customer, for a right-of-access export.
    func loginRecords(of customer: CustomerID) async throws -> CustomerLoginRecords


    /// Deletes everything the login side holds about an erased customer: sessions, refresh
    /// tokens, unredeemed codes, the password, pending one-time codes and undelivered messages to
    /// `identifiers`. Returns the number of rows removed.
    func forgetCustomer(_ customer: CustomerID, identifiers: [Identifier]) async throws -> Int

    // MARK: Housekeeping
    /// Deletes what can no longer be used (expired requests, challenges, codes, revocations, rate
    /// windows, ended sessions, dead refresh families, delivered messages, replay keys) and was last useful
    /// before `cutoff`. Returns the number of rows removed.
    func purge(before cutoff: Date) async throws -> Int

    // MARK: Outbox
    func enqueue(_ message: OutboxMessage) async throws
    func dueMessages(now: Date, limit: Int) async throws -> [OutboxMessage]
    /// Takes up to `limit` messages due at `now` for delivery, as `dueMessages` orders them, and
    /// holds them for `lease` (their next attempt moves to `now + lease`) so that another instance
    /// does not send them too. A claimed message is then marked delivered or rescheduled; if the
    /// instance dies first, it is due again when the lease ends. Returns them as they were.
    func claimDueMessages(now: Date, limit: Int, lease: Duration) async throws -> [OutboxMessage]
    func markDelivered(_ id: String, at time: Date) async throws
    func reschedule(_ id: String, attempts: Int, nextAttemptAt: Date, error: String) async throws
}
