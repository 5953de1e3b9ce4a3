public import CustomerLogin
public import Foundation
public import IdentityGraph
import GRDB
public import Identifiers

/// The embedded login store: customer login state in the same SQLite file as the identity graph.
///
/// Every method is one transaction. Writes are serialized by SQLite's single writer, so the
/// read-then-write steps below (code redemption, refresh rotation, rate limits) are atomic, also
/// between several processes sharing the file.
public final class SQLiteLoginStore: LoginStore {
    private let database: SQLiteDatabase

    /// The login store in an open database (shared with the identity store of the same file).
    public init(database: SQLiteDatabase) {
        self.database = database
    }

    // MARK: - Housekeeping

    public func purge(before cutoff: Date) async throws -> Int {
        let time = Self.millis(cutoff)
        return try await write { db in
            var removed = 0
            for (sql, arguments) in [
                ("DELETE FROM pending_authorizations WHERE expires_at < ?", [time]),
                ("DELETE FROM one_time_code_challenges WHERE expires_at < ?", [time]),
                ("DELETE FROM authorization_codes WHERE expires_at < ?", [time]),
                ("DELETE FROM revoked_access_tokens WHERE expires_at < ?", [time]),
                ("DELETE FROM replay_cache WHERE expires_at < ?", [time]),
                ("DELETE FROM rate_limits WHERE window_start < ?", [time]),
                ("DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?", [time]),
                ("DELETE FROM refresh_tokens WHERE family_id IN (SELECT id FROM refresh_families WHERE expires_at < ? OR revoked_at < ?)", [time, time]),
                ("DELETE FROM refresh_families WHERE expires_at < ? OR revoked_at < ?", [time, time]),
                ("DELETE FROM session_channels WHERE session_id IN (SELECT id FROM sessions WHERE ended_at < ? OR last_seen_at < ?)", [time, time]),
                ("DELETE FROM sessions WHERE ended_at < ? OR last_seen_at < ?", [time, time]),
            ] as [(String, [Int64])] {
                try db.execute(sql: sql, arguments: StatementArguments(arguments))
                removed += db.changesCount
            }
            return removed
        }
    }

    public func loginRecords(of customer: CustomerID) async throws -> CustomerLoginRecords {
        let id = customer.rawValue
        return try await read { db in
            let sessions = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM sessions WHERE customer_id = ? ORDER BY created_at, id"), arguments: [id]
            ).map { try self.session(from: $0, db: db) }
            let families = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT \(Self.familyColumns("refresh_families")) FROM refresh_families WHERE instr(authentication, ?) > 0 ORDER BY created_at, id"),
                arguments: [id]
            ).map(Self.family(from:))
            let hasPassword = try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM passwords WHERE customer_id = ?"), arguments: [id]) ?? false
            return CustomerLoginRecords(sessions: sessions, refreshFamilies: families, hasPassword: hasPassword)
        }
    }

    public func forgetCustomer(_ customer: CustomerID, identifiers: [Identifier]) async throws -> Int {
        let id = customer.rawValue
        return try await write { db in
            var removed = 0
            // Customer ids are 128 random bits, so finding one inside a JSON column is exact.
            for (sql, arguments) in [
                ("DELETE FROM session_channels WHERE session_id IN (SELECT id FROM sessions WHERE customer_id = ?)", [id]),
                ("DELETE FROM sessions WHERE customer_id = ?", [id]),
                ("DELETE FROM refresh_tokens WHERE family_id IN (SELECT id FROM refresh_families WHERE instr(authentication, ?) > 0)", [id]),
                ("DELETE FROM refresh_families WHERE instr(authentication, ?) > 0", [id]),
                ("DELETE FROM authorization_codes WHERE instr(code_grant, ?) > 0", [id]),
                ("DELETE FROM passwords WHERE customer_id = ?", [id]),
            ] as [(String, [String])] {
                try db.execute(sql: sql, arguments: StatementArguments(arguments))
                removed += db.changesCount
            }
            for identifier in identifiers {
                try db.cachedStatement(sql: "DELETE FROM one_time_code_challenges WHERE kind = ? AND namespace = ? AND value = ?")
                    .execute(arguments: [identifier.kind.rawValue, identifier.namespace ?? "", identifier.value])
                removed += db.changesCount
                if identifier.kind == .email || identifier.kind == .phone {
                    try db.cachedStatement(sql: "DELETE FROM outbox WHERE destination = ?").execute(arguments: [identifier.value])
                    removed += db.changesCount
                }
            }
            return removed
        }
    }

    // MARK: - Login flow

    public func savePendingAuthorization(_ pending: PendingAuthorization) async throws {
        let request = try StoredValues.json(pending.request)
        try await write { db in
            try db.cachedStatement(sql: "INSERT INTO pending_authorizations (id, request, created_at, expires_at) VALUES (?, ?, ?, ?)")
                .execute(arguments: [pending.id, request, Self.millis(pending.createdAt), Self.millis(pending.expiresAt)])
        }
    }

    public func pendingAuthorization(_ id: String, now: Date) async throws -> PendingAuthorization? {
        try await read { db in
            guard let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT request, created_at, expires_at FROM pending_authorizations WHERE id = ? AND expires_at > ?"),
                arguments: [id, Self.millis(now)]
            ) else { return nil }
            return PendingAuthorization(
                id: id, request: try StoredValues.decode(AuthorizationRequest.self, json: row["request"]),
                createdAt: Self.date(row["created_at"]), expiresAt: Self.date(row["expires_at"])
            )
        }
    }

    public func saveChallenge(_ challenge: OneTimeCodeChallenge) async throws {
        try await write { db in
            try db.cachedStatement(sql: """
                INSERT INTO one_time_code_challenges
                    (id, kind, namespace, value, code_digest, pending_authorization_id, created_at, expires_at, attempts, consumed)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                challenge.id, challenge.identifier.kind.rawValue, challenge.identifier.namespace ?? "", challenge.identifier.value,
                challenge.codeDigest, challenge.pendingAuthorizationID, Self.millis(challenge.createdAt), Self.millis(challenge.expiresAt),
                challenge.attempts, challenge.consumed,
            ])
        }
    }

    public func challenge(_ id: String) async throws -> OneTimeCodeChallenge? {
        try await read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM one_time_code_challenges WHERE id = ?"), arguments: [id])
                .map(Self.challenge(from:))
        }
    }

    /// Returns 0 for an unknown challenge.
    public func recordFailedAttempt(challenge id: String) async throws -> Int {
        try await write { db in
            try db.cachedStatement(sql: "UPDATE one_time_code_challenges SET attempts = attempts + 1 WHERE id = ?").execute(arguments: [id])
            return try Int.fetchOne(db.cachedStatement(sql: "SELECT attempts FROM one_time_code_challenges WHERE id = ?"), arguments: [id]) ?? 0
        }
    }

    public func consumeChallenge(_ id: String) async throws -> Bool {
        try await write { db in
            try db.cachedStatement(sql: "UPDATE one_time_code_challenges SET consumed = 1 WHERE id = ? AND consumed = 0").execute(arguments: [id])
            return db.changesCount == 1
        }
    }

    /// A fixed window per key: the first event after a window has ended starts a new one. Refused
    /// events count too, so that hammering does not open the limit early.
    public func rateLimit(_ key: String, limit: Int, window: Duration, now: Date) async throws -> RateLimitDecision {
        let windowMillis = max(Self.millis(window), 1)
        let nowMillis = Self.millis(now)
        return try await write { db in
            var start = nowMillis
            var count = 1
            if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT window_start, count FROM rate_limits WHERE key = ?"), arguments: [key]) {
                let storedStart: Int64 = row["window_start"]
                // A start in the future (clocks of two instances disagree) keeps the window.
                if nowMillis - storedStart < windowMillis {
                    start = storedStart
                    count = (row["count"] as Int) + 1
                }
            }
            try db.cachedStatement(sql: """
                INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start, count = excluded.count
                """).execute(arguments: [key, start, count])
            guard count > limit else { return .allowed }
            let remaining = min(start + windowMillis - nowMillis, windowMillis)
            return .limited(retryAfter: .milliseconds(max(remaining, 1_000)))
        }
    }

    // MARK: - Sessions

    public func createSession(_ session: LoginSession, cookieDigest: String) async throws {
        let amr = try StoredValues.json(session.authentication.methods)
        try await write { db in
            try db.cachedStatement(sql: """
                INSERT INTO sessions (id, cookie_digest, customer_id, auth_time, amr, acr, created_at, last_seen_at, ended_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                session.id, cookieDigest, session.authentication.customerID.rawValue, Self.millis(session.authentication.time),
                amr, session.authentication.contextClass, Self.millis(session.createdAt), Self.millis(session.lastSeenAt),
                session.endedAt.map(Self.millis),
            ])
            for channel in session.channels {
                try self.insertChannel(channel, session: session.id, at: session.createdAt, db: db)
            }
        }
    }

    public func session(cookieDigest: String) async throws -> LoginSession? {
        try await read { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM sessions WHERE cookie_digest = ?"), arguments: [cookieDigest]) else {
                return nil
            }
            return try self.session(from: row, db: db)
        }
    }

    public func session(id: String) async throws -> LoginSession? {
        try await read { db in try self.session(id: id, db: db) }
    }

    /// Ended sessions are left as they are; `lastSeenAt` never goes back.
    public func touchSession(cookieDigest: String, at time: Date) async throws {
        try await write { db in
            try db.cachedStatement(sql: "UPDATE sessions SET last_seen_at = MAX(last_seen_at, ?) WHERE cookie_digest = ? AND ended_at IS NULL")
                .execute(arguments: [Self.millis(time), cookieDigest])
        }
    }

    /// Idempotent: a channel keeps the time it first joined. Does nothing for an unknown session.
    public func addChannel(_ clientID: String, toSession id: String, at time: Date) async throws {
        try await write { db in try self.insertChannel(clientID, session: id, at: time, db: db) }
    }

    public func endSession(id: String, at time: Date) async throws -> LoginSession? {
        try await write { db in
            guard let session = try self.session(id: id, db: db), session.endedAt == nil else { return nil }
            try db.cachedStatement(sql: "UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL")
                .execute(arguments: [Self.millis(time), id])
            return db.changesCount == 1 ? session : nil
        }
    }

    // MARK: - Authorization codes

    public func saveCode(_ grant: AuthorizationCodeGrant, digest: String) async throws {
        let json = try StoredValues.json(StoredAuthorizationCode(grant))
        try await write { db in
            try db.cachedStatement(sql: "INSERT INTO authorization_codes (digest, code_grant, created_at, expires_at) VALUES (?, ?, ?, ?)")
                .execute(arguments: [digest, json, Self.millis(grant.createdAt), Self.millis(grant.expiresAt)])
        }
    }

    public func redeemCode(digest: String, now: Date) async throws -> CodeRedemption {
        let nowMillis = Self.millis(now)
        return try await write { db in
            guard let row = try Row.fetchOne(
                db.cachedStatement(sql: """
                    SELECT code_grant, expires_at, redeemed_at, access_token_ids, refresh_family_ids
                    FROM authorization_codes WHERE digest = ?
                    """),
                arguments: [digest]
            ) else { return .unknown }
            let grant = try StoredValues.decode(StoredAuthorizationCode.self, json: row["code_grant"]).grant
            if (row["redeemed_at"] as Int64?) != nil {
                return .replayed(
                    grant, accessTokenIDs: try StoredValues.decode([String].self, json: row["access_token_ids"]),
                    refreshFamilyIDs: try StoredValues.decode([String].self, json: row["refresh_family_ids"])
                )
            }
            guard (row["expires_at"] as Int64) > nowMillis else { return .unknown }
            // The write transaction already excludes a concurrent redemption; the condition keeps
            // the statement one-time on its own.
            try db.cachedStatement(sql: "UPDATE authorization_codes SET redeemed_at = ? WHERE digest = ? AND redeemed_at IS NULL")
                .execute(arguments: [nowMillis, digest])
            guard db.changesCount == 1 else { throw IdentityGraphError.storage("authorization code redeemed concurrently") }
            return .redeemed(grant)
        }
    }

    /// Does nothing for an unknown code.
    public func recordIssued(byCode digest: String, accessTokenID: String, refreshFamilyID: String?) async throws {
        try await write { db in
            guard let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT access_token_ids, refresh_family_ids FROM authorization_codes WHERE digest = ?"),
                arguments: [digest]
            ) else { return }
            var accessTokenIDs = try StoredValues.decode([String].self, json: row["access_token_ids"])
            var refreshFamilyIDs = try StoredValues.decode([String].self, json: row["refresh_family_ids"])
            accessTokenIDs.append(accessTokenID)
            if let refreshFamilyID { refreshFamilyIDs.append(refreshFamilyID) }
            try db.cachedStatement(sql: "UPDATE authorization_codes SET access_token_ids = ?, refresh_family_ids = ? WHERE digest = ?")
                .execute(arguments: [try StoredValues.json(accessTokenIDs), try StoredValues.json(refreshFamilyIDs), digest])
        }
    }

    // MARK: - Refresh tokens

    public func createRefreshFamily(_ family: RefreshFamily, firstTokenDigest: String) async throws {
        let scope = try StoredValues.json(family.scope)
        let authentication = try StoredValues.json(family.authentication)
        try await write { db in
            try db.cachedStatement(sql: """
                INSERT INTO refresh_families (id, client_id, scope, authentication, session_id, created_at, expires_at, revoked_at, confirmation_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                family.id, family.clientID, scope, authentication, family.sessionID,
                Self.millis(family.createdAt), Self.millis(family.expiresAt), family.revokedAt.map(Self.millis), family.confirmationKey,
            ])
            try self.insertRefreshToken(firstTokenDigest, family: family.id, generation: 0, at: family.createdAt, db: db)
        }
    }

    public func rotateRefreshToken(digest: String, newDigest: String, now: Date) async throws -> RefreshRotation {
        let nowMillis = Self.millis(now)
        return try await write { db in
            guard let row = try Row.fetchOne(
                db.cachedStatement(sql: """
                    SELECT t.generation, t.rotated_at, \(Self.familyColumns("f"))
                    FROM refresh_tokens AS t JOIN refresh_families AS f ON f.id = t.family_id
                    WHERE t.digest = ?
                    """),
                arguments: [digest]
            ) else { return .invalid }
            var family = try Self.family(from: row)
            guard family.revokedAt == nil, (row["expires_at"] as Int64) > nowMillis else { return .invalid }
            if (row["rotated_at"] as Int64?) != nil {
                // A replaced token came back: whoever holds the family's tokens, it is no longer
                // only its client (RFC 9700 §4.14.2). Revoke the whole family.
                try db.cachedStatement(sql: "UPDATE refresh_families SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                    .execute(arguments: [nowMillis, family.id])
                family.revokedAt = Self.date(nowMillis)
                return .reused(family)
            }
            try db.cachedStatement(sql: "UPDATE refresh_tokens SET rotated_at = ? WHERE digest = ? AND rotated_at IS NULL")
                .execute(arguments: [nowMillis, digest])
            guard db.changesCount == 1 else { throw IdentityGraphError.storage("refresh token rotated concurrently") }
            try self.insertRefreshToken(newDigest, family: family.id, generation: (row["generation"] as Int64) + 1, at: now, db: db)
            return .rotated(family)
        }
    }

    public func refreshToken(digest: String) async throws -> (family: RefreshFamily, isCurrent: Bool)? {
        try await read { db in
            guard let row = try Row.fetchOne(
                db.cachedStatement(sql: """
                    SELECT t.rotated_at, \(Self.familyColumns("f"))
                    FROM refresh_tokens AS t JOIN refresh_families AS f ON f.id = t.family_id
                    WHERE t.digest = ?
                    """),
                arguments: [digest]
            ) else { return nil }
            return (try Self.family(from: row), (row["rotated_at"] as Int64?) == nil)
        }
    }

    public func revokeRefreshFamily(id: String, at time: Date) async throws {
        try await write { db in
            try db.cachedStatement(sql: "UPDATE refresh_families SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                .execute(arguments: [Self.millis(time), id])
        }
    }

    /// Returns the families this call revoked, oldest first; ones revoked before are left out.
    public func revokeRefreshFamilies(session id: String, at time: Date) async throws -> [String] {
        try await write { db in
            let ids = try String.fetchAll(
                db.cachedStatement(sql: "SELECT id FROM refresh_families WHERE session_id = ? AND revoked_at IS NULL ORDER BY created_at, id"),
                arguments: [id]
            )
            try db.cachedStatement(sql: "UPDATE refresh_families SET revoked_at = ? WHERE session_id = ? AND revoked_at IS NULL")
                .execute(arguments: [Self.millis(time), id])
            return ids
        }
    }

    // MARK: - Access tokens

    /// Revoking twice keeps the later expiry, so the entry outlives the token.
    public func revokeAccessToken(id: String, expiresAt: Date) async throws {
        try await write { db in
            try db.cachedStatement(sql: """
                INSERT INTO revoked_access_tokens (jti, expires_at) VALUES (?, ?)
                ON CONFLICT (jti) DO UPDATE SET expires_at = MAX(expires_at, excluded.expires_at)
                """).execute(arguments: [id, Self.millis(expiresAt)])
        }
    }

    public func isAccessTokenRevoked(id: String) async throws -> Bool {
        try await read { db in
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM revoked_access_tokens WHERE jti = ?"), arguments: [id]) ?? false
        }
    }

    // MARK: - Replay detection

    /// One statement: a new key is inserted; a stored key is replaced only when it has expired by
    /// the store's clock. One row changed means the key was not live.
    public func rememberOnce(_ key: String, until: Date) async throws -> Bool {
        let expiresAt = Self.millis(until)
        let now = Self.millis(Date())
        return try await write { db in
            try db.cachedStatement(sql: """
                INSERT INTO replay_cache (key, expires_at) VALUES (?, ?)
                ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE replay_cache.expires_at <= ?
                """).execute(arguments: [key, expiresAt, now])
            return db.changesCount == 1
        }
    }

    // MARK: - Passwords

    public func password(of customer: CustomerID) async throws -> PasswordRecord? {
        try await read { db in
            guard let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT hash, failures, locked_until FROM passwords WHERE customer_id = ?"), arguments: [customer.rawValue]
            ) else { return nil }
            return PasswordRecord(customerID: customer, hash: row["hash"], failures: row["failures"], lockedUntil: Self.date(row["locked_until"]))
        }
    }

    public func setPassword(_ hash: String, for customer: CustomerID) async throws {
        try await write { db in
            try db.cachedStatement(sql: """
                INSERT INTO passwords (customer_id, hash, failures, locked_until) VALUES (?, ?, 0, NULL)
                ON CONFLICT (customer_id) DO UPDATE SET hash = excluded.hash, failures = 0, locked_until = NULL
                """).execute(arguments: [customer.rawValue, hash])
        }
    }

    /// Returns 0 when the customer has no password. A lock is never shortened: callers compute
    /// `lockedUntil` from a count read before, so a racing failure may bring an older answer.
    public func recordPasswordFailure(_ customer: CustomerID, lockedUntil: Date?) async throws -> Int {
        let until = lockedUntil.map(Self.millis)
        return try await write { db in
            try db.cachedStatement(sql: """
                UPDATE passwords
                SET failures = failures + 1, locked_until = MAX(COALESCE(locked_until, ?), COALESCE(?, locked_until))
                WHERE customer_id = ?
                """).execute(arguments: [until, until, customer.rawValue])
            return try Int.fetchOne(db.cachedStatement(sql: "SELECT failures FROM passwords WHERE customer_id = ?"), arguments: [customer.rawValue]) ?? 0
        }
    }

    public func resetPasswordFailures(_ customer: CustomerID) async throws {
        try await write { db in
            try db.cachedStatement(sql: "UPDATE passwords SET failures = 0, locked_until = NULL WHERE customer_id = ?")
                .execute(arguments: [customer.rawValue])
        }
    }

    // MARK: - Outbox

    public func enqueue(_ message: OutboxMessage) async throws {
        try await write { db in
            try db.cachedStatement(sql: """
                INSERT INTO outbox (id, kind, destination, payload, created_at, attempts, next_attempt_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                message.id, message.kind.rawValue, message.destination, message.payload,
                Self.millis(message.createdAt), message.attempts, Self.millis(message.nextAttemptAt),
            ])
        }
    }

    /// Undelivered messages due at `now`, the longest due first (then the oldest), so that a
    /// message that keeps failing cannot starve the others.
    public func dueMessages(now: Date, limit: Int) async throws -> [OutboxMessage] {
        try await read { db in try Self.dueMessages(now: now, limit: limit, db: db) }
    }

    public func claimDueMessages(now: Date, limit: Int, lease: Duration) async throws -> [OutboxMessage] {
        let until = Self.millis(now) + max(Self.millis(lease), 1)
        return try await write { db in
            let due = try Self.dueMessages(now: now, limit: limit, db: db)
            for message in due {
                try db.cachedStatement(sql: "UPDATE outbox SET next_attempt_at = ? WHERE id = ?").execute(arguments: [until, message.id])
            }
            return due
        }
    }

    private static func dueMessages(now: Date, limit: Int, db: Database) throws -> [OutboxMessage] {
        try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT id, kind, destination, payload, created_at, attempts, next_attempt_at FROM outbox
                WHERE delivered_at IS NULL AND next_attempt_at <= ?
                ORDER BY next_attempt_at, created_at, id LIMIT ?
                """),
            arguments: [millis(now), limit]
        ).map(message(from:))
    }

    public func markDelivered(_ id: String, at time: Date) async throws {
        try await write { db in
            try db.cachedStatement(sql: "UPDATE outbox SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL")
                .execute(arguments: [Self.millis(time), id])
        }
    }

    public func reschedule(_ id: String, attempts: Int, nextAttemptAt: Date, error: String) async throws {
        try await write { db in
            try db.cachedStatement(sql: "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND delivered_at IS NULL")
                .execute(arguments: [attempts, Self.millis(nextAttemptAt), error, id])
        }
    }

    // MARK: - Transactions

    private func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await database.write(body)
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await database.read(body)
    }

    // MARK: - Statements

    private func insertChannel(_ clientID: String, session id: String, at time: Date, db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO session_channels (session_id, client_id, first_at)
            SELECT id, ?, ? FROM sessions WHERE id = ?
            ON CONFLICT (session_id, client_id) DO NOTHING
            """).execute(arguments: [clientID, Self.millis(time), id])
    }

    private func insertRefreshToken(_ digest: String, family: String, generation: Int64, at time: Date, db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO refresh_tokens (digest, family_id, generation, created_at) VALUES (?, ?, ?, ?)")
            .execute(arguments: [digest, family, generation, Self.millis(time)])
    }

    private func session(id: String, db: Database) throws -> LoginSession? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM sessions WHERE id = ?"), arguments: [id]) else {
            return nil
        }
        return try session(from: row, db: db)
    }

    private func session(from row: Row, db: Database) throws -> LoginSession {
        let id: String = row["id"]
        let channels = try String.fetchAll(
            db.cachedStatement(sql: "SELECT client_id FROM session_channels WHERE session_id = ? ORDER BY first_at, rowid"), arguments: [id]
        )
        return LoginSession(
            id: id,
            authentication: Authentication(
                customerID: try Self.customerID(row["customer_id"]), time: Self.date(row["auth_time"]),
                methods: try StoredValues.decode([String].self, json: row["amr"]), contextClass: row["acr"]
            ),
            createdAt: Self.date(row["created_at"]), lastSeenAt: Self.date(row["last_seen_at"]), endedAt: Self.date(row["ended_at"]),
            channels: channels
        )
    }

    // MARK: - Row mapping

    private static func familyColumns(_ table: String) -> String {
        ["id", "client_id", "scope", "authentication", "session_id", "created_at", "expires_at", "revoked_at", "confirmation_key"]
            .map { "\(table).\($0)" }.joined(separator: ", ")
    }

    private static func family(from row: Row) throws -> RefreshFamily {
        RefreshFamily(
            id: row["id"], clientID: row["client_id"], scope: try StoredValues.decode([String].self, json: row["scope"]),
            authentication: try StoredValues.decode(Authentication.self, json: row["authentication"]), sessionID: row["session_id"],
            createdAt: date(row["created_at"]), expiresAt: date(row["expires_at"]), revokedAt: date(row["revoked_at"]),
            confirmationKey: row["confirmation_key"]
        )
    }

    private static func challenge(from row: Row) throws -> OneTimeCodeChallenge {
        let kindName: String = row["kind"]
        guard let kind = IdentifierKind(rawValue: kindName) else { throw IdentityGraphError.storage("unknown identifier kind in store") }
        let namespace: String = row["namespace"]
        return OneTimeCodeChallenge(
            id: row["id"], identifier: Identifier(trustedKind: kind, namespace: namespace.isEmpty ? nil : namespace, value: row["value"]),
            codeDigest: row["code_digest"], pendingAuthorizationID: row["pending_authorization_id"],
            createdAt: date(row["created_at"]), expiresAt: date(row["expires_at"]), attempts: row["attempts"], consumed: row["consumed"]
        )
    }

    private static func message(from row: Row) throws -> OutboxMessage {
        let kindName: String = row["kind"]
        guard let kind = OutboxMessage.Kind(rawValue: kindName) else { throw IdentityGraphError.storage("unknown message kind in outbox") }
        return OutboxMessage(
            id: row["id"], kind: kind, destination: row["destination"], payload: row["payload"],
            createdAt: date(row["created_at"]), attempts: row["attempts"], nextAttemptAt: date(row["next_attempt_at"])
        )
    }

    private static func customerID(_ raw: String) throws -> CustomerID {
        guard let id = CustomerID(rawValue: raw) else { throw IdentityGraphError.storage("malformed customer id in store") }
        return id
    }

    private static func millis(_ date: Date) -> Int64 { SQLiteIdentityStore.millis(date) }
    private static func date(_ millis: Int64) -> Date { SQLiteIdentityStore.date(millis) }
    private static func date(_ millis: Int64?) -> Date? { millis.map(SQLiteIdentityStore.date) }

    private static func millis(_ duration: Duration) -> Int64 { StoredValues.millis(duration) }
}
