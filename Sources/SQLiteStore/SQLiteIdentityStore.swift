public import IdentityGraph
public import Identifiers
import Foundation
import GRDB
import Synchronization
import VerifiableLog

/// The embedded identity store: SQLite through GRDB, in WAL mode, so that reads never wait for
/// the writer.
public final class SQLiteIdentityStore: IdentityStore {
    let database: SQLiteDatabase
    let rules: GraphRules
    /// Per-customer link-log keys: identifier hashes in entries and the sealed detail beside them.
    let keys: LinkLogKeys
    /// The Merkle tree over the link log, appended in each entry's transaction.
    let verifiableLog = SQLiteVerifiableLog()
    /// The sequence numbers a bulk import's next batch will get, for hashing its leaves ahead.
    private let importSequences = Mutex(LogSequencePredictor())

    /// Opens (creating if needed) the database at `path` and migrates it.
    /// - Throws: `SQLiteStoreError` when the file cannot be opened or its schema is newer than
    ///   this build knows.
    public convenience init(path: String, rules: GraphRules, keys: LinkLogKeys, readers: Int = 8) throws {
        try self.init(database: SQLiteDatabase(path: path, readers: readers), rules: rules, keys: keys)
    }

    /// The identity store in an open database (shared with the other stores of the same file).
    public init(database: SQLiteDatabase, rules: GraphRules, keys: LinkLogKeys) {
        self.database = database
        self.rules = rules
        self.keys = keys
    }

    // MARK: - Changes

    public func createCustomer(_ new: NewCustomer, context: ChangeContext) async throws -> Customer {
        let identifiers = new.identifiers.map(\.identifier)
        try rules.checkNewCustomer(identifiers)
        let profileJSON = try Self.encode(new.profile)
        let log = try NewCustomerLog(for: new, context: context, keys: keys)
        let outcome = try await write { db in
            try self.insertCustomer(new, profileJSON: profileJSON, log: log, context: context, db: db)
        }
        return try outcome.get()
    }

    /// Also hashes the batch's leaves for the sequence numbers it will most likely be written
    /// with: while the previous batch is written, so that the writer need not (``PredictedLeaves``).
    public func prepareImport(_ batch: [NewCustomer], context: ChangeContext) async throws -> PreparedImport {
        var prepared = try PreparedImport(batch, context: context, rules: rules, keys: keys)
        let logSize = importSequences.withLock(\.needsLogSize) ? try await read { try Self.logSize(db: $0) } : nil
        if let first = importSequences.withLock({ $0.reserve(prepared.entryCount, logSize: logSize) }) {
            prepared.predictLeaves(firstSequence: first)
        }
        return prepared
    }

    /// One transaction for the whole batch, with no savepoint per customer: `insertCustomer`
    /// leaves nothing of a customer it refuses, and an error thrown midway rolls the whole batch
    /// back.
    public func importCustomers(_ prepared: PreparedImport) async throws -> [Result<CustomerID, IdentityGraphError>] {
        let written: (results: [Result<CustomerID, IdentityGraphError>], logSize: Int64)
        do {
            written = try await write { db in
                var position = 0
                let results = try prepared.items.map { item -> Result<CustomerID, IdentityGraphError> in
                    switch item {
                    case let .failure(error):
                        return .failure(error)
                    case let .success(item):
                        defer { position += item.log.entryCount }
                        return try self.insertCustomer(
                            item.customer, profileJSON: item.profileJSON, log: item.log, context: prepared.context, db: db,
                            returnLinks: false, leaves: prepared.leaves.map { ($0, position) }
                        ).map(\.id)
                    }
                }
                return (results, try Self.logSize(db: db))
            }
        } catch {
            importSequences.withLock { $0.settle(prepared.entryCount, logSize: nil) }
            throw error
        }
        importSequences.withLock { $0.settle(prepared.entryCount, logSize: written.logSize) }
        return written.results
    }

    /// The number of entries in the link log (gap-free from 1, so its last sequence number).
    static func logSize(db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM link_log") ?? 0
    }

    /// A load into an empty graph drops the secondary indexes that every imported row would
    /// otherwise update at a random place (``SQLiteSchema/bulkLoadIndexes``) and builds them once,
    /// sorted, at the end: a million customers import in about 60 % of the time. Into a
    /// graph that has customers, `body` just runs. A process that dies meanwhile leaves them
    /// missing; opening the database builds them again.
    nonisolated(nonsending) public func bulkLoad<T>(_ body: () async throws -> T) async throws -> T {
        guard try await database.dropBulkLoadIndexesIfEmpty() else { return try await body() }
        let result: T
        do {
            result = try await body()
        } catch {
            // The load's own error is the one to report; should building fail too, the next
            // open builds them.
            try? await database.createBulkLoadIndexes()
            throw error
        }
        try await database.createBulkLoadIndexes()
        return result
    }

    public func link(_ identifier: Identifier, to requested: CustomerID, assurance: Assurance, context: ChangeContext) async throws -> LinkOutcome {
        let outcome = try await write { db -> Result<LinkOutcome, IdentityGraphError> in
            // An id merged away links to its survivor; an erased one refuses.
            let customer: CustomerID
            switch try self.liveCustomer(requested, followingMerges: true, db: db) {
            case let .success(id): customer = id
            case let .failure(error): return .failure(error)
            }
            let existing = try self.existingLink(identifier, db: db)
            let customerIdentifiers = try self.identifiers(of: customer, db: db)
            let decision: LinkDecision
            do {
                decision = try LinkDecision.decide(
                    linking: identifier, to: customer, at: assurance, existing: existing,
                    customerIdentifiers: customerIdentifiers, rules: self.rules
                )
            } catch let error as IdentityGraphError {
                if case let .conflict(kind, _, owner, _) = error {
                    try self.recordDuplicateCandidate(owner, customer, kind: kind, time: context.time, db: db)
                }
                return .failure(error)
            }
            switch decision {
            case .insert:
                let link = Link(identifier: identifier, customerID: customer, provenance: Provenance(channel: context.actor, assurance: assurance, linkedAt: context.time))
                try self.insertLink(link, db: db)
                try self.appendEntry(.linked, identifier: identifier, customer: customer, assurance: assurance, context: context, db: db)
                return .success(.linked(link))
            case .raise:
                let link = Link(identifier: identifier, customerID: customer, provenance: Provenance(channel: context.actor, assurance: assurance, linkedAt: context.time))
                try db.cachedStatement(sql: "UPDATE links SET assurance = ?, channel = ?, linked_at = ? WHERE kind = ? AND namespace = ? AND value = ?")
                    .execute(arguments: [assurance.rawValue, context.actor, Self.millis(context.time), identifier.kind.rawValue, identifier.namespace ?? "", identifier.value])
                try self.appendEntry(.assuranceRaised, identifier: identifier, customer: customer, assurance: assurance, context: context, db: db)
                return .success(.assuranceRaised(link))
            case let .keep(link):
                return .success(.unchanged(link))
            }
        }
        return try outcome.get()
    }

    public func unlink(_ identifier: Identifier, from customer: CustomerID?, context: ChangeContext) async throws -> Link {
        let outcome = try await write { db -> Result<Link, IdentityGraphError> in
            var owner = customer
            if let customer, case let .success(live) = try self.liveCustomer(customer, followingMerges: true, db: db) {
                owner = live
            }
            guard let existing = try self.existingLink(identifier, db: db),
                  owner == nil || existing.customerID == owner
            else {
                return .failure(.linkNotFound(kind: identifier.kind, namespace: identifier.namespace))
            }
            try db.cachedStatement(sql: "DELETE FROM links WHERE kind = ? AND namespace = ? AND value = ?")
                .execute(arguments: [identifier.kind.rawValue, identifier.namespace ?? "", identifier.value])
            try self.appendEntry(.unlinked, identifier: identifier, customer: existing.customerID, assurance: nil, context: context, db: db)
            return .success(existing)
        }
        return try outcome.get()
    }

    public func recordEvent(_ record: LinkLogRecord, identifier: Identifier?) async throws -> LinkLogEntry {
        try await write { db in
            try self.appendEvent(record, identifier: identifier, db: db)
        }
    }

    // MARK: - Reads

    public func resolve(_ identifier: Identifier) async throws -> ResolvedCustomer? {
        // The hottest read of the service: one primary-key lookup and the customer's links.
        try database.lookups.resolve(identifier)
    }

    public func resolve(batch identifiers: [Identifier]) async throws -> [Identifier: ResolvedCustomer] {
        try await read { db in
            var result: [Identifier: ResolvedCustomer] = [:]
            for identifier in identifiers where result[identifier] == nil {
                if let resolved = try self.resolve(identifier, db: db) {
                    result[identifier] = resolved
                }
            }
            return result
        }
    }

    public func customer(_ id: CustomerID) async throws -> Customer? {
        try await read { db in
            guard case let .success(live) = try self.liveCustomer(id, followingMerges: true, db: db) else { return nil }
            return try self.loadCustomer(live, db: db)
        }
    }

    public func linkLog(customer: CustomerID?, after: Int64?, limit: Int) async throws -> [LinkLogEntry] {
        try await read { db in
            let rows: [Row]
            if let customer {
                rows = try Row.fetchAll(
                    db.cachedStatement(sql: """
                        SELECT * FROM link_log WHERE (customer_id = ? OR related_customer_id = ?) AND sequence > ?
                        ORDER BY sequence LIMIT ?
                        """),
                    arguments: [customer.rawValue, customer.rawValue, after ?? 0, limit]
                )
            } else {
                rows = try Row.fetchAll(
                    db.cachedStatement(sql: "SELECT * FROM link_log WHERE sequence > ? ORDER BY sequence LIMIT ?"),
                    arguments: [after ?? 0, limit]
                )
            }
            return try rows.map(Self.logEntry(from:))
        }
    }

    public func duplicateCandidates(limit: Int) async throws -> [DuplicateCandidate] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT d.* FROM duplicate_candidates AS d
                JOIN customers AS a ON a.id = d.first_id AND a.status = 'active'
                JOIN customers AS b ON b.id = d.second_id AND b.status = 'active'
                ORDER BY d.last_seen DESC, d.first_id, d.second_id LIMIT ?
                """, arguments: [limit]).map { row in
                DuplicateCandidate(
                    first: try Self.customerID(row["first_id"]), second: try Self.customerID(row["second_id"]),
                    kind: try Self.kind(row["kind"]), firstSeen: Self.date(row["first_seen"]), lastSeen: Self.date(row["last_seen"]),
                    occurrences: row["occurrences"]
                )
            }
        }
    }

    public func ping() async throws {
        _ = try await read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func statistics() async throws -> StoreStatistics {
        try await read { db in
            StoreStatistics(
                customers: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM customers WHERE status = 'active'") ?? 0,
                links: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM links") ?? 0,
                logEntries: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM link_log") ?? 0
            )
        }
    }

    // MARK: - Transactions

    /// Runs `body` in a write transaction, then stores the log tree's tiles its appends changed.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await database.write { db in
            let result = try body(db)
            try self.verifiableLog.flush(db: db)
            return result
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await database.read(body)
    }

    // MARK: - Statements

    static let linkColumns = "kind, namespace, value, customer_id, channel, assurance, linked_at"

    /// Inserts `new` with its log entries, whose cryptography `log` did before the transaction;
    /// `leaves`, with the position of the customer's first entry among them, may hold their leaf
    /// hashes too.
    ///
    /// The customer's row goes first, then its links. A link whose identifier belongs to another
    /// customer fails on the primary key of `links`; the rows written for this customer are then
    /// deleted again, so a refused customer leaves nothing, and the owner is looked up for the
    /// conflict. (Conflicts are rare: looking every identifier up first cost a B-tree search per
    /// link, an eighth of a bulk import's writer.) The log entries follow the links.
    func insertCustomer(
        _ new: NewCustomer, profileJSON: String?, log: NewCustomerLog, context: ChangeContext, db: Database, returnLinks: Bool = true,
        leaves: (predicted: PredictedLeaves, position: Int)? = nil
    ) throws -> Result<Customer, IdentityGraphError> {
        try db.cachedStatement(sql: "INSERT INTO customers (id, created_at, profile, log_key) VALUES (?, ?, ?, ?)").executeDirect {
            $0.bind(new.id.rawValue)
            $0.bind(Self.millis(context.time))
            $0.bind(profileJSON)
            $0.bind(log.wrappedKey)
        }
        var links: [Link] = []
        links.reserveCapacity(returnLinks ? new.identifiers.count : 0)
        for (position, item) in new.identifiers.enumerated() {
            let link = Link(identifier: item.identifier, customerID: new.id, provenance: Provenance(channel: context.actor, assurance: item.assurance, linkedAt: context.time))
            do {
                try insertLink(link, db: db)
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
                guard let owner = try existingLink(item.identifier, db: db)?.customerID else { throw error }
                for earlier in new.identifiers[..<position] {
                    try db.cachedStatement(sql: "DELETE FROM links WHERE kind = ? AND namespace = ? AND value = ?").executeDirect {
                        $0.bind(earlier.identifier.kind.rawValue)
                        $0.bind(earlier.identifier.namespace ?? "")
                        $0.bind(earlier.identifier.value)
                    }
                }
                try db.cachedStatement(sql: "DELETE FROM customers WHERE id = ?").executeDirect { $0.bind(new.id.rawValue) }
                return .failure(.conflict(kind: item.identifier.kind, namespace: item.identifier.namespace, owner: owner, requested: nil))
            }
            if returnLinks { links.append(link) }
        }
        let created = try append(log.created, db: db, leaves: leaves)
        if let sealedName = log.sealedName {
            try saveDetail(sealedName, sequence: created, lookup: nil, db: db)
        }
        for (offset, entry) in log.links.enumerated() {
            let sequence = try append(entry.record, db: db, leaves: leaves.map { ($0.predicted, $0.position + 1 + offset) })
            try saveDetail(entry.sealedDetail, sequence: sequence, lookup: entry.lookup, db: db)
        }
        return .success(Customer(id: new.id, createdAt: context.time, profile: new.profile, links: links))
    }

    func insertLink(_ link: Link, db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO links (\(Self.linkColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)").executeDirect {
            $0.bind(link.identifier.kind.rawValue)
            $0.bind(link.identifier.namespace ?? "")
            $0.bind(link.identifier.value)
            $0.bind(link.customerID.rawValue)
            $0.bind(link.provenance.channel)
            $0.bind(link.provenance.assurance.rawValue)
            $0.bind(Self.millis(link.provenance.linkedAt))
        }
    }

    /// Appends `record` and its leaf; returns its sequence number. The leaf is the hash `leaves`
    /// predicted at `position` when the entry got the sequence number it was hashed with.
    @discardableResult
    func append(_ record: LinkLogRecord, db: Database, leaves: (predicted: PredictedLeaves, position: Int)? = nil) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO link_log (time, actor, action, customer_id, kind, namespace, value_hash, assurance, reason,
                                  operator, related_customer_id, merge_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).executeDirect {
            $0.bind(Self.millis(record.time))
            $0.bind(record.actor)
            $0.bind(record.action.rawValue)
            $0.bind(record.customerID.rawValue)
            $0.bind(record.identifierKind?.rawValue)
            $0.bind(record.namespace)
            $0.bind(record.valueHash)
            $0.bind(record.assurance?.rawValue)
            $0.bind(record.reason)
            $0.bind(record.operatorName)
            $0.bind(record.relatedCustomerID?.rawValue)
            $0.bind(record.mergeID?.rawValue)
        }
        let sequence = db.lastInsertedRowID
        if let leaves, let hash = leaves.predicted.hash(at: leaves.position, sequence: sequence) {
            try verifiableLog.append(sequence: sequence, leafHash: hash, db: db)
        } else {
            try verifiableLog.append(LinkLogEntry(sequence: sequence, record: record), db: db)
        }
        return sequence
    }

    func recordDuplicateCandidate(_ a: CustomerID, _ b: CustomerID, kind: IdentifierKind, time: Date, db: Database) throws {
        let (first, second) = a < b ? (a, b) : (b, a)
        try db.cachedStatement(sql: """
            INSERT INTO duplicate_candidates (first_id, second_id, kind, first_seen, last_seen, occurrences)
            VALUES (?, ?, ?, ?, ?, 1)
            ON CONFLICT (first_id, second_id) DO UPDATE SET last_seen = excluded.last_seen, occurrences = occurrences + 1
            """).execute(arguments: [first.rawValue, second.rawValue, kind.rawValue, Self.millis(time), Self.millis(time)])
    }


    func existingLink(_ identifier: Identifier, db: Database) throws -> Link? {
        try db.cachedStatement(sql: "SELECT \(Self.linkColumns) FROM links WHERE kind = ? AND namespace = ? AND value = ?").fetchFirstDirect({
            $0.bind(identifier.kind.rawValue)
            $0.bind(identifier.namespace ?? "")
            $0.bind(identifier.value)
        }, read: { try $0.link() })
    }

    func identifiers(of customer: CustomerID, db: Database) throws -> [Identifier] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Self.linkColumns) FROM links WHERE customer_id = ?"), arguments: [customer.rawValue])
            .map { try Self.link(from: $0).identifier }
    }

    private func resolve(_ identifier: Identifier, db: Database) throws -> ResolvedCustomer? {
        // One statement, columns read by position (the same query as SQLiteLookupConnections).
        let statement = try db.cachedStatement(sql: """
            SELECT l.kind, l.namespace, l.value, l.customer_id, l.channel, l.assurance, l.linked_at
            FROM links AS owner JOIN links AS l ON l.customer_id = owner.customer_id
            WHERE owner.kind = ? AND owner.namespace = ? AND owner.value = ?
            """)
        let rows = try Row.fetchCursor(statement, arguments: [identifier.kind.rawValue, identifier.namespace ?? "", identifier.value])
        var links: [Link] = []
        var customer: CustomerID?
        while let row = try rows.next() {
            let link = try Self.link(fromPositions: row)
            customer = customer ?? link.customerID
            links.append(link)
        }
        return customer.map { ResolvedCustomer(customerID: $0, links: links) }
    }

    // MARK: - Row mapping

    static func link(from row: Row) throws -> Link {
        let kind = try kind(row["kind"])
        let namespace: String = row["namespace"]
        let assuranceName: String = row["assurance"]
        guard let assurance = Assurance(rawValue: assuranceName) else {
            throw IdentityGraphError.storage("unknown assurance in links")
        }
        return Link(
            identifier: Identifier(trustedKind: kind, namespace: namespace.isEmpty ? nil : namespace, value: row["value"]),
            customerID: try customerID(row["customer_id"]),
            provenance: Provenance(channel: row["channel"], assurance: assurance, linkedAt: date(row["linked_at"]))
        )
    }

    /// `link(from:)` for rows of `linkColumns` in that order, without looking columns up by name.
    private static func link(fromPositions row: Row) throws -> Link {
        let kindName: String = row[0]
        guard let kind = IdentifierKind(rawValue: kindName) else { throw IdentityGraphError.storage("unknown identifier kind in store") }
        let namespace: String = row[1]
        let assuranceName: String = row[5]
        guard let assurance = Assurance(rawValue: assuranceName) else { throw IdentityGraphError.storage("unknown assurance in links") }
        return Link(
            identifier: Identifier(trustedKind: kind, namespace: namespace.isEmpty ? nil : namespace, value: row[2]),
            customerID: try customerID(row[3]),
            provenance: Provenance(channel: row[4], assurance: assurance, linkedAt: date(row[6]))
        )
    }

    static func logEntry(from row: Row) throws -> LinkLogEntry {
        let actionName: String = row["action"]
        guard let action = LinkLogAction(rawValue: actionName) else {
            throw IdentityGraphError.storage("unknown action in link_log")
        }
        let kindName: String? = row["kind"]
        let assuranceName: String? = row["assurance"]
        return LinkLogEntry(sequence: row["sequence"], record: LinkLogRecord(
            time: date(row["time"]), actor: row["actor"], action: action, customerID: try customerID(row["customer_id"]),
            identifierKind: try kindName.map(kind), namespace: row["namespace"], valueHash: row["value_hash"],
            assurance: assuranceName.flatMap(Assurance.init(rawValue:)), reason: row["reason"],
            operatorName: row["operator"], relatedCustomerID: try (row["related_customer_id"] as String?).map(customerID),
            mergeID: (row["merge_id"] as String?).flatMap(MergeID.init(rawValue:))
        ))
    }

    static func kind(_ name: String) throws -> IdentifierKind { try StoredValues.kind(name) }
    static func customerID(_ raw: String) throws -> CustomerID { try StoredValues.customerID(raw) }
    static func millis(_ date: Date) -> Int64 { StoredValues.millis(date) }
    static func date(_ millis: Int64) -> Date { StoredValues.date(millis) }
    static func encode(_ profile: Profile) throws -> String? { try StoredValues.profileJSON(profile) }
    static func decodeProfile(_ json: String?) throws -> Profile { try StoredValues.profile(json: json) }
}
