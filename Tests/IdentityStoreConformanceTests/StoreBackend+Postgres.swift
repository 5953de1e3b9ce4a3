import CustomerLogin
import Foundation
import IdentityGraph
import Identifiers
import Logging
import PostgresStore

/// The PostgreSQL backend of the conformance suite: on when `SOLMU_TEST_POSTGRES_URL` names a
/// server where the user may create databases (`Tests/postgres-cluster.sh start` makes one).
/// Every store gets a fresh database, created through one shared admin pool and migrated, with a
/// small pool of its own so that hundreds of stores fit in the server's `max_connections`.
enum PostgresTestServer {
    static let url = ProcessInfo.processInfo.environment["SOLMU_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// The pool that creates the test databases, running for the whole test process.
    private static let admin: Result<PostgresDatabase, any Error> = Result {
        guard let url else { throw PostgresStoreError(.invalidURL, reason: "SOLMU_TEST_POSTGRES_URL is not set") }
        var configuration = try PostgresConfiguration(url: url)
        try configuration.setPool(maximum: 8)
        let database = try PostgresDatabase(configuration: configuration, logger: logger)
        database.startInBackground()
        return database
    }

    /// Quiet: a pool asked for a connection a moment before its task runs warns, harmlessly.
    private static let logger: Logger = {
        var logger = Logger(label: "solmu.postgres.test")
        logger.logLevel = .error
        return logger
    }()

    /// A new, empty, migrated database with its pool running.
    static func freshDatabase() async throws -> PostgresDatabase {
        let admin = try admin.get()
        let name = "solmu_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await admin.createDatabase(named: name)
        var configuration = admin.configuration.with(database: name)
        try configuration.setPool(minimum: 0, maximum: 4)
        let database = try PostgresDatabase(configuration: configuration, logger: logger)
        database.startInBackground()
        try await database.migrate()
        return database
    }
}

/// An identity store whose database is still being created: every call waits for it first.
/// (`StoreBackend.make` is synchronous; creating a PostgreSQL database is not.)
final class PendingIdentityStore: IdentityStore {
    private let ready: Task<any IdentityStore, any Error>

    init(_ make: @escaping @Sendable () async throws -> any IdentityStore) {
        ready = Task { try await make() }
    }

    private var store: any IdentityStore { get async throws { try await ready.value } }

    func createCustomer(_ new: NewCustomer, context: ChangeContext) async throws -> Customer { try await store.createCustomer(new, context: context) }
    func link(_ identifier: Identifier, to customer: CustomerID, assurance: Assurance, context: ChangeContext) async throws -> LinkOutcome {
        try await store.link(identifier, to: customer, assurance: assurance, context: context)
    }
    func unlink(_ identifier: Identifier, from customer: CustomerID?, context: ChangeContext) async throws -> Link {
        try await store.unlink(identifier, from: customer, context: context)
    }
    nonisolated(nonsending) func bulkLoad<T>(_ body: () async throws -> T) async throws -> T { try await store.bulkLoad(body) }
    func resolve(_ identifier: Identifier) async throws -> ResolvedCustomer? { try await store.resolve(identifier) }
    func resolve(batch identifiers: [Identifier]) async throws -> [Identifier: ResolvedCustomer] { try await store.resolve(batch: identifiers) }
    func customer(_ id: CustomerID) async throws -> Customer? { try await store.customer(id) }
    func customerStatus(_ id: CustomerID) async throws -> CustomerStatus? { try await store.customerStatus(id) }
    func customers(after: CustomerID?, limit: Int) async throws -> [Customer] { try await store.customers(after: after, limit: limit) }
    func move(_ identifier: Identifier, to customer: CustomerID, assurance: Assurance, context: ChangeContext) async throws -> MoveOutcome {
        try await store.move(identifier, to: customer, assurance: assurance, context: context)
    }
    func planMerge(survivor: CustomerID, duplicate: CustomerID) async throws -> MergePlan { try await store.planMerge(survivor: survivor, duplicate: duplicate) }
    func merge(survivor: CustomerID, duplicate: CustomerID, context: ChangeContext) async throws -> MergeRecord {
        try await store.merge(survivor: survivor, duplicate: duplicate, context: context)
    }
    func unmerge(_ merge: MergeID, moving: [Identifier], context: ChangeContext) async throws -> UnmergeOutcome {
        try await store.unmerge(merge, moving: moving, context: context)
    }
    func mergeRecord(_ id: MergeID) async throws -> MergeRecord? { try await store.mergeRecord(id) }
    func merges(involving customer: CustomerID) async throws -> [MergeRecord] { try await store.merges(involving: customer) }
    func erase(_ customer: CustomerID, context: ChangeContext) async throws -> ErasureOutcome { try await store.erase(customer, context: context) }
    func recordEvent(_ record: LinkLogRecord, identifier: Identifier?) async throws -> LinkLogEntry {
        try await store.recordEvent(record, identifier: identifier)
    }
    func linkLog(customer: CustomerID?, after: Int64?, limit: Int) async throws -> [LinkLogEntry] {
        try await store.linkLog(customer: customer, after: after, limit: limit)
    }
    func searchLinkLog(_ query: LinkLogQuery, after: Int64?, limit: Int) async throws -> [ReviewedLogEntry] {
        try await store.searchLinkLog(query, after: after, limit: limit)
    }
    func duplicateCandidates(limit: Int) async throws -> [DuplicateCandidate] { try await store.duplicateCandidates(limit: limit) }
    func prepareImport(_ batch: [NewCustomer], context: ChangeContext) async throws -> PreparedImport {
        try await store.prepareImport(batch, context: context)
    }
    func importCustomers(_ prepared: PreparedImport) async throws -> [Result<CustomerID, IdentityGraphError>] {
        try await store.importCustomers(prepared)
    }
    func logTreeHead() async throws -> LogTreeHead { try await store.logTreeHead() }
    func logRoot(size: UInt64) async throws -> [UInt8] { try await store.logRoot(size: size) }
    func logInclusionProof(index: UInt64, size: UInt64) async throws -> [[UInt8]] { try await store.logInclusionProof(index: index, size: size) }
    func logConsistencyProof(from: UInt64, to: UInt64) async throws -> [[UInt8]] { try await store.logConsistencyProof(from: from, to: to) }
    func saveCheckpoint(_ checkpoint: StoredCheckpoint) async throws -> StoredCheckpoint { try await store.saveCheckpoint(checkpoint) }
    func latestCheckpoint() async throws -> StoredCheckpoint? { try await store.latestCheckpoint() }
    func ping() async throws { try await store.ping() }
    func statistics() async throws -> StoreStatistics { try await store.statistics() }
}

/// A login store whose database is still being created, like ``PendingIdentityStore``.
final class PendingLoginStore: LoginStore {
    private let ready: Task<any LoginStore, any Error>

    init(_ make: @escaping @Sendable () async throws -> any LoginStore) {
        ready = Task { try await make() }
    }

    private var store: any LoginStore { get async throws { try await ready.value } }

    func savePendingAuthorization(_ pending: PendingAuthorization) async throws { try await store.savePendingAuthorization(pending) }
    func pendingAuthorization(_ id: String, now: Date) async throws -> PendingAuthorization? { try await store.pendingAuthorization(id, now: now) }
    func saveChallenge(_ challenge: OneTimeCodeChallenge) async throws { try await store.saveChallenge(challenge) }
    func challenge(_ id: String) async throws -> OneTimeCodeChallenge? { try await store.challenge(id) }
    func recordFailedAttempt(challenge id: String) async throws -> Int { try await store.recordFailedAttempt(challenge: id) }
    func consumeChallenge(_ id: String) async throws -> Bool { try await store.consumeChallenge(id) }
    func rateLimit(_ key: String, limit: Int, window: Duration, now: Date) async throws -> RateLimitDecision {
        try await store.rateLimit(key, limit: limit, window: window, now: now)
    }
    func createSession(_ session: LoginSession, cookieDigest: String) async throws { try await store.createSession(session, cookieDigest: cookieDigest) }
    func session(cookieDigest: String) async throws -> LoginSession? { try await store.session(cookieDigest: cookieDigest) }
    func session(id: String) async throws -> LoginSession? { try await store.session(id: id) }
    func touchSession(cookieDigest: String, at time: Date) async throws { try await store.touchSession(cookieDigest: cookieDigest, at: time) }
    func addChannel(_ clientID: String, toSession id: String, at time: Date) async throws { try await store.addChannel(clientID, toSession: id, at: time) }
    func endSession(id: String, at time: Date) async throws -> LoginSession? { try await store.endSession(id: id, at: time) }
    func saveCode(_ grant: AuthorizationCodeGrant, digest: String) async throws { try await store.saveCode(grant, digest: digest) }
    func redeemCode(digest: String, now: Date) async throws -> CodeRedemption { try await store.redeemCode(digest: digest, now: now) }
    func recordIssued(byCode digest: String, accessTokenID: String, refreshFamilyID: String?) async throws {
        try await store.recordIssued(byCode: digest, accessTokenID: accessTokenID, refreshFamilyID: refreshFamilyID)
    }
    func createRefreshFamily(_ family: RefreshFamily, firstTokenDigest: String) async throws {
        try await store.createRefreshFamily(family, firstTokenDigest: firstTokenDigest)
    }
    func rotateRefreshToken(digest: String, newDigest: String, now: Date) async throws -> RefreshRotation {
        try await store.rotateRefreshToken(digest: digest, newDigest: newDigest, now: now)
    }
    func refreshToken(digest: String) async throws -> (family: RefreshFamily, isCurrent: Bool)? { try await store.refreshToken(digest: digest) }
    func revokeRefreshFamily(id: String, at time: Date) async throws { try await store.revokeRefreshFamily(id: id, at: time) }
    func revokeRefreshFamilies(session id: String, at time: Date) async throws -> [String] { try await store.revokeRefreshFamilies(session: id, at: time) }
    func revokeAccessToken(id: String, expiresAt: Date) async throws { try await store.revokeAccessToken(id: id, expiresAt: expiresAt) }
    func isAccessTokenRevoked(id: String) async throws -> Bool { try await store.isAccessTokenRevoked(id: id) }
    func rememberOnce(_ key: String, until: Date) async throws -> Bool { try await store.rememberOnce(key, until: until) }
    func password(of customer: CustomerID) async throws -> PasswordRecord? { try await store.password(of: customer) }
    func setPassword(_ hash: String, for customer: CustomerID) async throws { try await store.setPassword(hash, for: customer) }
    func recordPasswordFailure(_ customer: CustomerID, lockedUntil: Date?) async throws -> Int {
        try await store.recordPasswordFailure(customer, lockedUntil: lockedUntil)
    }
    func resetPasswordFailures(_ customer: CustomerID) async throws { try await store.resetPasswordFailures(customer) }
    func loginRecords(of customer: CustomerID) async throws -> CustomerLoginRecords { try await store.loginRecords(of: customer) }
    func forgetCustomer(_ customer: CustomerID, identifiers: [Identifier]) async throws -> Int {
        try await store.forgetCustomer(customer, identifiers: identifiers)
    }
    func purge(before cutoff: Date) async throws -> Int { try await store.purge(before: cutoff) }
    func enqueue(_ message: OutboxMessage) async throws { try await store.enqueue(message) }
    func dueMessages(now: Date, limit: Int) async throws -> [OutboxMessage] { try await store.dueMessages(now: now, limit: limit) }
    func claimDueMessages(now: Date, limit: Int, lease: Duration) async throws -> [OutboxMessage] {
        try await store.claimDueMessages(now: now, limit: limit, lease: lease)
    }
    func markDelivered(_ id: String, at time: Date) async throws { try await store.markDelivered(id, at: time) }
    func reschedule(_ id: String, attempts: Int, nextAttemptAt: Date, error: String) async throws {
        try await store.reschedule(id, attempts: attempts, nextAttemptAt: nextAttemptAt, error: error)
    }
}
