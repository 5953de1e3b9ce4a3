public import IdentityGraph
import Identifiers
import Foundation
import GRDB

/// Per-customer link-log keys and the sealed detail beside the log (see ``LinkLogKeys``).
extension SQLiteIdentityStore {
    public func searchLinkLog(_ query: LinkLogQuery, after: Int64?, limit: Int) async throws -> [ReviewedLogEntry] {
        let lookup = query.identifier.map(keys.lookupHash)
        return try await read { db in
            var conditions = ["l.sequence > ?"]
            var arguments: StatementArguments = [after ?? 0]
            var from = "link_log AS l"
            if let lookup {
                from = "link_log_details AS found JOIN link_log AS l ON l.sequence = found.sequence"
                conditions.append("found.lookup = ?")
                _ = arguments.append(contentsOf: [lookup])
            }
            if let customer = query.customer {
                conditions.append("(l.customer_id = ? OR l.related_customer_id = ?)")
                _ = arguments.append(contentsOf: [customer.rawValue, customer.rawValue])
            }
            if let actor = query.actor {
                conditions.append("l.actor = ?")
                _ = arguments.append(contentsOf: [actor])
            }
            if let action = query.action {
                conditions.append("l.action = ?")
                _ = arguments.append(contentsOf: [action.rawValue])
            }
            if let since = query.since {
                conditions.append("l.time >= ?")
                _ = arguments.append(contentsOf: [Self.millis(since)])
            }
            if let until = query.until {
                conditions.append("l.time < ?")
                _ = arguments.append(contentsOf: [Self.millis(until)])
            }
            _ = arguments.append(contentsOf: [limit])
            let entries = try Row.fetchAll(
                db, sql: "SELECT l.* FROM \(from) WHERE \(conditions.joined(separator: " AND ")) ORDER BY l.sequence LIMIT ?",
                arguments: arguments
            ).map(Self.logEntry(from:))
            var customerKeys: [CustomerID: CustomerLogKey?] = [:]
            return try entries.map { entry in
                // A detail is sealed under the key of its entry's customer.
                guard let sealed = try Data.fetchOne(
                    db.cachedStatement(sql: "SELECT sealed FROM link_log_details WHERE sequence = ?"), arguments: [entry.sequence]
                ) else { return ReviewedLogEntry(entry: entry, detail: nil) }
                let owner = entry.record.customerID
                if customerKeys[owner] == nil { customerKeys[owner] = try self.logKey(of: owner, db: db) }
                guard let key = customerKeys[owner] ?? nil else { return ReviewedLogEntry(entry: entry, detail: nil) }
                return ReviewedLogEntry(entry: entry, detail: try key.open(Array(sealed), for: entry.record))
            }
        }
    }

    /// Appends an entry about `identifier` for `customer`: its value hashed under the customer's
    /// key, its detail sealed beside the log and filed under the lookup hash.
    func appendEntry(
        _ action: LinkLogAction, identifier: Identifier, customer: CustomerID, assurance: Assurance?, context: ChangeContext,
        related: CustomerID? = nil, mergeID: MergeID? = nil, key known: CustomerLogKey? = nil, db: Database
    ) throws {
        let key = try known ?? requireLogKey(of: customer, db: db)
        var record = key.record(action, identifier: identifier, customer: customer, assurance: assurance, context: context)
        record.relatedCustomerID = related
        record.mergeID = mergeID
        let sequence = try append(record, db: db)
        try saveDetail(try key.seal(LinkLogDetail(value: identifier.value), for: record), sequence: sequence, lookup: keys.lookupHash(identifier), db: db)
    }

    /// `recordEvent`: the record as given, or about `identifier` under the customer's key.
    func appendEvent(_ record: LinkLogRecord, identifier: Identifier?, db: Database) throws -> LinkLogEntry {
        guard let identifier else {
            return LinkLogEntry(sequence: try append(record, db: db), record: record)
        }
        let key = try requireLogKey(of: record.customerID, db: db)
        var keyed = record
        keyed.identifierKind = identifier.kind
        keyed.namespace = identifier.namespace
        keyed.valueHash = key.hasher.hash(identifier)
        let sequence = try append(keyed, db: db)
        try saveDetail(try key.seal(LinkLogDetail(value: identifier.value), for: keyed), sequence: sequence, lookup: keys.lookupHash(identifier), db: db)
        return LinkLogEntry(sequence: sequence, record: keyed)
    }

    /// A new customer's key, for the row about to be inserted: the wrapped form goes in `log_key`.
    func newLogKey(for customer: CustomerID) throws -> (key: CustomerLogKey, wrapped: Data) {
        let (key, wrapped) = try keys.newCustomerKey(for: customer)
        return (key, Data(wrapped))
    }

    /// The customer's key; one written before keys existed gets one on first use.
    func requireLogKey(of customer: CustomerID, db: Database) throws -> CustomerLogKey {
        if let key = try logKey(of: customer, db: db) { return key }
        let (key, wrapped) = try newLogKey(for: customer)
        try db.cachedStatement(sql: "UPDATE customers SET log_key = ? WHERE id = ?").execute(arguments: [wrapped, customer.rawValue])
        return key
    }

    /// `nil` for an erased customer (and one from before keys).
    func logKey(of customer: CustomerID, db: Database) throws -> CustomerLogKey? {
        guard let wrapped = try Data.fetchOne(
            db.cachedStatement(sql: "SELECT log_key FROM customers WHERE id = ?"), arguments: [customer.rawValue]
        ) else { return nil }
        return try keys.customerKey(wrapped: Array(wrapped), for: customer)
    }

    func saveDetail(_ sealed: [UInt8], sequence: Int64, lookup: String?, db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO link_log_details (sequence, lookup, sealed) VALUES (?, ?, ?)").executeDirect {
            $0.bind(sequence)
            $0.bind(lookup)
            $0.bind(sealed)
        }
    }

    /// Erasure: the key and every detail of `customer`'s entries go; their hashes can no longer be
    /// tested against a guess.
    func forgetLogKey(of customer: CustomerID, db: Database) throws {
        try db.cachedStatement(sql: """
            DELETE FROM link_log_details WHERE sequence IN (SELECT sequence FROM link_log WHERE customer_id = ?)
            """).execute(arguments: [customer.rawValue])
        try db.cachedStatement(sql: "UPDATE customers SET log_key = NULL WHERE id = ?").execute(arguments: [customer.rawValue])
    }
}
