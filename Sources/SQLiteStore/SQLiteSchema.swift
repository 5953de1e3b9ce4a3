import GRDB

/// The SQLite schema, as ordered migrations. A migration, once released, never changes.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-22-identity-graph") { db in
            try db.execute(sql: """
                CREATE TABLE customers (
                    id TEXT PRIMARY KEY NOT NULL,
                    created_at INTEGER NOT NULL,
                    profile TEXT
                ) WITHOUT ROWID;

                -- One row per linked identifier. The primary key on (kind, namespace, value) is the
                -- lookup index and enforces that an identifier belongs to at most one customer.
                -- namespace is '' for kinds without one, so that the key stays unique.
                CREATE TABLE links (
                    kind TEXT NOT NULL,
                    namespace TEXT NOT NULL,
                    value TEXT NOT NULL,
                    customer_id TEXT NOT NULL REFERENCES customers(id),
                    channel TEXT NOT NULL,
                    assurance TEXT NOT NULL CHECK (assurance IN ('inferred', 'asserted', 'verified')),
                    linked_at INTEGER NOT NULL,
                    PRIMARY KEY (kind, namespace, value)
                ) WITHOUT ROWID;
                CREATE INDEX links_by_customer ON links(customer_id);

                -- The link log. sequence is the rowid: with no deletes, SQLite hands out max+1, and a
                -- rolled-back transaction gives its number back, so the sequence has no gaps.
                CREATE TABLE link_log (
                    sequence INTEGER PRIMARY KEY,
                    time INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    kind TEXT,
                    namespace TEXT,
                    value_hash TEXT,
                    assurance TEXT,
                    reason TEXT
                );
                CREATE INDEX link_log_by_customer ON link_log(customer_id, sequence);
                CREATE TRIGGER link_log_no_update BEFORE UPDATE ON link_log
                BEGIN SELECT RAISE(ABORT, 'the link log is append-only'); END;
                CREATE TRIGGER link_log_no_delete BEFORE DELETE ON link_log
                BEGIN SELECT RAISE(ABORT, 'the link log is append-only'); END;

                CREATE TABLE duplicate_candidates (
                    first_id TEXT NOT NULL,
                    second_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    first_seen INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL,
                    occurrences INTEGER NOT NULL,
                    PRIMARY KEY (first_id, second_id)
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }
}
