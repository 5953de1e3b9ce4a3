public import IdentityGraph
public import Identifiers
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The identity store on PostgreSQL, for several instances sharing one database.
///
/// Every change is one transaction that first locks the one row of `log_head`: changes of the
/// graph run one at a time across all instances (as SQLite's single writer runs them), so the
/// checks a change makes still hold when it commits, and its link-log entries get the next
/// sequence numbers with no gaps. Reads never take that lock.
public final class PostgresIdentityStore: IdentityStore {
    let database: PostgresDatabase
    let rules: GraphRules
    /// Per-customer link-log keys: identifier hashes in entries and the sealed detail beside them.
    let keys: LinkLogKeys
    /// The Merkle tree over the link log, appended in each change's transaction.
    let verifiableLog = PostgresVerifiableLog()
    var logger: Logger { database.logger }

    /// The identity store in `database`, which must be running and migrated (see
    /// ``PostgresDatabase/migrate()``), shared with the login store.
    public init(database: PostgresDatabase, rules: GraphRules, keys: LinkLogKeys) {
        self.database = database
        self.rules = rules
        self.keys = keys
    }

    // MARK: - Changes

    public func createCustomer(_ new: NewCustomer, context: ChangeContext) async throws -> Customer {
        try rules.checkNewCustomer(new.identifiers.map(\.identifier))
        let profileJSON = try Self.encode(new.profile)
        let outcome = try await write { connection, log in
            try await self.insertCustomer(new, profileJSON: profileJSON, context: context, connection: connection, log: log)
        }
        return try outcome.get()
    }

    public func prepareImport(_ batch: [NewCustomer], context: ChangeContext) throws -> PreparedImport {
        try PreparedImport(batch, context: context, rules: rules, keys: keys)
    }

    /// One transaction for the whole batch, in set-based statements: one query finds the
    /// identifiers already linked, then customers, links and log entries are inserted with one
    /// `unnest` statement each. A customer refused for a conflict (with the graph or with an
    /// earlier customer of the batch) is left out alone.
    public func importCustomers(_ prepared: PreparedImport) async throws -> [Result<CustomerID, IdentityGraphError>] {
        let accepted = prepared.items.compactMap { try? $0.get() }
        guard !accepted.isEmpty else { return prepared.items.map { $0.map(\.customer.id) } }
        let context = prepared.context
        let decided = try await write { connection, log -> [Result<CustomerID, IdentityGraphError>] in
            var owners = try await self.owners(of: accepted.flatMap { $0.customer.identifiers.map(\.identifier) }, connection: connection)
            var toWrite: [PreparedImport.Item] = []
            let decided = prepared.items.map { item -> Result<CustomerID, IdentityGraphError> in
                guard case let .success(item) = item else { return item.map(\.customer.id) }
                let new = item.customer
                if let taken = new.identifiers.first(where: { owners[$0.identifier] != nil }) {
                    return .failure(.conflict(
                        kind: taken.identifier.kind, namespace: taken.identifier.namespace, owner: owners[taken.identifier]!, requested: nil
                    ))
                }
                for item in new.identifiers { owners[item.identifier] = new.id }
                toWrite.append(item)
                return .success(new.id)
            }
            guard !toWrite.isEmpty else { return decided }
            try await connection.execute("""
                INSERT INTO customers (id, created_at, profile, log_key)
                SELECT id, \(Self.millis(context.time)), profile, log_key
                FROM unnest(\(toWrite.map(\.customer.id.rawValue))::text[], \(NullableTextArray(toWrite.map(\.profileJSON)))::text[],
                            \(toWrite.map { ByteBuffer(bytes: $0.log.wrappedKey) })::bytea[])
                    AS c (id, profile, log_key)
                """, logger: self.logger)
            var links: [Link] = []
            for item in toWrite {
                links += self.appendNewCustomer(item.customer, log: item.log, context: context, to: log)
            }
            try await self.insertLinks(links, connection: connection)
            return decided
        }
        return decided
    }

    public func link(_ identifier: Identifier, to requested: CustomerID, assurance: Assurance, context: ChangeContext) async throws -> LinkOutcome {
        let outcome = try await write { connection, log -> Result<LinkOutcome, IdentityGraphError> in
            // An id merged away links to its survivor; an erased one refuses.
            let customer: CustomerID
            switch try await self.liveCustomer(requested, followingMerges: true, connection: connection) {
            case let .success(id): customer = id
            case let .failure(error): return .failure(error)
            }
            let existing = try await self.existingLink(identifier, connection: connection)
            let customerIdentifiers = try await self.identifiers(of: customer, connection: connection)
            let decision: LinkDecision
            do {
                decision = try LinkDecision.decide(
                    linking: identifier, to: customer, at: assurance, existing: existing,
                    customerIdentifiers: customerIdentifiers, rules: self.rules
                )
            } catch let error as IdentityGraphError {
                if case let .conflict(kind, _, owner, _) = error {
                    try await self.recordDuplicateCandidate(owner, customer, kind: kind, time: context.time, connection: connection)
                }
                return .failure(error)
            }
            switch decision {
            case .insert:
                let link = Link(identifier: identifier, customerID: customer, provenance: Provenance(channel: context.actor, assurance: assurance, linkedAt: context.time))
                try await self.insertLinks([link], connection: connection)
                try self.appendEntry(.linked, identifier: identifier, customer: customer, assurance: assurance, context: context,
                                     key: try await self.requireLogKey(of: customer, connection: connection), log: log)
                return .success(.linked(link))
            case .raise:
                let link = Link(identifier: identifier, customerID: customer, provenance: Provenance(channel: context.actor, assurance: assurance, linkedAt: context.time))
                try await connection.execute("""
                    UPDATE links SET assurance = \(assurance.rawValue), channel = \(context.actor), linked_at = \(Self.millis(context.time))
                    WHERE kind = \(identifier.kind.rawValue) AND namespace = \(identifier.namespace ?? "") AND value = \(identifier.value)
                    """, logger: self.logger)
                try self.appendEntry(.assuranceRaised, identifier: identifier, customer: customer, assurance: assurance, context: context,
                                     key: try await self.requireLogKey(of: customer, connection: connection), log: log)
                return .success(.assuranceRaised(link))
            case let .keep(link):
                return .success(.unchanged(link))
            }
        }
        return try outcome.get()
    }

    public func unlink(_ identifier: Identifier, from customer: CustomerID?, context: ChangeContext) async throws -> Link {
        let outcome = try await write { connection, log -> Result<Link, IdentityGraphError> in
            var owner = customer
            if let customer, case let .success(live) = try await self.liveCustomer(customer, followingMerges: true, connection: connection) {
                owner = live
            }
            guard let existing = try await self.existingLink(identifier, connection: connection),
                  owner == nil || existing.customerID == owner
            else {
                return .failure(.linkNotFound(kind: identifier.kind, namespace: identifier.namespace))
            }
            try await connection.execute("""
                DELETE FROM links WHERE kind = \(identifier.kind.rawValue) AND namespace = \(identifier.namespace ?? "") AND value = \(identifier.value)
                """, logger: self.logger)
            try self.appendEntry(.unlinked, identifier: identifier, customer: existing.customerID, assurance: nil, context: context,
                                 key: try await self.requireLogKey(of: existing.customerID, connection: connection), log: log)
            return .success(existing)
        }
        return try outcome.get()
    }

    public func recordEvent(_ record: LinkLogRecord, identifier: Identifier?) async throws -> LinkLogEntry {
        try await write { connection, log in
            try await self.appendEvent(record, identifier: identifier, connection: connection, log: log)
        }
    }

    // MARK: - Reads

    public func resolve(_ identifier: Identifier) async throws -> ResolvedCustomer? {
        // The hottest read of the service: one prepared statement, no transaction.
        try await database.resolve(identifier)
    }

    public func resolve(batch identifiers: [Identifier]) async throws -> [Identifier: ResolvedCustomer] {
        let unique = Array(Set(identifiers))
        guard !unique.isEmpty else { return [:] }
        return try await database.withConnection { connection in
            let rows = try await connection.rows("""
                SELECT owner.kind AS owner_kind, owner.namespace AS owner_namespace, owner.value AS owner_value,
                       l.kind, l.namespace, l.value, l.customer_id, l.channel, l.assurance, l.linked_at
                FROM unnest(\(unique.map(\.kind.rawValue))::text[], \(unique.map { $0.namespace ?? "" })::text[], \(unique.map(\.value))::text[])
                    AS i (kind, namespace, value)
                JOIN links AS owner ON owner.kind = i.kind AND owner.namespace = i.namespace AND owner.value = i.value
                JOIN links AS l ON l.customer_id = owner.customer_id
                ORDER BY l.kind, l.namespace, l.value
                """, logger: self.logger)
            var links: [Identifier: [Link]] = [:]
            for row in rows {
                let namespace = try row.value("owner_namespace", as: String.self)
                let key = Identifier(
                    trustedKind: try Self.kind(row.value("owner_kind")), namespace: namespace.isEmpty ? nil : namespace,
                    value: try row.value("owner_value")
                )
                links[key, default: []].append(try Self.link(from: row))
            }
            var result: [Identifier: ResolvedCustomer] = [:]
            for (identifier, customerLinks) in links {
                result[identifier] = ResolvedCustomer(customerID: customerLinks[0].customerID, links: customerLinks)
            }
            return result
        }
    }

    public func customer(_ id: CustomerID) async throws -> Customer? {
        try await database.read { connection in
            guard case let .success(live) = try await self.liveCustomer(id, followingMerges: true, connection: connection) else { return nil }
            return try await self.loadCustomer(live, connection: connection)
        }
    }

    public func linkLog(customer: CustomerID?, after: Int64?, limit: Int) async throws -> [LinkLogEntry] {
        try await database.withConnection { connection in
            let rows: [PostgresRandomAccessRow]
            if let customer {
                rows = try await connection.rows("""
                    SELECT * FROM link_log
                    WHERE (customer_id = \(customer.rawValue) OR related_customer_id = \(customer.rawValue)) AND sequence > \(after ?? 0)
                    ORDER BY sequence LIMIT \(Int64(max(limit, 0)))
                    """, logger: self.logger)
            } else {
                rows = try await connection.rows(
                    "SELECT * FROM link_log WHERE sequence > \(after ?? 0) ORDER BY sequence LIMIT \(Int64(max(limit, 0)))", logger: self.logger
                )
            }
            return try rows.map(Self.logEntry(from:))
        }
    }

    public func duplicateCandidates(limit: Int) async throws -> [DuplicateCandidate] {
        try await database.withConnection { connection in
            try await connection.rows("""
                SELECT d.* FROM duplicate_candidates AS d
                JOIN customers AS a ON a.id = d.first_id AND a.status = 'active'
                JOIN customers AS b ON b.id = d.second_id AND b.status = 'active'
                ORDER BY d.last_seen DESC, d.first_id, d.second_id LIMIT \(Int64(max(limit, 0)))
                """, logger: self.logger).map { row in
                DuplicateCandidate(
                    first: try Self.customerID(row.value("first_id")), second: try Self.customerID(row.value("second_id")),
                    kind: try Self.kind(row.value("kind")), firstSeen: Self.date(try row.value("first_seen")),
                    lastSeen: Self.date(try row.value("last_seen")), occurrences: Int(try row.value("occurrences", as: Int64.self))
                )
            }
        }
    }

    public func ping() async throws {
        try await database.ping()
    }

    public func statistics() async throws -> StoreStatistics {
        try await database.read { connection in
            guard let row = try await connection.rows("""
                SELECT (SELECT count(*) FROM customers WHERE status = 'active') AS customers,
                       (SELECT count(*) FROM links) AS links,
                       (SELECT count(*) FROM link_log) AS log_entries
                """, logger: self.logger).first else { throw IdentityGraphError.storage("no statistics") }
            return StoreStatistics(
                customers: Int(try row.value("customers", as: Int64.self)), links: Int(try row.value("links", as: Int64.self)),
                logEntries: Int(try row.value("log_entries", as: Int64.self))
            )
        }
    }

    // MARK: - Transactions

    /// Runs `body` in a transaction holding the lock on `log_head`, then writes the link-log
    /// entries it appended to `log` (entries, tree nodes, size) in the same transaction.
    func write<T: Sendable>(_ body: (PostgresConnection, LogBatch) async throws -> T) async throws -> T {
        let (value, range) = try await database.transaction { connection in
            let log = LogBatch(start: try await PostgresVerifiableLog.lockHead(connection, logger: self.logger))
            let value = try await body(connection, log)
            let range = try await self.verifiableLog.flush(log, connection: connection, logger: self.logger)
            return (value, range)
        }
        verifiableLog.remember(range)
        return value
    }

    // MARK: - Statements

    static let linkColumns = "kind, namespace, value, customer_id, channel, assurance, linked_at"

    private func insertCustomer(
        _ new: NewCustomer, profileJSON: String?, context: ChangeContext, connection: PostgresConnection, log: LogBatch
    ) async throws -> Result<Customer, IdentityGraphError> {
        let owners = try await owners(of: new.identifiers.map(\.identifier), connection: connection)
        for item in new.identifiers {
            if let owner = owners[item.identifier] {
                return .failure(.conflict(kind: item.identifier.kind, namespace: item.identifier.namespace, owner: owner, requested: nil))
            }
        }
        let newLog = try NewCustomerLog(for: new, context: context, keys: keys)
        try await connection.execute("""
            INSERT INTO customers (id, created_at, profile, log_key)
            VALUES (\(new.id.rawValue), \(Self.millis(context.time)), \(profileJSON), \(ByteBuffer(bytes: newLog.wrappedKey)))
            """, logger: logger)
        let links = appendNewCustomer(new, log: newLog, context: context, to: log)
        try await insertLinks(links, connection: connection)
        return .success(Customer(id: new.id, createdAt: context.time, profile: new.profile, links: links))
    }

    /// Who holds each of `identifiers` that is linked, in one query.
    private func owners(of identifiers: [Identifier], connection: PostgresConnection) async throws -> [Identifier: CustomerID] {
        guard !identifiers.isEmpty else { return [:] }
        let rows = try await connection.rows("""
            SELECT l.kind, l.namespace, l.value, l.customer_id
            FROM unnest(\(identifiers.map(\.kind.rawValue))::text[], \(identifiers.map { $0.namespace ?? "" })::text[], \(identifiers.map(\.value))::text[])
                AS i (kind, namespace, value)
            JOIN links AS l ON l.kind = i.kind AND l.namespace = i.namespace AND l.value = i.value
            """, logger: logger)
        var owners: [Identifier: CustomerID] = [:]
        for row in rows {
            let namespace = try row.value("namespace", as: String.self)
            let identifier = Identifier(trustedKind: try Self.kind(row.value("kind")), namespace: namespace.isEmpty ? nil : namespace, value: try row.value("value"))
            owners[identifier] = try Self.customerID(row.value("customer_id"))
        }
        return owners
    }

    func insertLinks(_ links: [Link], connection: PostgresConnection) async throws {
        guard !links.isEmpty else { return }
        try await connection.execute("""
            INSERT INTO links (\(unescaped: Self.linkColumns))
            SELECT * FROM unnest(
                \(links.map(\.identifier.kind.rawValue))::text[], \(links.map { $0.identifier.namespace ?? "" })::text[],
                \(links.map(\.identifier.value))::text[], \(links.map(\.customerID.rawValue))::text[],
                \(links.map(\.provenance.channel))::text[], \(links.map(\.provenance.assurance.rawValue))::text[],
                \(links.map { Self.millis($0.provenance.linkedAt) })::bigint[]
            )
            """, logger: logger)
    }

    func recordDuplicateCandidate(_ a: CustomerID, _ b: CustomerID, kind: IdentifierKind, time: Date, connection: PostgresConnection) async throws {
        let (first, second) = a < b ? (a, b) : (b, a)
        try await connection.execute("""
            INSERT INTO duplicate_candidates (first_id, second_id, kind, first_seen, last_seen, occurrences)
            VALUES (\(first.rawValue), \(second.rawValue), \(kind.rawValue), \(Self.millis(time)), \(Self.millis(time)), 1)
            ON CONFLICT (first_id, second_id) DO UPDATE
            SET last_seen = excluded.last_seen, occurrences = duplicate_candidates.occurrences + 1
            """, logger: logger)
    }

    func existingLink(_ identifier: Identifier, connection: PostgresConnection) async throws -> Link? {
        try await connection.rows("""
            SELECT \(unescaped: Self.linkColumns) FROM links
            WHERE kind = \(identifier.kind.rawValue) AND namespace = \(identifier.namespace ?? "") AND value = \(identifier.value)
            """, logger: logger).first.map(Self.link(from:))
    }

    func identifiers(of customer: CustomerID, connection: PostgresConnection) async throws -> [Identifier] {
        try await connection.rows(
            "SELECT \(unescaped: Self.linkColumns) FROM links WHERE customer_id = \(customer.rawValue) ORDER BY kind, namespace, value", logger: logger
        ).map { try Self.link(from: $0).identifier }
    }

    private func resolve(_ identifier: Identifier, connection: PostgresConnection) async throws -> ResolvedCustomer? {
        let links = try await connection.rows("""
            SELECT l.kind, l.namespace, l.value, l.customer_id, l.channel, l.assurance, l.linked_at
            FROM links AS owner JOIN links AS l ON l.customer_id = owner.customer_id
            WHERE owner.kind = \(identifier.kind.rawValue) AND owner.namespace = \(identifier.namespace ?? "") AND owner.value = \(identifier.value)
            ORDER BY l.kind, l.namespace, l.value
            """, logger: logger).map(Self.link(from:))
        return links.first.map { ResolvedCustomer(customerID: $0.customerID, links: links) }
    }

    // MARK: - Row mapping

    static func link(from row: PostgresRandomAccessRow) throws -> Link {
        let namespace = try row.value("namespace", as: String.self)
        guard let assurance = Assurance(rawValue: try row.value("assurance")) else {
            throw IdentityGraphError.storage("unknown assurance in links")
        }
        return Link(
            identifier: Identifier(trustedKind: try kind(row.value("kind")), namespace: namespace.isEmpty ? nil : namespace, value: try row.value("value")),
            customerID: try customerID(row.value("customer_id")),
            provenance: Provenance(channel: try row.value("channel"), assurance: assurance, linkedAt: date(try row.value("linked_at")))
        )
    }

    static func logEntry(from row: PostgresRandomAccessRow) throws -> LinkLogEntry {
        guard let action = LinkLogAction(rawValue: try row.value("action")) else {
            throw IdentityGraphError.storage("unknown action in link_log")
        }
        let kindName = try row.value("kind", as: String?.self)
        let assuranceName = try row.value("assurance", as: String?.self)
        return LinkLogEntry(sequence: try row.value("sequence"), record: LinkLogRecord(
            time: date(try row.value("time")), actor: try row.value("actor"), action: action, customerID: try customerID(row.value("customer_id")),
            identifierKind: try kindName.map(kind), namespace: try row.value("namespace"), valueHash: try row.value("value_hash"),
            assurance: assuranceName.flatMap(Assurance.init(rawValue:)), reason: try row.value("reason"),
            operatorName: try row.value("operator"), relatedCustomerID: try row.value("related_customer_id", as: String?.self).map(customerID),
            mergeID: try row.value("merge_id", as: String?.self).flatMap(MergeID.init(rawValue:))
        ))
    }

    static func kind(_ name: String) throws -> IdentifierKind { try StoredValues.kind(name) }
    static func customerID(_ raw: String) throws -> CustomerID { try StoredValues.customerID(raw) }
    static func millis(_ date: Date) -> Int64 { StoredValues.millis(date) }
    static func date(_ millis: Int64) -> Date { StoredValues.date(millis) }
    static func encode(_ profile: Profile) throws -> String? { try StoredValues.profileJSON(profile) }
    static func decodeProfile(_ json: String?) throws -> Profile { try StoredValues.profile(json: json) }
    static func json(_ value: some Encodable) throws -> String { try StoredValues.json(value) }
}
