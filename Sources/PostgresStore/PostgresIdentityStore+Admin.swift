public import IdentityGraph
public import Identifiers
import Foundation
import PostgresNIO

/// Customer status, merges, unmerges, moves and erasure: the admin side of the identity graph.
/// Each change is one transaction with its link-log entries, like every other change.
extension PostgresIdentityStore {
    // MARK: - Reads

    public func customerStatus(_ id: CustomerID) async throws -> CustomerStatus? {
        try await database.withConnection { connection in try await self.status(of: id, connection: connection) }
    }

    public func customers(after: CustomerID?, limit: Int) async throws -> [Customer] {
        try await database.read { connection in
            let rows = try await connection.rows("""
                SELECT id, created_at, profile FROM customers WHERE status = 'active' AND id > \(after?.rawValue ?? "")
                ORDER BY id LIMIT \(Int64(max(limit, 0)))
                """, logger: self.logger)
            guard let first = rows.first, let last = rows.last else { return [] }
            // One range scan of the links index for the whole page.
            var links: [String: [Link]] = [:]
            for row in try await connection.rows("""
                SELECT \(unescaped: Self.linkColumns) FROM links
                WHERE customer_id BETWEEN \(try first.value("id", as: String.self)) AND \(try last.value("id", as: String.self))
                ORDER BY customer_id, linked_at, kind, namespace, value
                """, logger: self.logger) {
                let link = try Self.link(from: row)
                links[link.customerID.rawValue, default: []].append(link)
            }
            return try rows.map { row in
                let id = try row.value("id", as: String.self)
                return Customer(id: try Self.customerID(id), createdAt: Self.date(try row.value("created_at")),
                                profile: try Self.decodeProfile(row.value("profile")), links: links[id] ?? [])
            }
        }
    }

    public func mergeRecord(_ id: MergeID) async throws -> MergeRecord? {
        try await database.withConnection { connection in try await self.loadMerge(id, connection: connection)?.record }
    }

    public func merges(involving customer: CustomerID) async throws -> [MergeRecord] {
        try await database.withConnection { connection in
            try await connection.rows("""
                SELECT * FROM merges WHERE survivor_id = \(customer.rawValue) OR duplicate_id = \(customer.rawValue) ORDER BY log_sequence
                """, logger: self.logger).map { try Self.merge(from: $0).record }
        }
    }

    public func planMerge(survivor: CustomerID, duplicate: CustomerID) async throws -> MergePlan {
        let outcome = try await database.read { connection in
            try await self.mergePlan(survivor: survivor, duplicate: duplicate, connection: connection)
        }
        return try outcome.get()
    }

    // MARK: - Changes

    public func move(_ identifier: Identifier, to customer: CustomerID, assurance: Assurance, context: ChangeContext) async throws -> MoveOutcome {
        let outcome = try await write { connection, log -> Result<MoveOutcome, IdentityGraphError> in
            if case let .failure(error) = try await self.liveCustomer(customer, followingMerges: false, connection: connection) { return .failure(error) }
            guard let existing = try await self.existingLink(identifier, connection: connection) else {
                return .failure(.linkNotFound(kind: identifier.kind, namespace: identifier.namespace))
            }
            guard existing.customerID != customer else { return .failure(.sameCustomer(customer)) }
            do {
                try self.rules.checkNotBlocked(identifier)
                try self.rules.checkLimit(adding: identifier, to: try await self.identifiers(of: customer, connection: connection))
            } catch let error as IdentityGraphError {
                return .failure(error)
            }
            let link = Link(identifier: identifier, customerID: customer,
                            provenance: Provenance(channel: context.actor, assurance: assurance, linkedAt: context.time))
            try await self.updateLink(link, connection: connection)
            try self.appendEntry(.moved, identifier: identifier, customer: customer, assurance: assurance, context: context,
                                 related: existing.customerID, key: try await self.requireLogKey(of: customer, connection: connection), log: log)
            return .success(MoveOutcome(link: link, previousOwner: existing.customerID))
        }
        return try outcome.get()
    }

    public func merge(survivor: CustomerID, duplicate: CustomerID, context: ChangeContext) async throws -> MergeRecord {
        let outcome = try await write { connection, log -> Result<MergeRecord, IdentityGraphError> in
            let plan: MergePlan
            switch try await self.mergePlan(survivor: survivor, duplicate: duplicate, connection: connection) {
            case let .success(planned): plan = planned
            case let .failure(error): return .failure(error)
            }
            let id = MergeID.random()
            var snapshot = plan.snapshot
            snapshot.redirected = try await connection.rows(
                "SELECT id FROM customers WHERE merged_into = \(duplicate.rawValue) ORDER BY id", logger: self.logger
            ).map { try Self.customerID($0.value("id")) }

            try await connection.execute(
                "UPDATE links SET customer_id = \(survivor.rawValue) WHERE customer_id = \(duplicate.rawValue)", logger: self.logger
            )
            try await connection.execute(
                "UPDATE customers SET profile = \(try Self.encode(plan.resultingProfile)) WHERE id = \(survivor.rawValue)", logger: self.logger
            )
            try await connection.execute("""
                UPDATE customers SET status = 'merged', merged_into = \(survivor.rawValue), merge_id = \(id.rawValue)
                WHERE id = \(duplicate.rawValue)
                """, logger: self.logger)
            // Chains collapse: whoever was merged into the duplicate now points at the survivor.
            try await connection.execute(
                "UPDATE customers SET merged_into = \(survivor.rawValue) WHERE merged_into = \(duplicate.rawValue)", logger: self.logger
            )
            let sequence = log.append(LinkLogRecord(
                time: context.time, actor: context.actor, action: .merged, customerID: survivor, reason: context.reason,
                operatorName: context.operatorName, relatedCustomerID: duplicate, mergeID: id
            ))
            let record = MergeRecord(
                id: id, survivor: survivor, duplicate: duplicate, time: context.time, actor: context.actor,
                operatorName: context.operatorName, reason: context.reason, state: .active, snapshot: snapshot
            )
            try await connection.execute("""
                INSERT INTO merges (id, survivor_id, duplicate_id, created_at, log_sequence, actor, operator, reason, state, snapshot)
                VALUES (\(id.rawValue), \(survivor.rawValue), \(duplicate.rawValue), \(Self.millis(context.time)), \(sequence),
                        \(context.actor), \(context.operatorName), \(context.reason), 'active', \(try Self.json(snapshot)))
                """, logger: self.logger)
            return .success(record)
        }
        return try outcome.get()
    }

    public func unmerge(_ mergeID: MergeID, moving: [Identifier], context: ChangeContext) async throws -> UnmergeOutcome {
        let outcome = try await write { connection, log -> Result<UnmergeOutcome, IdentityGraphError> in
            guard let (merge, sequence) = try await self.loadMerge(mergeID, connection: connection) else { return .failure(.mergeNotFound(mergeID)) }
            if merge.state == .active, let dependency = try await connection.rows("""
                SELECT id FROM merges WHERE duplicate_id = \(merge.survivor.rawValue) AND state = 'active' AND log_sequence > \(sequence)
                ORDER BY log_sequence LIMIT 1
                """, logger: self.logger).first.flatMap({ MergeID(rawValue: try $0.value("id")) }) {
                return .failure(.unmergeBlocked(mergeID, dependency: dependency))
            }
            guard let survivorNow = try await self.loadCustomer(merge.survivor, connection: connection) else {
                return .failure(.storage("merge survivor missing"))
            }
            let plan: UnmergePlan
            do throws(IdentityGraphError) {
                plan = try UnmergePlan.plan(merge: merge, survivorNow: survivorNow, moving: moving, rules: self.rules)
            } catch {
                return .failure(error)
            }
            for link in plan.restored + plan.moved {
                try await self.updateLink(link, connection: connection)
            }
            try await connection.execute(
                "UPDATE customers SET profile = \(try Self.encode(plan.survivorProfile)) WHERE id = \(merge.survivor.rawValue)", logger: self.logger
            )
            try await connection.execute("""
                UPDATE customers SET status = 'active', merged_into = NULL, merge_id = NULL, profile = \(try Self.encode(plan.duplicateProfile))
                WHERE id = \(merge.duplicate.rawValue)
                """, logger: self.logger)
            for id in plan.redirected {
                try await connection.execute("""
                    UPDATE customers SET merged_into = \(merge.duplicate.rawValue) WHERE id = \(id.rawValue) AND merged_into = \(merge.survivor.rawValue)
                    """, logger: self.logger)
            }
            try await connection.execute("""
                UPDATE merges SET state = 'undone', undone_at = \(Self.millis(context.time)), undone_by = \(context.operatorName),
                    undo_reason = \(context.reason)
                WHERE id = \(mergeID.rawValue)
                """, logger: self.logger)
            log.append(LinkLogRecord(
                time: context.time, actor: context.actor, action: .unmerged, customerID: merge.survivor, reason: context.reason,
                operatorName: context.operatorName, relatedCustomerID: merge.duplicate, mergeID: mergeID
            ))
            if !plan.moved.isEmpty {
                let key = try await self.requireLogKey(of: merge.duplicate, connection: connection)
                for link in plan.moved {
                    try self.appendEntry(.moved, identifier: link.identifier, customer: merge.duplicate, assurance: link.provenance.assurance,
                                         context: context, related: merge.survivor, mergeID: mergeID, key: key, log: log)
                }
            }
            return .success(UnmergeOutcome(merge: merge.undone(context), restored: plan.restored, moved: plan.moved, missing: plan.missing))
        }
        return try outcome.get()
    }

    /// Rows are deleted, not overwritten: PostgreSQL's old row versions stay in the table's pages
    /// until VACUUM reclaims them (autovacuum does, eventually).
    public func erase(_ customer: CustomerID, context: ChangeContext) async throws -> ErasureOutcome {
        let outcome = try await write { connection, log -> Result<ErasureOutcome, IdentityGraphError> in
            if case let .failure(error) = try await self.liveCustomer(customer, followingMerges: false, connection: connection) { return .failure(error) }
            let identifiers = try await self.identifiers(of: customer, connection: connection)
            let merged = try await connection.rows(
                "SELECT id FROM customers WHERE merged_into = \(customer.rawValue) ORDER BY id", logger: self.logger
            ).map { try Self.customerID($0.value("id")) }
            let everyone = [customer] + merged
            let ids = everyone.map(\.rawValue)
            try await connection.execute("DELETE FROM links WHERE customer_id = \(customer.rawValue)", logger: self.logger)
            try await connection.execute("""
                UPDATE customers SET status = 'erased', profile = NULL, erased_at = \(Self.millis(context.time)) WHERE id = ANY(\(ids)::text[])
                """, logger: self.logger)
            // Merge snapshots hold the person's identifiers and profile: they go too.
            try await connection.execute("""
                UPDATE merges SET snapshot = NULL, state = CASE state WHEN 'active' THEN 'erased' ELSE state END
                WHERE survivor_id = ANY(\(ids)::text[]) OR duplicate_id = ANY(\(ids)::text[])
                """, logger: self.logger)
            try await connection.execute(
                "DELETE FROM duplicate_candidates WHERE first_id = ANY(\(ids)::text[]) OR second_id = ANY(\(ids)::text[])", logger: self.logger
            )
            try await self.forgetLogKeys(of: ids, connection: connection)
            for id in everyone {
                log.append(LinkLogRecord(
                    time: context.time, actor: context.actor, action: .erased, customerID: id, reason: context.reason,
                    operatorName: context.operatorName, relatedCustomerID: id == customer ? nil : customer
                ))
            }
            return .success(ErasureOutcome(customerID: customer, time: context.time, erasedIdentifiers: identifiers, mergedIDs: merged))
        }
        return try outcome.get()
    }

    // MARK: - Helpers

    /// The live customer `id` stands for. With `followingMerges`, a merged id gives its
    /// survivor (channels keep using old ids); without, it is refused (admins name survivors).
    func liveCustomer(_ id: CustomerID, followingMerges: Bool, connection: PostgresConnection) async throws -> Result<CustomerID, IdentityGraphError> {
        switch try await status(of: id, connection: connection) {
        case nil: return .failure(.customerNotFound(id))
        case .active: return .success(id)
        case .erased: return .failure(.customerErased(id))
        case let .merged(survivor, _):
            guard followingMerges else { return .failure(.customerMerged(id, into: survivor)) }
            // Chains are collapsed, so the survivor is live or erased.
            if case .erased = try await status(of: survivor, connection: connection) { return .failure(.customerErased(id)) }
            return .success(survivor)
        }
    }

    func status(of id: CustomerID, connection: PostgresConnection) async throws -> CustomerStatus? {
        guard let row = try await connection.rows(
            "SELECT status, merged_into, merge_id, erased_at FROM customers WHERE id = \(id.rawValue)", logger: logger
        ).first else { return nil }
        switch try row.value("status", as: String.self) {
        case "active":
            return .active
        case "merged":
            guard let into = CustomerID(rawValue: try row.value("merged_into", as: String?.self) ?? ""),
                  let merge = MergeID(rawValue: try row.value("merge_id", as: String?.self) ?? "")
            else {
                throw IdentityGraphError.storage("merged customer without a survivor")
            }
            return .merged(into: into, merge: merge)
        case "erased":
            return .erased(at: Self.date(try row.value("erased_at", as: Int64?.self) ?? 0))
        default:
            throw IdentityGraphError.storage("unknown customer status")
        }
    }

    func loadCustomer(_ id: CustomerID, connection: PostgresConnection) async throws -> Customer? {
        guard let row = try await connection.rows(
            "SELECT created_at, profile FROM customers WHERE id = \(id.rawValue)", logger: logger
        ).first else { return nil }
        let links = try await connection.rows("""
            SELECT \(unescaped: Self.linkColumns) FROM links WHERE customer_id = \(id.rawValue) ORDER BY linked_at, kind, namespace, value
            """, logger: logger).map(Self.link(from:))
        return Customer(id: id, createdAt: Self.date(try row.value("created_at")), profile: try Self.decodeProfile(row.value("profile")), links: links)
    }

    private func mergePlan(survivor: CustomerID, duplicate: CustomerID, connection: PostgresConnection) async throws -> Result<MergePlan, IdentityGraphError> {
        guard survivor != duplicate else { return .failure(.sameCustomer(survivor)) }
        for id in [survivor, duplicate] {
            if case let .failure(error) = try await liveCustomer(id, followingMerges: false, connection: connection) { return .failure(error) }
        }
        guard let kept = try await loadCustomer(survivor, connection: connection),
              let absorbed = try await loadCustomer(duplicate, connection: connection)
        else {
            return .failure(.storage("customer vanished inside a transaction"))
        }
        do {
            return .success(try MergePlan.plan(survivor: kept, duplicate: absorbed, rules: rules))
        } catch {
            return .failure(error)
        }
    }

    private func updateLink(_ link: Link, connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE links SET customer_id = \(link.customerID.rawValue), channel = \(link.provenance.channel),
                assurance = \(link.provenance.assurance.rawValue), linked_at = \(Self.millis(link.provenance.linkedAt))
            WHERE kind = \(link.identifier.kind.rawValue) AND namespace = \(link.identifier.namespace ?? "") AND value = \(link.identifier.value)
            """, logger: logger)
    }

    private func loadMerge(_ id: MergeID, connection: PostgresConnection) async throws -> (record: MergeRecord, sequence: Int64)? {
        try await connection.rows("SELECT * FROM merges WHERE id = \(id.rawValue)", logger: logger).first.map(Self.merge(from:))
    }

    private static func merge(from row: PostgresRandomAccessRow) throws -> (record: MergeRecord, sequence: Int64) {
        guard let id = MergeID(rawValue: try row.value("id")), let state = MergeState(rawValue: try row.value("state")) else {
            throw IdentityGraphError.storage("malformed merge row")
        }
        let snapshot = try row.value("snapshot", as: String?.self).map { try StoredValues.decode(MergeSnapshot.self, json: $0) }
        return (MergeRecord(
            id: id, survivor: try customerID(row.value("survivor_id")), duplicate: try customerID(row.value("duplicate_id")),
            time: date(try row.value("created_at")), actor: try row.value("actor"), operatorName: try row.value("operator"),
            reason: try row.value("reason"), state: state, undoneAt: try row.value("undone_at", as: Int64?.self).map(date),
            undoneBy: try row.value("undone_by"), undoReason: try row.value("undo_reason"), snapshot: snapshot
        ), try row.value("log_sequence"))
    }
}
