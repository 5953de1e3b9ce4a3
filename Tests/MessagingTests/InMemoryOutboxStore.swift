import CustomerLogin
import Foundation
import IdentityGraph
import Identifiers
import Synchronization

/// A `LoginStore` test double that keeps only the outbox, in memory. Every other requirement
/// traps: the messaging tests never touch them.
final class InMemoryOutboxStore: LoginStore {
    struct Row: Sendable, Equatable {
        var message: OutboxMessage
        var deliveredAt: Date?
        var lastError: String?
    }

    private let rows = Mutex<[String: Row]>([:])

    /// The row of message `id`, for assertions.
    func row(_ id: String) -> Row? {
        self.rows.withLock { $0[id] }
    }

    // MARK: Outbox

    func enqueue(_ message: OutboxMessage) async throws {
        self.rows.withLock { $0[message.id] = Row(message: message) }
    }

    func dueMessages(now: Date, limit: Int) async throws -> [OutboxMessage] {
        self.rows.withLock { rows in
            rows.values
                .filter { $0.deliveredAt == nil && $0.message.nextAttemptAt <= now }
                .map(\.message)
                .sorted { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }
                .prefix(limit)
                .map { $0 }
        }
    }

    /// Atomic, like the real stores' claims: two passes never take the same message.
    func claimDueMessages(now: Date, limit: Int, lease: Duration) async throws -> [OutboxMessage] {
        self.rows.withLock { rows in
            let due = rows.values
                .filter { $0.deliveredAt == nil && $0.message.nextAttemptAt <= now }
                .map(\.message)
                .sorted { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }
                .prefix(limit)
            for message in due { rows[message.id]?.message.nextAttemptAt = now.addingTimeInterval(Double(lease.components.seconds)) }
            return Array(due)
        }
    }

    func markDelivered(_ id: String, at time: Date) async throws {
        self.rows.withLock { $0[id]?.deliveredAt = time }
    }

    func reschedule(_ id: String, attempts: Int, nextAttemptAt: Date, error: String) async throws {
        self.rows.withLock { rows in
            rows[id]?.message.attempts = attempts
            rows[id]?.message.nextAttemptAt = nextAttemptAt
            rows[id]?.lastError = error
        }
    }

    // MARK: Unused

    func purge(before cutoff: Date) async throws -> Int { fatalError("unused") }
    func forgetCustomer(_ customer: CustomerID, identifiers: [Identifier]) async throws -> Int { fatalError("unused") }
    func loginRecords(of customer: CustomerID) async throws -> CustomerLoginRecords { fatalError("unused") }
    func refreshToken(digest: String) async throws -> (family: RefreshFamily, isCurrent: Bool)? { fatalError("unused") }
    func savePendingAuthorization(_ pending: PendingAuthorization) async throws { fatalError("unused") }
    func pendingAuthorization(_ id: String, now: Date) async throws -> PendingAuthorization? { fatalError("unused") }
    func saveChallenge(_ challenge: OneTimeCodeChallenge) async throws { fatalError("unused") }
    func challenge(_ id: String) async throws -> OneTimeCodeChallenge? { fatalError("unused") }
    func recordFailedAttempt(challenge id: String) async throws -> Int { fatalError("unused") }
    func consumeChallenge(_ id: String) async throws -> Bool { fatalError("unused") }
    func rateLimit(_ key: String, limit: Int, window: Duration, now: Date) async throws -> RateLimitDecision { fatalError("unused") }
    func createSession(_ session: LoginSession, cookieDigest: String) async throws { fatalError("unused") }
    func session(cookieDigest: String) async throws -> LoginSession? { fatalError("unused") }
    func session(id: String) async throws -> LoginSession? { fatalError("unused") }
    func touchSession(cookieDigest: String, at time: Date) async throws { fatalError("unused") }
    func addChannel(_ clientID: String, toSession id: String, at time: Date) async throws { fatalError("unused") }
    func endSession(id: String, at time: Date) async throws -> LoginSession? { fatalError("unused") }
    func saveCode(_ grant: AuthorizationCodeGrant, digest: String) async throws { fatalError("unused") }
    func redeemCode(digest: String, now: Date) async throws -> CodeRedemption { fatalError("unused") }
    func recordIssued(byCode digest: String, accessTokenID: String, refreshFamilyID: String?) async throws { fatalError("unused") }
    func createRefreshFamily(_ family: RefreshFamily, firstTokenDigest: String) async throws { fatalError("unused") }
    func rotateRefreshToken(digest: String, newDigest: String, now: Date) async throws -> RefreshRotation { fatalError("unused") }
    func revokeRefreshFamily(id: String, at time: Date) async throws { fatalError("unused") }
    func revokeRefreshFamilies(session id: String, at time: Date) async throws -> [String] { fatalError("unused") }
    func revokeAccessToken(id: String, expiresAt: Date) async throws { fatalError("unused") }
    func isAccessTokenRevoked(id: String) async throws -> Bool { fatalError("unused") }
    func rememberOnce(_ key: String, until: Date) async throws -> Bool { fatalError("unused") }
    func password(of customer: CustomerID) async throws -> PasswordRecord? { fatalError("unused") }
    func setPassword(_ hash: String, for customer: CustomerID) async throws { fatalError("unused") }
    func recordPasswordFailure(_ customer: CustomerID, lockedUntil: Date?) async throws -> Int { fatalError("unused") }
    func resetPasswordFailures(_ customer: CustomerID) async throws { fatalError("unused") }
}
