public import IdentityGraph
public import Identifiers
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
                guard let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT customer_id, sealed FROM link_log_details WHERE sequence = ?"), arguments: [entry.sequence]
                ) else { return ReviewedLogEntry(entry: entry, detail: nil) }
                let owner = try Self.customerID(row["customer_id"])
                if customerKeys[owner] == nil { customerKeys[owner] = try self.logKey(of: owner, db: db) }
                guard let key = customerKeys[owner] ?? nil else { return ReviewedLogEntry(entry: entry, detail: nil) }
                let sealed: Data = row["sealed"]
                return ReviewedLogEntry(entry: entry, detail: try key.open(Array(sealed), sequence: entry.sequence))
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
        try saveDetail(LinkLogDetail(value: identifier.value), sequence: sequence, customer: customer, lookup: keys.lookupHash(identifier), key: key, db: db)
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
        try saveDetail(LinkLogDetail(value: identifier.value), sequence: sequence, customer: record.customerID,
                       lookup: keys.lookupHash(identifier), key: key, db: db)
        return LinkLogEntry(sequence: sequence, record: keyed)
    }

    func createLogKey(for customer: CustomerID, db: Database) throws -> CustomerLogKey {
        let (key, wrapped) = try keys.newCustomerKey(for: customer)
        try db.cachedStatement(sql: "INSERT INTO customer_log_keys (customer_id, wrapped) VALUES (?, ?)")
            .execute(arguments: [customer.rawValue, Data(wrapped)])
        return key
    }

    /// The key of a customer written before keys existed is created on first use.
    func requireLogKey(of customer: CustomerID, db: Database) throws -> CustomerLogKey {
        try logKey(of: customer, db: db) ?? createLogKey(for: customer, db: db)
    }

    func logKey(of customer: CustomerID, db: Database) throws -> CustomerLogKey? {
        guard let wrapped = try Data.fetchOne(
            db.cachedStatement(sql: "SELECT wrapped FROM customer_log_keys WHERE customer_id = ?"), arguments: [customer.rawValue]
        ) else { return nil }
        return try keys.customerKey(wrapped: Array(wrapped), for: customer)
    }

    func saveDetail(_ detail: LinkLogDetail, sequence: Int64, customer: CustomerID, lookup: String?, key: CustomerLogKey, db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO link_log_details (sequence, customer_id, lookup, sealed) VALUES (?, ?, ?, ?)")
            .execute(arguments: [sequence, customer.rawValue, lookup, Data(try key.seal(detail, sequence: sequence))])
    }

    /// Erasure: the key and every detail of `customer` go; their entries' hashes can no longer be
    /// tested against a guess.
    func forgetLogKey(of customer: CustomerID, db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM link_log_details WHERE customer_id = ?").execute(arguments: [customer.rawValue])
        try db.cachedStatement(sql: "DELETE FROM customer_log_keys WHERE customer_id = ?").execute(arguments: [customer.rawValue])
    }
}
