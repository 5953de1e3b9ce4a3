public import CustomerLogin
public import Foundation
public import IdentityGraph
public import Identifiers
import Logging
import PostgresNIO

/// The login store on PostgreSQL: customer login state in the same database as the identity
/// graph, shared by every instance.
///
/// What must happen once across instances is one statement (`UPDATE … WHERE … RETURNING`,
/// `INSERT … ON CONFLICT … RETURNING`) or a transaction that locks the rows it reads first
/// (`SELECT … FOR UPDATE`): challenges consumed once, codes redeemed once, refresh tokens
/// rotated once with reuse detected, attempt counters and rate limits that never lose a count.
public final class PostgresLoginStore: LoginStore {
    private let database: PostgresDatabase
    private var logger: Logger { database.logger }

    /// The login store in `database`, which must be running and migrated, shared with the
    /// identity store.
    public init(database: PostgresDatabase) {
        self.database = database
    }

    // MARK: - Housekeeping

    public func purge(before cutoff: Date) async throws -> Int {
        let time = Self.millis(cutoff)
        return try await database.transaction { connection in
            var removed = 0
            for query: PostgresQuery in [
                "DELETE FROM pending_authorizations WHERE expires_at < \(time) RETURNING 1",
                "DELETE FROM one_time_code_challenges WHERE expires_at < \(time) RETURNING 1",
                "DELETE FROM authorization_codes WHERE expires_at < \(time) RETURNING 1",
                "DELETE FROM revoked_access_tokens WHERE expires_at < \(time) RETURNING 1",
                "DELETE FROM replay_cache WHERE expires_at < \(time) RETURNING 1",
                "DELETE FROM rate_limits WHERE window_start < \(time) RETURNING 1",
                "DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < \(time) RETURNING 1",
                "DELETE FROM refresh_tokens WHERE family_id IN (SELECT id FROM refresh_families WHERE expires_at < \(time) OR revoked_at < \(time)) RETURNING 1",
                "DELETE FROM refresh_families WHERE expires_at < \(time) OR revoked_at < \(time) RETURNING 1",
                "DELETE FROM session_channels WHERE session_id IN (SELECT id FROM sessions WHERE ended_at < \(time) OR last_seen_at < \(time)) RETURNING 1",
                "DELETE FROM sessions WHERE ended_at < \(time) OR last_seen_at < \(time) RETURNING 1",
            ] {
                removed += try await self.count(query, connection: connection)
            }
            return removed
        }
    }

    public func loginRecords(of customer: CustomerID) async throws -> CustomerLoginRecords {
        let id = customer.rawValue
        return try await database.read { connection in
            var sessions: [LoginSession] = []
            for row in try await connection.rows(
                "SELECT * FROM sessions WHERE customer_id = \(id) ORDER BY created_at, id", logger: self.logger
            ) {
                sessions.append(try await self.session(from: row, connection: connection))
            }
            let families = try await connection.rows("""
                SELECT \(unescaped: Self.familyColumns("refresh_families")) FROM refresh_families
                WHERE strpos(authentication, \(id)) > 0 ORDER BY created_at, id
                """, logger: self.logger).map(Self.family(from:))
            let hasPassword = !(try await connection.rows("SELECT 1 FROM passwords WHERE customer_id = \(id)", logger: self.logger).isEmpty)
            return CustomerLoginRecords(sessions: sessions, refreshFamilies: families, hasPassword: hasPassword)
        }
    }

    public func forgetCustomer(_ customer: CustomerID, identifiers: [Identifier]) async throws -> Int {
        let id = customer.rawValue
        return try await database.transaction { connection in
            var removed = 0
            // Customer ids are 128 random bits, so finding one inside a JSON column is exact.
            for query: PostgresQuery in [
                "DELETE FROM session_channels WHERE session_id IN (SELECT id FROM sessions WHERE customer_id = \(id)) RETURNING 1",
                "DELETE FROM sessions WHERE customer_id = \(id) RETURNING 1",
                "DELETE FROM refresh_tokens WHERE family_id IN (SELECT id FROM refresh_families WHERE strpos(authentication, \(id)) > 0) RETURNING 1",
                "DELETE FROM refresh_families WHERE strpos(authentication, \(id)) > 0 RETURNING 1",
                "DELETE FROM authorization_codes WHERE strpos(code_grant, \(id)) > 0 RETURNING 1",
                "DELETE FROM passwords WHERE customer_id = \(id) RETURNING 1",
            ] {
                removed += try await self.count(query, connection: connection)
            }
            for identifier in identifiers {
                removed += try await self.count("""
                    DELETE FROM one_time_code_challenges
                    WHERE kind = \(identifier.kind.rawValue) AND namespace = \(identifier.namespace ?? "") AND value = \(identifier.value)
                    RETURNING 1
                    """, connection: connection)
                if identifier.kind == .email || identifier.kind == .phone {
                    removed += try await self.count("DELETE FROM outbox WHERE destination = \(identifier.value) RETURNING 1", connection: connection)
                }
            }
            return removed
        }
    }

    // MARK: - Login flow

    public func savePendingAuthorization(_ pending: PendingAuthorization) async throws {
        let request = try StoredValues.json(pending.request)
        try await execute("""
            INSERT INTO pending_authorizations (id, request, created_at, expires_at)
            VALUES (\(pending.id), \(request), \(Self.millis(pending.createdAt)), \(Self.millis(pending.expiresAt)))
            """)
    }

    public func pendingAuthorization(_ id: String, now: Date) async throws -> PendingAuthorization? {
        try await rows(
            "SELECT request, created_at, expires_at FROM pending_authorizations WHERE id = \(id) AND expires_at > \(Self.millis(now))"
        ) { row in
            PendingAuthorization(
                id: id, request: try StoredValues.decode(AuthorizationRequest.self, json: row.value("request")),
                createdAt: Self.date(try row.value("created_at")), expiresAt: Self.date(try row.value("expires_at"))
            )
        }.first
    }

    public func saveChallenge(_ challenge: OneTimeCodeChallenge) async throws {
        try await execute("""
            INSERT INTO one_time_code_challenges
                (id, kind, namespace, value, code_digest, pending_authorization_id, created_at, expires_at, attempts, consumed)
            VALUES (\(challenge.id), \(challenge.identifier.kind.rawValue), \(challenge.identifier.namespace ?? ""), \(challenge.identifier.value),
                    \(challenge.codeDigest), \(challenge.pendingAuthorizationID), \(Self.millis(challenge.createdAt)),
                    \(Self.millis(challenge.expiresAt)), \(Int64(challenge.attempts)), \(challenge.consumed))
            """)
    }

    public func challenge(_ id: String) async throws -> OneTimeCodeChallenge? {
        try await rows("SELECT * FROM one_time_code_challenges WHERE id = \(id)", Self.challenge(from:)).first
    }

    /// One statement: concurrent failures each count. Returns 0 for an unknown challenge.
    public func recordFailedAttempt(challenge id: String) async throws -> Int {
        try await rows("UPDATE one_time_code_challenges SET attempts = attempts + 1 WHERE id = \(id) RETURNING attempts") { row in
            Int(try row.value("attempts", as: Int64.self))
        }.first ?? 0
    }

    /// One statement: of concurrent calls, exactly one changes the row.
    public func consumeChallenge(_ id: String) async throws -> Bool {
        try await database.withConnection { connection in
            try await self.count(
                "UPDATE one_time_code_challenges SET consumed = true WHERE id = \(id) AND NOT consumed RETURNING 1", connection: connection
            ) == 1
        }
    }

    /// A fixed window per key: the first event after a window has ended starts a new one. Refused
    /// events count too, so that hammering does not open the limit early. One upsert, so that
    /// concurrent events on several instances all count.
    public func rateLimit(_ key: String, limit: Int, window: Duration, now: Date) async throws -> RateLimitDecision {
        let windowMillis = max(Self.millis(window), 1)
        let nowMillis = Self.millis(now)
        guard let (start, count) = try await rows("""
            INSERT INTO rate_limits AS r (key, window_start, count) VALUES (\(key), \(nowMillis), 1)
            ON CONFLICT (key) DO UPDATE SET
                window_start = CASE WHEN \(nowMillis) - r.window_start < \(windowMillis) THEN r.window_start ELSE \(nowMillis) END,
                count = CASE WHEN \(nowMillis) - r.window_start < \(windowMillis) THEN r.count + 1 ELSE 1 END
            RETURNING window_start, count
            """, { row in (try row.value("window_start", as: Int64.self), try row.value("count", as: Int64.self)) })
            .first else { throw IdentityGraphError.storage("rate limit upsert returned nothing") }
        guard count > Int64(limit) else { return .allowed }
        let remaining = min(start + windowMillis - nowMillis, windowMillis)
        return .limited(retryAfter: .milliseconds(max(remaining, 1_000)))
    }

    // MARK: - Sessions

    public func createSession(_ session: LoginSession, cookieDigest: String) async throws {
        let amr = try StoredValues.json(session.authentication.methods)
        try await database.transaction { connection in
            try await connection.execute("""
                INSERT INTO sessions (id, cookie_digest, customer_id, auth_time, amr, acr, created_at, last_seen_at, ended_at)
                VALUES (\(session.id), \(cookieDigest), \(session.authentication.customerID.rawValue), \(Self.millis(session.authentication.time)),
                        \(amr), \(session.authentication.contextClass), \(Self.millis(session.createdAt)), \(Self.millis(session.lastSeenAt)),
                        \(session.endedAt.map(Self.millis)))
                """, logger: self.logger)
            for channel in session.channels {
                try await self.insertChannel(channel, session: session.id, at: session.createdAt, connection: connection)
            }
        }
    }

    public func session(cookieDigest: String) async throws -> LoginSession? {
        try await database.read { connection in
            guard let row = try await connection.rows("SELECT * FROM sessions WHERE cookie_digest = \(cookieDigest)", logger: self.logger).first else {
                return nil
            }
            return try await self.session(from: row, connection: connection)
        }
    }

    public func session(id: String) async throws -> LoginSession? {
        try await database.read { connection in try await self.session(id: id, connection: connection) }
    }

    /// Ended sessions are left as they are; `lastSeenAt` never goes back.
    public func touchSession(cookieDigest: String, at time: Date) async throws {
        try await execute("""
            UPDATE sessions SET last_seen_at = GREATEST(last_seen_at, \(Self.millis(time)))
            WHERE cookie_digest = \(cookieDigest) AND ended_at IS NULL
            """)
    }

    /// Idempotent: a channel keeps the time it first joined. Does nothing for an unknown session.
    public func addChannel(_ clientID: String, toSession id: String, at time: Date) async throws {
        try await database.withConnection { connection in
            try await self.insertChannel(clientID, session: id, at: time, connection: connection)
        }
    }

    /// Returns the session as it was before this call ended it; `nil` when another call ended it.
    public func endSession(id: String, at time: Date) async throws -> LoginSession? {
        try await database.transaction { connection in
            guard let row = try await connection.rows(
                "SELECT * FROM sessions WHERE id = \(id) AND ended_at IS NULL FOR UPDATE", logger: self.logger
            ).first else { return nil }
            let session = try await self.session(from: row, connection: connection)
            try await connection.execute("UPDATE sessions SET ended_at = \(Self.millis(time)) WHERE id = \(id)", logger: self.logger)
            return session
        }
    }

    // MARK: - Authorization codes

    public func saveCode(_ grant: AuthorizationCodeGrant, digest: String) async throws {
        let json = try StoredValues.json(StoredAuthorizationCode(grant))
        try await execute("""
            INSERT INTO authorization_codes (digest, code_grant, created_at, expires_at)
            VALUES (\(digest), \(json), \(Self.millis(grant.createdAt)), \(Self.millis(grant.expiresAt)))
            """)
    }

    /// The code's row is locked first, so of concurrent redemptions one redeems and the others
    /// see it redeemed.
    public func redeemCode(digest: String, now: Date) async throws -> CodeRedemption {
        let nowMillis = Self.millis(now)
        return try await database.transaction { connection in
            guard let row = try await connection.rows("""
                SELECT code_grant, expires_at, redeemed_at, access_token_ids, refresh_family_ids
                FROM authorization_codes WHERE digest = \(digest) FOR UPDATE
                """, logger: self.logger).first else { return .unknown }
            let grant = try StoredValues.decode(StoredAuthorizationCode.self, json: row.value("code_grant")).grant
            if try row.value("redeemed_at", as: Int64?.self) != nil {
                return .replayed(
                    grant, accessTokenIDs: try StoredValues.decode([String].self, json: row.value("access_token_ids")),
                    refreshFamilyIDs: try StoredValues.decode([String].self, json: row.value("refresh_family_ids"))
                )
            }
            guard try row.value("expires_at", as: Int64.self) > nowMillis else { return .unknown }
            guard try await self.count(
                "UPDATE authorization_codes SET redeemed_at = \(nowMillis) WHERE digest = \(digest) AND redeemed_at IS NULL RETURNING 1",
                connection: connection
            ) == 1 else { throw IdentityGraphError.storage("authorization code redeemed concurrently") }
            return .redeemed(grant)
        }
    }

    /// Does nothing for an unknown code.
    public func recordIssued(byCode digest: String, accessTokenID: String, refreshFamilyID: String?) async throws {
        try await database.transaction { connection in
            guard let row = try await connection.rows(
                "SELECT access_token_ids, refresh_family_ids FROM authorization_codes WHERE digest = \(digest) FOR UPDATE", logger: self.logger
            ).first else { return }
            var accessTokenIDs = try StoredValues.decode([String].self, json: row.value("access_token_ids"))
            var refreshFamilyIDs = try StoredValues.decode([String].self, json: row.value("refresh_family_ids"))
            accessTokenIDs.append(accessTokenID)
            if let refreshFamilyID { refreshFamilyIDs.append(refreshFamilyID) }
            try await connection.execute("""
                UPDATE authorization_codes SET access_token_ids = \(try StoredValues.json(accessTokenIDs)),
                    refresh_family_ids = \(try StoredValues.json(refreshFamilyIDs))
                WHERE digest = \(digest)
                """, logger: self.logger)
        }
    }

    // MARK: - Refresh tokens

    public func createRefreshFamily(_ family: RefreshFamily, firstTokenDigest: String) async throws {
        let scope = try StoredValues.json(family.scope)
        let authentication = try StoredValues.json(family.authentication)
        try await database.transaction { connection in
            try await connection.execute("""
                INSERT INTO refresh_families (id, client_id, scope, authentication, session_id, created_at, expires_at, revoked_at, confirmation_key)
                VALUES (\(family.id), \(family.clientID), \(scope), \(authentication), \(family.sessionID), \(Self.millis(family.createdAt)),
                        \(Self.millis(family.expiresAt)), \(family.revokedAt.map(Self.millis)), \(family.confirmationKey))
                """, logger: self.logger)
            try await self.insertRefreshToken(firstTokenDigest, family: family.id, generation: 0, at: family.createdAt, connection: connection)
        }
    }

    /// The token's and its family's rows are locked first: of two concurrent rotations of one
    /// token, the second sees it rotated and revokes the family (reuse), as it would in sequence.
    public func rotateRefreshToken(digest: String, newDigest: String, now: Date) async throws -> RefreshRotation {
        let nowMillis = Self.millis(now)
        return try await database.transaction { connection in
            guard let row = try await connection.rows("""
                SELECT t.generation, t.rotated_at, \(unescaped: Self.familyColumns("f"))
                FROM refresh_tokens AS t JOIN refresh_families AS f ON f.id = t.family_id
                WHERE t.digest = \(digest)
                FOR UPDATE
                """, logger: self.logger).first else { return .invalid }
            var family = try Self.family(from: row)
            guard family.revokedAt == nil, try row.value("expires_at", as: Int64.self) > nowMillis else { return .invalid }
            if try row.value("rotated_at", as: Int64?.self) != nil {
                // A replaced token came back: whoever holds the family's tokens, it is no longer
                // only its client (RFC 9700 §4.14.2). Revoke the whole family.
                try await connection.execute(
                    "UPDATE refresh_families SET revoked_at = \(nowMillis) WHERE id = \(family.id) AND revoked_at IS NULL", logger: self.logger
                )
                family.revokedAt = Self.date(nowMillis)
                return .reused(family)
            }
            guard try await self.count(
                "UPDATE refresh_tokens SET rotated_at = \(nowMillis) WHERE digest = \(digest) AND rotated_at IS NULL RETURNING 1",
                connection: connection
            ) == 1 else { throw IdentityGraphError.storage("refresh token rotated concurrently") }
            try await self.insertRefreshToken(
                newDigest, family: family.id, generation: try row.value("generation", as: Int64.self) + 1, at: now, connection: connection
            )
            return .rotated(family)
        }
    }

    public func refreshToken(digest: String) async throws -> (family: RefreshFamily, isCurrent: Bool)? {
        try await rows("""
            SELECT t.rotated_at, \(unescaped: Self.familyColumns("f"))
            FROM refresh_tokens AS t JOIN refresh_families AS f ON f.id = t.family_id
            WHERE t.digest = \(digest)
            """) { row in (family: try Self.family(from: row), isCurrent: try row.value("rotated_at", as: Int64?.self) == nil) }.first
    }

    public func revokeRefreshFamily(id: String, at time: Date) async throws {
        try await execute("UPDATE refresh_families SET revoked_at = \(Self.millis(time)) WHERE id = \(id) AND revoked_at IS NULL")
    }

    /// Returns the families this call revoked, oldest first; ones revoked before are left out.
    public func revokeRefreshFamilies(session id: String, at time: Date) async throws -> [String] {
        try await rows("""
            UPDATE refresh_families SET revoked_at = \(Self.millis(time)) WHERE session_id = \(id) AND revoked_at IS NULL
            RETURNING id, created_at
            """) { (id: try $0.value("id", as: String.self), created: try $0.value("created_at", as: Int64.self)) }
            .sorted { ($0.created, $0.id) < ($1.created, $1.id) }
            .map(\.id)
    }

    // MARK: - Access tokens

    /// Revoking twice keeps the later expiry, so the entry outlives the token.
    public func revokeAccessToken(id: String, expiresAt: Date) async throws {
        try await execute("""
            INSERT INTO revoked_access_tokens (jti, expires_at) VALUES (\(id), \(Self.millis(expiresAt)))
            ON CONFLICT (jti) DO UPDATE SET expires_at = GREATEST(revoked_access_tokens.expires_at, excluded.expires_at)
            """)
    }

    public func isAccessTokenRevoked(id: String) async throws -> Bool {
        !(try await rows("SELECT 1 FROM revoked_access_tokens WHERE jti = \(id)") { _ in true }.isEmpty)
    }

    // MARK: - Replay detection

    /// One statement: a new key is inserted; a stored key is replaced only when it has expired by
    /// the store's clock. A returned row means the key was not live.
    public func rememberOnce(_ key: String, until: Date) async throws -> Bool {
        let expiresAt = Self.millis(until)
        let now = Self.millis(Date())
        return try await database.withConnection { connection in
            try await self.count("""
                INSERT INTO replay_cache (key, expires_at) VALUES (\(key), \(expiresAt))
                ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE replay_cache.expires_at <= \(now)
                RETURNING 1
                """, connection: connection) == 1
        }
    }

    // MARK: - Passwords

    public func password(of customer: CustomerID) async throws -> PasswordRecord? {
        try await rows("SELECT hash, failures, locked_until FROM passwords WHERE customer_id = \(customer.rawValue)") { row in
            PasswordRecord(
                customerID: customer, hash: try row.value("hash"), failures: Int(try row.value("failures", as: Int64.self)),
                lockedUntil: try row.value("locked_until", as: Int64?.self).map(Self.date)
            )
        }.first
    }

    public func setPassword(_ hash: String, for customer: CustomerID) async throws {
        try await execute("""
            INSERT INTO passwords (customer_id, hash, failures, locked_until) VALUES (\(customer.rawValue), \(hash), 0, NULL)
            ON CONFLICT (customer_id) DO UPDATE SET hash = excluded.hash, failures = 0, locked_until = NULL
            """)
    }

    /// Returns 0 when the customer has no password. A lock is never shortened: callers compute
    /// `lockedUntil` from a count read before, so a racing failure may bring an older answer.
    public func recordPasswordFailure(_ customer: CustomerID, lockedUntil: Date?) async throws -> Int {
        let until = lockedUntil.map(Self.millis)
        return try await rows("""
            UPDATE passwords
            SET failures = failures + 1, locked_until = GREATEST(locked_until, \(until)::bigint)
            WHERE customer_id = \(customer.rawValue)
            RETURNING failures
            """) { Int(try $0.value("failures", as: Int64.self)) }.first ?? 0
    }

    public func resetPasswordFailures(_ customer: CustomerID) async throws {
        try await execute("UPDATE passwords SET failures = 0, locked_until = NULL WHERE customer_id = \(customer.rawValue)")
    }

    // MARK: - Outbox

    public func enqueue(_ message: OutboxMessage) async throws {
        try await execute("""
            INSERT INTO outbox (id, kind, destination, payload, created_at, attempts, next_attempt_at)
            VALUES (\(message.id), \(message.kind.rawValue), \(message.destination), \(message.payload),
                    \(Self.millis(message.createdAt)), \(Int64(message.attempts)), \(Self.millis(message.nextAttemptAt)))
            """)
    }

    /// Undelivered messages due at `now`, the longest due first (then the oldest), so that a
    /// message that keeps failing cannot starve the others.
    public func dueMessages(now: Date, limit: Int) async throws -> [OutboxMessage] {
        try await rows("""
            SELECT id, kind, destination, payload, created_at, attempts, next_attempt_at FROM outbox
            WHERE delivered_at IS NULL AND next_attempt_at <= \(Self.millis(now))
            ORDER BY next_attempt_at, created_at, id LIMIT \(Int64(max(limit, 0)))
            """, Self.message(from:))
    }

    /// Like ``dueMessages(now:limit:)``, but claims what it returns: their next attempt moves to
    /// `now + lease`, so that another instance polling meanwhile skips them (rows being claimed
    /// are skipped too, `FOR UPDATE SKIP LOCKED`). ``markDelivered(_:at:)`` or
    /// ``reschedule(_:attempts:nextAttemptAt:error:)`` settles a claimed message; one whose
    /// instance died is due again when the lease ends. The outbox delivery polls with this, so
    /// that two instances never send one message twice.
    /// - Returns: the claimed messages as they were before the claim, the longest due first.
    public func claimDueMessages(now: Date, limit: Int, lease: Duration) async throws -> [OutboxMessage] {
        let nowMillis = Self.millis(now)
        let until = nowMillis + max(Self.millis(lease), 1)
        return try await database.transaction { connection in
            try await connection.rows("""
                WITH due AS (
                    SELECT id, kind, destination, payload, created_at, attempts, next_attempt_at FROM outbox
                    WHERE delivered_at IS NULL AND next_attempt_at <= \(nowMillis)
                    ORDER BY next_attempt_at, created_at, id LIMIT \(Int64(max(limit, 0)))
                    FOR UPDATE SKIP LOCKED
                ), claimed AS (
                    UPDATE outbox SET next_attempt_at = \(until) FROM due WHERE outbox.id = due.id RETURNING outbox.id
                )
                SELECT due.* FROM due JOIN claimed ON claimed.id = due.id
                ORDER BY due.next_attempt_at, due.created_at, due.id
                """, logger: self.logger).map(Self.message(from:))
        }
    }

    public func markDelivered(_ id: String, at time: Date) async throws {
        try await execute("UPDATE outbox SET delivered_at = \(Self.millis(time)) WHERE id = \(id) AND delivered_at IS NULL")
    }

    public func reschedule(_ id: String, attempts: Int, nextAttemptAt: Date, error: String) async throws {
        try await execute("""
            UPDATE outbox SET attempts = \(Int64(attempts)), next_attempt_at = \(Self.millis(nextAttemptAt)), last_error = \(error)
            WHERE id = \(id) AND delivered_at IS NULL
            """)
    }

    // MARK: - Statements

    /// Runs one statement outside a transaction.
    private func execute(_ query: PostgresQuery) async throws {
        _ = try await database.withConnection { connection in
            try await connection.execute(query, logger: self.logger)
        }
    }

    /// Runs one statement outside a transaction and maps its rows inside the connection lease.
    private func rows<T: Sendable>(_ query: PostgresQuery, _ transform: (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
        try await database.withConnection { connection in
            try await connection.rows(query, logger: self.logger).map(transform)
        }
    }

    /// Runs a statement ending in `RETURNING 1` and counts its rows on the server, so that a large
    /// purge sends one number, not a row per deleted row.
    private func count(_ query: PostgresQuery, connection: PostgresConnection) async throws -> Int {
        let counted = PostgresQuery(unsafeSQL: "WITH changed AS (\(query.sql)) SELECT count(*) AS n FROM changed", binds: query.binds)
        guard let row = try await connection.rows(counted, logger: logger).first else { return 0 }
        return Int(try row.value("n", as: Int64.self))
    }

    private func insertChannel(_ clientID: String, session id: String, at time: Date, connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO session_channels (session_id, client_id, first_at)
            SELECT id, \(clientID), \(Self.millis(time)) FROM sessions WHERE id = \(id)
            ON CONFLICT (session_id, client_id) DO NOTHING
            """, logger: logger)
    }

    private func insertRefreshToken(_ digest: String, family: String, generation: Int64, at time: Date, connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO refresh_tokens (digest, family_id, generation, created_at)
            VALUES (\(digest), \(family), \(generation), \(Self.millis(time)))
            """, logger: logger)
    }

    private func session(id: String, connection: PostgresConnection) async throws -> LoginSession? {
        guard let row = try await connection.rows("SELECT * FROM sessions WHERE id = \(id)", logger: logger).first else {
            return nil
        }
        return try await session(from: row, connection: connection)
    }

    private func session(from row: PostgresRandomAccessRow, connection: PostgresConnection) async throws -> LoginSession {
        let id = try row.value("id", as: String.self)
        let channels = try await connection.rows(
            "SELECT client_id FROM session_channels WHERE session_id = \(id) ORDER BY first_at, position", logger: logger
        ).map { try $0.value("client_id", as: String.self) }
        return LoginSession(
            id: id,
            authentication: Authentication(
                customerID: try Self.customerID(row.value("customer_id")), time: Self.date(try row.value("auth_time")),
                methods: try StoredValues.decode([String].self, json: row.value("amr")), contextClass: try row.value("acr")
            ),
            createdAt: Self.date(try row.value("created_at")), lastSeenAt: Self.date(try row.value("last_seen_at")),
            endedAt: try row.value("ended_at", as: Int64?.self).map(Self.date),
            channels: channels
        )
    }

    // MARK: - Row mapping

    private static func familyColumns(_ table: String) -> String {
        ["id", "client_id", "scope", "authentication", "session_id", "created_at", "expires_at", "revoked_at", "confirmation_key"]
            .map { "\(table).\($0)" }.joined(separator: ", ")
    }

    private static func family(from row: PostgresRandomAccessRow) throws -> RefreshFamily {
        RefreshFamily(
            id: try row.value("id"), clientID: try row.value("client_id"), scope: try StoredValues.decode([String].self, json: row.value("scope")),
            authentication: try StoredValues.decode(Authentication.self, json: row.value("authentication")), sessionID: try row.value("session_id"),
            createdAt: date(try row.value("created_at")), expiresAt: date(try row.value("expires_at")),
            revokedAt: try row.value("revoked_at", as: Int64?.self).map(date), confirmationKey: try row.value("confirmation_key")
        )
    }

    private static func challenge(from row: PostgresRandomAccessRow) throws -> OneTimeCodeChallenge {
        guard let kind = IdentifierKind(rawValue: try row.value("kind")) else { throw IdentityGraphError.storage("unknown identifier kind in store") }
        let namespace = try row.value("namespace", as: String.self)
        return OneTimeCodeChallenge(
            id: try row.value("id"),
            identifier: Identifier(trustedKind: kind, namespace: namespace.isEmpty ? nil : namespace, value: try row.value("value")),
            codeDigest: try row.value("code_digest"), pendingAuthorizationID: try row.value("pending_authorization_id"),
            createdAt: date(try row.value("created_at")), expiresAt: date(try row.value("expires_at")),
            attempts: Int(try row.value("attempts", as: Int64.self)), consumed: try row.value("consumed")
        )
    }

    private static func message(from row: PostgresRandomAccessRow) throws -> OutboxMessage {
        guard let kind = OutboxMessage.Kind(rawValue: try row.value("kind")) else { throw IdentityGraphError.storage("unknown message kind in outbox") }
        return OutboxMessage(
            id: try row.value("id"), kind: kind, destination: try row.value("destination"), payload: try row.value("payload"),
            createdAt: date(try row.value("created_at")), attempts: Int(try row.value("attempts", as: Int64.self)),
            nextAttemptAt: date(try row.value("next_attempt_at"))
        )
    }

    private static func customerID(_ raw: String) throws -> CustomerID {
        guard let id = CustomerID(rawValue: raw) else { throw IdentityGraphError.storage("malformed customer id in store") }
        return id
    }

    private static func millis(_ date: Date) -> Int64 { PostgresIdentityStore.millis(date) }
    private static func date(_ millis: Int64) -> Date { PostgresIdentityStore.date(millis) }

    private static func millis(_ duration: Duration) -> Int64 { StoredValues.millis(duration) }
}
