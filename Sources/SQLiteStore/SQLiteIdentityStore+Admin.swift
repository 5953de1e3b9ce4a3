public import IdentityGraph
public import Identifiers
import Foundation
import GRDB

/// Customer status, merges, unmerges, moves and erasure: the admin side of the identity graph.
/// Each change is one write transaction with its link-log entries, like every other change.
extension SQLiteIdentityStore {
    // MARK: - Reads

    public func customerStatus(_ id: CustomerID) async throws -> CustomerStatus? {
        try await read { db in try self.status(of: id, db: db) }
    }

    public func customers(after: CustomerID?, limit: Int) async throws -> [Customer] {
        try await read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT id, created_at, profile FROM customers WHERE status = 'active' AND id > ? ORDER BY id LIMIT ?"),
                arguments: [after?.rawValue ?? "", limit]
            )
            guard let first = rows.first, let last = rows.last else { return [] }
            // One range scan of the links index for the whole page.
            var links: [String: [Link]] = [:]
            let cursor = try Row.fetchCursor(
                db.cachedStatement(sql: "SELECT \(Self.linkColumns) FROM links WHERE customer_id BETWEEN ? AND ? ORDER BY customer_id, linked_at, kind, namespace, value"),
                arguments: [first["id"] as String, last["id"] as String]
            )
            while let row = try cursor.next() {
                let link = try Self.link(from: row)
                links[link.customerID.rawValue, default: []].append(link)
            }
            return try rows.map { row in
                let id: String = row["id"]
                return Customer(id: try Self.customerID(id), createdAt: Self.date(row["created_at"]),
                                profile: try Self.decodeProfile(row["profile"]), links: links[id] ?? [])
            }
        }
    }

    public func mergeRecord(_ id: MergeID) async throws -> MergeRecord? {
        try await read { db in try self.loadMerge(id, db: db)?.record }
    }

    public func merges(involving customer: CustomerID) async throws -> [MergeRecord] {
        try await read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM merges WHERE survivor_id = ? OR duplicate_id = ? ORDER BY log_sequence"),
                arguments: [customer.rawValue, customer.rawValue]
            ).map { try Self.merge(from: $0).record }
        }
    }

    public func planMerge(survivor: CustomerID, duplicate: CustomerID) async throws -> MergePlan {
        let outcome = try await read { db in try self.mergePlan(survivor: survivor, duplicate: duplicate, db: db) }
        return try outcome.get()
    }

    // MARK: - Changes

    public func move(_ identifier: Identifier, to customer: CustomerID, assurance: Assurance, context: ChangeContext) async throws -> MoveOutcome {
        let outcome = try await write { db -> Result<MoveOutcome, IdentityGraphError> in
            if case let .failure(error) = try self.liveCustomer(customer, followingMerges: false, db: db) { return .failure(error) }
            guard let existing = try self.existingLink(identifier, db: db) else {
                return .failure(.linkNotFound(kind: identifier.kind, namespace: identifier.namespace))
            }
            guard existing.customerID != customer else { return .failure(.sameCustomer(customer)) }
            do {
                try self.rules.checkNotBlocked(identifier)
                try self.rules.checkLimit(adding: identifier, to: try self.identifiers(of: customer, db: db))
            } catch let error as IdentityGraphError {
                return .failure(error)
            }
            let link = Link(identifier: identifier, customerID: customer,
                            provenance: Provenance(channel: context.actor, assurance: assurance, linkedAt: context.time))
            try self.updateLink(link, db: db)
            try self.appendEntry(.moved, identifier: identifier, customer: customer, assurance: assurance, context: context,
                                 related: existing.customerID, db: db)
            return .success(MoveOutcome(link: link, previousOwner: existing.customerID))
        }
        return try outcome.get()
    }

    public func merge(survivor: CustomerID, duplicate: CustomerID, context: ChangeContext) async throws -> MergeRecord {
        let outcome = try await write { db -> Result<MergeRecord, IdentityGraphError> in
            let plan: MergePlan
            switch try self.mergePlan(survivor: survivor, duplicate: duplicate, db: db) {
            case let .success(planned): plan = planned
            case let .failure(error): return .failure(error)
            }
            let id = MergeID.random()
            var snapshot = plan.snapshot
            snapshot.redirected = try String.fetchAll(
                db.cachedStatement(sql: "SELECT id FROM customers WHERE merged_into = ? ORDER BY id"), arguments: [duplicate.rawValue]
            ).map(Self.customerID)

            try db.cachedStatement(sql: "UPDATE links SET customer_id = ? WHERE customer_id = ?")
                .execute(arguments: [survivor.rawValue, duplicate.rawValue])
            try db.cachedStatement(sql: "UPDATE customers SET profile = ? WHERE id = ?")
                .execute(arguments: [try Self.encode(plan.resultingProfile), survivor.rawValue])
            try db.cachedStatement(sql: "UPDATE customers SET status = 'merged', merged_into = ?, merge_id = ? WHERE id = ?")
                .execute(arguments: [survivor.rawValue, id.rawValue, duplicate.rawValue])
            // Chains collapse: whoever was merged into the duplicate now points at the survivor.
            try db.cachedStatement(sql: "UPDATE customers SET merged_into = ? WHERE merged_into = ?")
                .execute(arguments: [survivor.rawValue, duplicate.rawValue])

            try self.append(LinkLogRecord(
                time: context.time, actor: context.actor, action: .merged, customerID: survivor, reason: context.reason,
                operatorName: context.operatorName, relatedCustomerID: duplicate, mergeID: id
            ), db: db)
            let record = MergeRecord(
                id: id, survivor: survivor, duplicate: duplicate, time: context.time, actor: context.actor,
                operatorName: context.operatorName, reason: context.reason, state: .active, snapshot: snapshot
            )
            try db.cachedStatement(sql: """
                INSERT INTO merges (id, survivor_id, duplicate_id, created_at, log_sequence, actor, operator, reason, state, snapshot)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)
                """).execute(arguments: [
                id.rawValue, survivor.rawValue, duplicate.rawValue, Self.millis(context.time), db.lastInsertedRowID,
                context.actor, context.operatorName, context.reason, try Self.json(snapshot),
            ])
            return .success(record)
        }
        return try outcome.get()
    }

    public func unmerge(_ mergeID: MergeID, moving: [Identifier], context: ChangeContext) async throws -> UnmergeOutcome {
        let outcome = try await write { db -> Result<UnmergeOutcome, IdentityGraphError> in
            guard let (merge, sequence) = try self.loadMerge(mergeID, db: db) else { return .failure(.mergeNotFound(mergeID)) }
            if merge.state == .active, let dependency = try String.fetchOne(
                db.cachedStatement(sql: """
                    SELECT id FROM merges WHERE duplicate_id = ? AND state = 'active' AND log_sequence > ?
                    ORDER BY log_sequence LIMIT 1
                    """),
                arguments: [merge.survivor.rawValue, sequence]
            ).flatMap(MergeID.init(rawValue:)) {
                return .failure(.unmergeBlocked(mergeID, dependency: dependency))
            }
            guard let survivorNow = try self.loadCustomer(merge.survivor, db: db) else {
                return .failure(.storage("merge survivor missing"))
            }
            let plan: UnmergePlan
            do throws(IdentityGraphError) {
                plan = try UnmergePlan.plan(merge: merge, survivorNow: survivorNow, moving: moving, rules: self.rules)
            } catch {
                return .failure(error)
            }
            for link in plan.restored + plan.moved {
                try self.updateLink(link, db: db)
            }
            try db.cachedStatement(sql: "UPDATE customers SET profile = ? WHERE id = ?")
                .execute(arguments: [try Self.encode(plan.survivorProfile), merge.survivor.rawValue])
            try db.cachedStatement(sql: "UPDATE customers SET status = 'active', merged_into = NULL, merge_id = NULL, profile = ? WHERE id = ?")
                .execute(arguments: [try Self.encode(plan.duplicateProfile), merge.duplicate.rawValue])
            for id in plan.redirected {
                try db.cachedStatement(sql: "UPDATE customers SET merged_into = ? WHERE id = ? AND merged_into = ?")
                    .execute(arguments: [merge.duplicate.rawValue, id.rawValue, merge.survivor.rawValue])
            }
            try db.cachedStatement(sql: "UPDATE merges SET state = 'undone', undone_at = ?, undone_by = ?, undo_reason = ? WHERE id = ?")
                .execute(arguments: [Self.millis(context.time), context.operatorName, context.reason, mergeID.rawValue])
            try self.append(LinkLogRecord(
                time: context.time, actor: context.actor, action: .unmerged, customerID: merge.survivor, reason: context.reason,
                operatorName: context.operatorName, relatedCustomerID: merge.duplicate, mergeID: mergeID
            ), db: db)
            for link in plan.moved {
                try self.appendEntry(.moved, identifier: link.identifier, customer: merge.duplicate, assurance: link.provenance.assurance,
                                     context: context, related: merge.survivor, mergeID: mergeID, db: db)
            }
            return .success(UnmergeOutcome(merge: merge.undone(context), restored: plan.restored, moved: plan.moved, missing: plan.missing))
        }
        return try outcome.get()
    }

    public func erase(_ customer: CustomerID, context: ChangeContext) async throws -> ErasureOutcome {
        let outcome = try await write { db -> Result<ErasureOutcome, IdentityGraphError> in
            if case let .failure(error) = try self.liveCustomer(customer, followingMerges: false, db: db) { return .failure(error) }
            let identifiers = try self.identifiers(of: customer, db: db)
            let merged = try String.fetchAll(
                db.cachedStatement(sql: "SELECT id FROM customers WHERE merged_into = ? ORDER BY id"), arguments: [customer.rawValue]
            ).map(Self.customerID)
            let everyone = [customer] + merged
            try db.cachedStatement(sql: "DELETE FROM links WHERE customer_id = ?").execute(arguments: [customer.rawValue])
            for id in everyone {
                try db.cachedStatement(sql: "UPDATE customers SET status = 'erased', profile = NULL, erased_at = ? WHERE id = ?")
                    .execute(arguments: [Self.millis(context.time), id.rawValue])
                // Merge snapshots hold the person's identifiers and profile: they go too.
                try db.cachedStatement(sql: """
                    UPDATE merges SET snapshot = NULL, state = CASE state WHEN 'active' THEN 'erased' ELSE state END
                    WHERE survivor_id = ? OR duplicate_id = ?
                    """).execute(arguments: [id.rawValue, id.rawValue])
                try db.cachedStatement(sql: "DELETE FROM duplicate_candidates WHERE first_id = ? OR second_id = ?")
                    .execute(arguments: [id.rawValue, id.rawValue])
                try self.forgetLogKey(of: id, db: db)
                try self.append(LinkLogRecord(
                    time: context.time, actor: context.actor, action: .erased, customerID: id, reason: context.reason,
                    operatorName: context.operatorName, relatedCustomerID: id == customer ? nil : customer
                ), db: db)
            }
            return .success(ErasureOutcome(customerID: customer, time: context.time, erasedIdentifiers: identifiers, mergedIDs: merged))
        }
        let erased = try outcome.get()
        // With secure_delete the rows are zeroed in the pages; the checkpoint also clears the WAL.
        await database.checkpointWAL()
        return erased
    }

    // MARK: - Helpers

    /// The live customer `id` stands for. With `followingMerges`, a merged id gives its
    /// survivor (channels keep using old ids); without, it is refused (admins name survivors).
    func liveCustomer(_ id: CustomerID, followingMerges: Bool, db: Database) throws -> Result<CustomerID, IdentityGraphError> {
        switch try status(of: id, db: db) {
        case nil: return .failure(.customerNotFound(id))
        case .active: return .success(id)
        case .erased: return .failure(.customerErased(id))
        case let .merged(survivor, _):
            guard followingMerges else { return .failure(.customerMerged(id, into: survivor)) }
            // Chains are collapsed, so the survivor is live or erased.
            if case .erased = try status(of: survivor, db: db) { return .failure(.customerErased(id)) }
            return .success(survivor)
        }
    }

    func status(of id: CustomerID, db: Database) throws -> CustomerStatus? {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT status, merged_into, merge_id, erased_at FROM customers WHERE id = ?"), arguments: [id.rawValue]
        ) else { return nil }
        let status: String = row["status"]
        switch status {
        case "active":
            return .active
        case "merged":
            guard let into = CustomerID(rawValue: row["merged_into"] ?? ""), let merge = MergeID(rawValue: row["merge_id"] ?? "") else {
                throw IdentityGraphError.storage("merged customer without a survivor")
            }
            return .merged(into: into, merge: merge)
        case "erased":
            return .erased(at: Self.date(row["erased_at"] ?? 0))
        default:
            throw IdentityGraphError.storage("unknown customer status")
        }
    }

    func loadCustomer(_ id: CustomerID, db: Database) throws -> Customer? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT created_at, profile FROM customers WHERE id = ?"), arguments: [id.rawValue]) else {
            return nil
        }
        let links = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT \(Self.linkColumns) FROM links WHERE customer_id = ? ORDER BY linked_at, kind, namespace, value"),
            arguments: [id.rawValue]
        ).map(Self.link(from:))
        return Customer(id: id, createdAt: Self.date(row["created_at"]), profile: try Self.decodeProfile(row["profile"]), links: links)
    }

    private func mergePlan(survivor: CustomerID, duplicate: CustomerID, db: Database) throws -> Result<MergePlan, IdentityGraphError> {
        guard survivor != duplicate else { return .failure(.sameCustomer(survivor)) }
        for id in [survivor, duplicate] {
            if case let .failure(error) = try liveCustomer(id, followingMerges: false, db: db) { return .failure(error) }
        }
        guard let kept = try loadCustomer(survivor, db: db), let absorbed = try loadCustomer(duplicate, db: db) else {
            return .failure(.storage("customer vanished inside a transaction"))
        }
        do {
            return .success(try MergePlan.plan(survivor: kept, duplicate: absorbed, rules: rules))
        } catch {
            return .failure(error)
        }
    }

    private func updateLink(_ link: Link, db: Database) throws {
        try db.cachedStatement(sql: """
            UPDATE links SET customer_id = ?, channel = ?, assurance = ?, linked_at = ?
            WHERE kind = ? AND namespace = ? AND value = ?
            """).execute(arguments: [
            link.customerID.rawValue, link.provenance.channel, link.provenance.assurance.rawValue, Self.millis(link.provenance.linkedAt),
            link.identifier.kind.rawValue, link.identifier.namespace ?? "", link.identifier.value,
        ])
    }

    private func loadMerge(_ id: MergeID, db: Database) throws -> (record: MergeRecord, sequence: Int64)? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM merges WHERE id = ?"), arguments: [id.rawValue]).map(Self.merge(from:))
    }

    private static func merge(from row: Row) throws -> (record: MergeRecord, sequence: Int64) {
        guard let id = MergeID(rawValue: row["id"]), let state = MergeState(rawValue: row["state"]) else {
            throw IdentityGraphError.storage("malformed merge row")
        }
        let snapshotJSON: String? = row["snapshot"]
        let snapshot = try snapshotJSON.map { try StoredValues.decode(MergeSnapshot.self, json: $0) }
        let undoneAt: Int64? = row["undone_at"]
        return (MergeRecord(
            id: id, survivor: try customerID(row["survivor_id"]), duplicate: try customerID(row["duplicate_id"]),
            time: date(row["created_at"]), actor: row["actor"], operatorName: row["operator"], reason: row["reason"], state: state,
            undoneAt: undoneAt.map(date), undoneBy: row["undone_by"], undoReason: row["undo_reason"], snapshot: snapshot
        ), row["log_sequence"])
    }

    static func json(_ value: some Encodable) throws -> String { try StoredValues.json(value) }
}
