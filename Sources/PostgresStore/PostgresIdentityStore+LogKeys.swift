public import IdentityGraph
public import Identifiers
import Foundation
import NIOCore
import PostgresNIO

/// Per-customer link-log keys and the sealed detail beside the log (see ``LinkLogKeys``).
extension PostgresIdentityStore {
    public func searchLinkLog(_ query: LinkLogQuery, after: Int64?, limit: Int) async throws -> [ReviewedLogEntry] {
        let lookup = query.identifier.map(keys.lookupHash)
        var binds = PostgresBindings()
        func parameter(_ value: some PostgresDynamicTypeEncodable) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        var conditions = ["l.sequence > \(parameter(after ?? 0))"]
        var from = "link_log AS l"
        if let lookup {
            from = "link_log_details AS found JOIN link_log AS l ON l.sequence = found.sequence"
            conditions.append("found.lookup = \(parameter(lookup))")
        }
        if let customer = query.customer {
            let id = parameter(customer.rawValue)
            conditions.append("(l.customer_id = \(id) OR l.related_customer_id = \(id))")
        }
        if let actor = query.actor {
            conditions.append("l.actor = \(parameter(actor))")
        }
        if let action = query.action {
            conditions.append("l.action = \(parameter(action.rawValue))")
        }
        if let since = query.since {
            conditions.append("l.time >= \(parameter(Self.millis(since)))")
        }
        if let until = query.until {
            conditions.append("l.time < \(parameter(Self.millis(until)))")
        }
        let sql = "SELECT l.* FROM \(from) WHERE \(conditions.joined(separator: " AND ")) ORDER BY l.sequence LIMIT \(parameter(Int64(max(limit, 0))))"
        let statement = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try await database.read { connection in
            let entries = try await connection.rows(statement, logger: self.logger).map(Self.logEntry(from:))
            guard !entries.isEmpty else { return [] }
            // A detail is sealed under the key of its entry's customer: one query for the details,
            // one for the keys of their customers.
            var sealed: [Int64: [UInt8]] = [:]
            for row in try await connection.rows(
                "SELECT sequence, sealed FROM link_log_details WHERE sequence = ANY(\(entries.map(\.sequence))::bigint[])", logger: self.logger
            ) {
                sealed[try row.value("sequence", as: Int64.self)] = Array(try row.value("sealed", as: ByteBuffer.self).readableBytesView)
            }
            let owners = Array(Set(entries.filter { sealed[$0.sequence] != nil }.map(\.record.customerID)))
            var customerKeys: [CustomerID: CustomerLogKey] = [:]
            if !owners.isEmpty {
                for row in try await connection.rows(
                    "SELECT id, log_key FROM customers WHERE id = ANY(\(owners.map(\.rawValue))::text[]) AND log_key IS NOT NULL",
                    logger: self.logger
                ) {
                    let id = try Self.customerID(row.value("id"))
                    let wrapped = try row.value("log_key", as: ByteBuffer.self)
                    customerKeys[id] = try self.keys.customerKey(wrapped: Array(wrapped.readableBytesView), for: id)
                }
            }
            return try entries.map { entry in
                guard let detail = sealed[entry.sequence], let key = customerKeys[entry.record.customerID] else {
                    return ReviewedLogEntry(entry: entry, detail: nil)
                }
                return ReviewedLogEntry(entry: entry, detail: try key.open(detail, for: entry.record))
            }
        }
    }

    /// Appends the entries of a new customer (`customer_created`, then one `linked` per
    /// identifier), whose cryptography `newLog` did; returns the customer's links.
    func appendNewCustomer(_ new: NewCustomer, log newLog: NewCustomerLog, context: ChangeContext, to log: LogBatch) -> [Link] {
        let created = log.append(newLog.created)
        if let sealedName = newLog.sealedName {
            log.addDetail(sequence: created, lookup: nil, sealed: sealedName)
        }
        return zip(new.identifiers, newLog.links).map { item, entry in
            let sequence = log.append(entry.record)
            log.addDetail(sequence: sequence, lookup: entry.lookup, sealed: entry.sealedDetail)
            return Link(identifier: item.identifier, customerID: new.id,
                        provenance: Provenance(channel: context.actor, assurance: item.assurance, linkedAt: context.time))
        }
    }

    /// Appends an entry about `identifier` for `customer`: its value hashed under the customer's
    /// key, its detail sealed beside the log and filed under the lookup hash.
    func appendEntry(
        _ action: LinkLogAction, identifier: Identifier, customer: CustomerID, assurance: Assurance?, context: ChangeContext,
        related: CustomerID? = nil, mergeID: MergeID? = nil, key: CustomerLogKey, log: LogBatch
    ) throws {
        var record = key.record(action, identifier: identifier, customer: customer, assurance: assurance, context: context)
        record.relatedCustomerID = related
        record.mergeID = mergeID
        let sequence = log.append(record)
        log.addDetail(sequence: sequence, lookup: keys.lookupHash(identifier), sealed: try key.seal(LinkLogDetail(value: identifier.value), for: record))
    }

    /// `recordEvent`: the record as given, or about `identifier` under the customer's key.
    func appendEvent(_ record: LinkLogRecord, identifier: Identifier?, connection: PostgresConnection, log: LogBatch) async throws -> LinkLogEntry {
        guard let identifier else {
            return LinkLogEntry(sequence: log.append(record), record: record)
        }
        let key = try await requireLogKey(of: record.customerID, connection: connection)
        var keyed = record
        keyed.identifierKind = identifier.kind
        keyed.namespace = identifier.namespace
        keyed.valueHash = key.hasher.hash(identifier)
        let sequence = log.append(keyed)
        log.addDetail(sequence: sequence, lookup: keys.lookupHash(identifier), sealed: try key.seal(LinkLogDetail(value: identifier.value), for: keyed))
        return LinkLogEntry(sequence: sequence, record: keyed)
    }

    /// The customer's key; one without a key (erased, or unknown) gets a new one, as in SQLite.
    func requireLogKey(of customer: CustomerID, connection: PostgresConnection) async throws -> CustomerLogKey {
        if let key = try await logKey(of: customer, connection: connection) { return key }
        let (key, wrapped) = try keys.newCustomerKey(for: customer)
        try await connection.execute(
            "UPDATE customers SET log_key = \(ByteBuffer(bytes: wrapped)) WHERE id = \(customer.rawValue)", logger: logger
        )
        return key
    }

    /// `nil` for an erased customer.
    func logKey(of customer: CustomerID, connection: PostgresConnection) async throws -> CustomerLogKey? {
        guard let row = try await connection.rows("SELECT log_key FROM customers WHERE id = \(customer.rawValue)", logger: logger).first,
              let wrapped = try row.value("log_key", as: ByteBuffer?.self)
        else { return nil }
        return try keys.customerKey(wrapped: Array(wrapped.readableBytesView), for: customer)
    }

    /// Erasure: the keys and every detail of the customers' entries go; their hashes can no
    /// longer be tested against a guess.
    func forgetLogKeys(of customers: [String], connection: PostgresConnection) async throws {
        try await connection.execute("""
            DELETE FROM link_log_details WHERE sequence IN (SELECT sequence FROM link_log WHERE customer_id = ANY(\(customers)::text[]))
            """, logger: logger)
        try await connection.execute("UPDATE customers SET log_key = NULL WHERE id = ANY(\(customers)::text[])", logger: logger)
    }
}
