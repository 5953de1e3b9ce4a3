import Foundation
import GRDB

/// The SQLite schema, as ordered migrations. A migration, once released, never changes.
enum SQLiteSchema {
    /// The secondary indexes of the identity graph's tables that a first bulk load drops and
    /// builds at its end (`SQLiteIdentityStore.bulkLoad`): nothing depends on them for
    /// correctness (no uniqueness), only for speed. The definitions are the migrations' own.
    static let bulkLoadIndexes: [(name: String, definition: String)] = [
        ("links_by_customer", "links(customer_id)"),
        ("link_log_by_customer", "link_log(customer_id, sequence)"),
        ("link_log_details_by_lookup", "link_log_details(lookup) WHERE lookup IS NOT NULL"),
    ]

    /// Whether one of ``bulkLoadIndexes`` is missing.
    static func bulkLoadIndexesMissing(_ db: Database) throws -> Bool {
        let present = try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'")
        return bulkLoadIndexes.contains { !present.contains($0.name) }
    }

    /// Creates whichever of ``bulkLoadIndexes`` are missing.
    static func createBulkLoadIndexes(_ db: Database) throws {
        for index in bulkLoadIndexes {
            try db.execute(sql: "CREATE INDEX IF NOT EXISTS \(index.name) ON \(index.definition)")
        }
    }

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
        migrator.registerMigration("2026-11-22-customer-login") { db in
            // Secrets (codes, cookies, refresh tokens) are stored as digests only. Times are
            // integer milliseconds since 1970, like the identity tables.
            try db.execute(sql: """
                -- An authorization request waiting for the customer to log in.
                CREATE TABLE pending_authorizations (
                    id TEXT PRIMARY KEY NOT NULL,
                    request TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL
                ) WITHOUT ROWID;

                -- namespace is '' for kinds without one, as in links.
                CREATE TABLE one_time_code_challenges (
                    id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    namespace TEXT NOT NULL,
                    value TEXT NOT NULL,
                    code_digest TEXT NOT NULL,
                    pending_authorization_id TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    consumed INTEGER NOT NULL DEFAULT 0 CHECK (consumed IN (0, 1))
                ) WITHOUT ROWID;

                -- The UNIQUE constraint on cookie_digest is the index that finds a session by its cookie.
                CREATE TABLE sessions (
                    id TEXT PRIMARY KEY NOT NULL,
                    cookie_digest TEXT NOT NULL UNIQUE,
                    customer_id TEXT NOT NULL,
                    auth_time INTEGER NOT NULL,
                    amr TEXT NOT NULL,
                    acr TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    last_seen_at INTEGER NOT NULL,
                    ended_at INTEGER
                ) WITHOUT ROWID;

                -- The channels that received tokens in a session. A rowid table: the rowid keeps
                -- the order of channels added in the same millisecond.
                CREATE TABLE session_channels (
                    session_id TEXT NOT NULL REFERENCES sessions(id),
                    client_id TEXT NOT NULL,
                    first_at INTEGER NOT NULL,
                    PRIMARY KEY (session_id, client_id)
                );

                -- code_grant is JSON (request, authentication, session). The issued ids are JSON arrays,
                -- recorded so that a replayed code can revoke what it issued.
                CREATE TABLE authorization_codes (
                    digest TEXT PRIMARY KEY NOT NULL,
                    code_grant TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    redeemed_at INTEGER,
                    access_token_ids TEXT NOT NULL DEFAULT '[]',
                    refresh_family_ids TEXT NOT NULL DEFAULT '[]'
                ) WITHOUT ROWID;

                CREATE TABLE refresh_families (
                    id TEXT PRIMARY KEY NOT NULL,
                    client_id TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    authentication TEXT NOT NULL,
                    session_id TEXT,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    revoked_at INTEGER
                ) WITHOUT ROWID;
                CREATE INDEX refresh_families_by_session ON refresh_families(session_id);

                -- Every token a family ever had; only the one with rotated_at NULL is current.
                CREATE TABLE refresh_tokens (
                    digest TEXT PRIMARY KEY NOT NULL,
                    family_id TEXT NOT NULL REFERENCES refresh_families(id),
                    generation INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    rotated_at INTEGER
                ) WITHOUT ROWID;
                CREATE INDEX refresh_tokens_by_family ON refresh_tokens(family_id);

                -- Checked on every request that carries an access token: one primary-key lookup.
                CREATE TABLE revoked_access_tokens (
                    jti TEXT PRIMARY KEY NOT NULL,
                    expires_at INTEGER NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE passwords (
                    customer_id TEXT PRIMARY KEY NOT NULL,
                    hash TEXT NOT NULL,
                    failures INTEGER NOT NULL DEFAULT 0,
                    locked_until INTEGER
                ) WITHOUT ROWID;

                CREATE TABLE rate_limits (
                    key TEXT PRIMARY KEY NOT NULL,
                    window_start INTEGER NOT NULL,
                    count INTEGER NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE outbox (
                    id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    destination TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at INTEGER NOT NULL,
                    delivered_at INTEGER,
                    last_error TEXT
                ) WITHOUT ROWID;
                CREATE INDEX outbox_due ON outbox(delivered_at, next_attempt_at);
                """)
        }
        migrator.registerMigration("2026-11-22-replay-cache") { db in
            try db.execute(sql: """
                -- Keys of one-time values already seen (DPoP proof and client assertion jti), kept
                -- until the value could no longer be accepted anyway.
                CREATE TABLE replay_cache (
                    key TEXT PRIMARY KEY NOT NULL,
                    expires_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("2026-11-22-dpop-bound-refresh") { db in
            try db.execute(sql: "ALTER TABLE refresh_families ADD COLUMN confirmation_key TEXT")
        }
        migrator.registerMigration("2026-11-23-merges-and-erasure") { db in
            try db.execute(sql: """
                -- A customer is active, merged into another (merged_into, always a live or erased
                -- customer: chains are collapsed when they form) or erased (a tombstone).
                ALTER TABLE customers ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'merged', 'erased'));
                ALTER TABLE customers ADD COLUMN merged_into TEXT;
                ALTER TABLE customers ADD COLUMN merge_id TEXT;
                ALTER TABLE customers ADD COLUMN erased_at INTEGER;
                CREATE INDEX customers_by_merged_into ON customers(merged_into) WHERE merged_into IS NOT NULL;

                -- snapshot is JSON (MergeSnapshot): what an unmerge restores. Erasure sets it NULL.
                -- log_sequence is the merge's link-log entry: it orders merges exactly.
                CREATE TABLE merges (
                    id TEXT PRIMARY KEY NOT NULL,
                    survivor_id TEXT NOT NULL,
                    duplicate_id TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    log_sequence INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    operator TEXT,
                    reason TEXT,
                    state TEXT NOT NULL CHECK (state IN ('active', 'undone', 'erased')),
                    undone_at INTEGER,
                    undone_by TEXT,
                    undo_reason TEXT,
                    snapshot TEXT
                ) WITHOUT ROWID;
                CREATE INDEX merges_by_survivor ON merges(survivor_id, log_sequence);
                CREATE INDEX merges_by_duplicate ON merges(duplicate_id, log_sequence);

                ALTER TABLE link_log ADD COLUMN operator TEXT;
                ALTER TABLE link_log ADD COLUMN related_customer_id TEXT;
                ALTER TABLE link_log ADD COLUMN merge_id TEXT;
                CREATE INDEX link_log_by_related ON link_log(related_customer_id, sequence) WHERE related_customer_id IS NOT NULL;
                """)
        }
        migrator.registerMigration("2026-11-23-verifiable-log") { db in
            try db.execute(sql: """
                -- The link log as an RFC 9162 Merkle tree: the hash of every perfect subtree, node
                -- (level, idx) covering leaves idx << level ..< (idx + 1) << level. Leaf i is the
                -- entry with sequence i + 1. Written with the entry, never changed.
                CREATE TABLE log_tree_nodes (
                    level INTEGER NOT NULL,
                    idx INTEGER NOT NULL,
                    hash BLOB NOT NULL CHECK (length(hash) = 32),
                    PRIMARY KEY (level, idx)
                ) WITHOUT ROWID;
                CREATE TRIGGER log_tree_nodes_no_update BEFORE UPDATE ON log_tree_nodes
                BEGIN SELECT RAISE(ABORT, 'the log tree is append-only'); END;
                CREATE TRIGGER log_tree_nodes_no_delete BEFORE DELETE ON log_tree_nodes
                BEGIN SELECT RAISE(ABORT, 'the log tree is append-only'); END;

                -- Signed checkpoints (C2SP signed notes): one per size, so never two roots for a size.
                CREATE TABLE log_checkpoints (
                    size INTEGER PRIMARY KEY,
                    root BLOB NOT NULL CHECK (length(root) = 32),
                    note TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE TRIGGER log_checkpoints_no_update BEFORE UPDATE ON log_checkpoints
                BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
                """)
            try SQLiteVerifiableLog.backfill(db: db)
        }
        migrator.registerMigration("2026-11-24-customer-log-keys") { db in
            try db.execute(sql: """
                -- Each customer's link-log key, wrapped under the log key (AES-256-GCM, bound to the
                -- id), in the customer's row: entries hash identifier values under it, and erasure
                -- sets it to NULL (zeroed on disk by secure_delete).
                ALTER TABLE customers ADD COLUMN log_key BLOB;

                -- The readable side of entries (the value, the name), sealed under the key of the
                -- entry's customer and bound to its sequence; lookup is the identifier's hash under
                -- the log key, for searching the log by identifier. Deleted on erasure.
                CREATE TABLE link_log_details (
                    sequence INTEGER PRIMARY KEY,
                    lookup TEXT,
                    sealed BLOB NOT NULL
                );
                CREATE INDEX link_log_details_by_lookup ON link_log_details(lookup) WHERE lookup IS NOT NULL;
                """)
        }
        migrator.registerMigration("2026-11-25-log-tree-tiles") { db in
            try db.execute(sql: """
                -- The log's Merkle tree as tiles (VerifiableLog's Tiles, after C2SP tlog-tiles):
                -- tile idx of level holds that level's nodes idx * 16 ..< (idx + 1) * 16,
                -- concatenated; only levels 0 (the leaves), 4, 8, ... are stored, the nodes between
                -- are computed from the tile below them. The last tile of a level grows as entries
                -- are appended; a hash, once stored, never changes (the trigger refuses it).
                CREATE TABLE log_tree_tiles (
                    level INTEGER NOT NULL CHECK (level >= 0 AND level % 4 = 0),
                    idx INTEGER NOT NULL CHECK (idx >= 0),
                    hashes BLOB NOT NULL CHECK (length(hashes) % 32 = 0 AND length(hashes) BETWEEN 32 AND 512),
                    PRIMARY KEY (level, idx)
                ) WITHOUT ROWID;
                CREATE TRIGGER log_tree_tiles_only_grow BEFORE UPDATE ON log_tree_tiles
                WHEN NEW.level != OLD.level OR NEW.idx != OLD.idx OR length(NEW.hashes) <= length(OLD.hashes)
                     OR substr(NEW.hashes, 1, length(OLD.hashes)) != OLD.hashes
                BEGIN SELECT RAISE(ABORT, 'the log tree only grows'); END;
                CREATE TRIGGER log_tree_tiles_no_delete BEFORE DELETE ON log_tree_tiles
                BEGIN SELECT RAISE(ABORT, 'the log tree is append-only'); END;
                """)
            try SQLiteVerifiableLog.tileNodeRows(db: db)
            try db.execute(sql: "DROP TABLE log_tree_nodes")
        }
        migrator.registerMigration("2026-11-26-graph-tables-with-rowid") { db in
            // customers and links become rowid tables: the rows are appended in insertion order and
            // their primary keys live in separate, narrow indexes (an identifier or customer id and
            // a rowid). Customer ids and identifiers are random, so every insert lands at a random
            // place in its key's B-tree, and every batch of a bulk import dirties most of that
            // B-tree's pages; with whole rows as the keyed B-tree that was most of the database.
            // The narrow indexes are about a fifth (customers) and half (links) the size of those
            // rows, so a batch dirties, and writes to the WAL, far fewer pages (docs/performance.md,
            // "Import: the third round"). A lookup by key reads the index, then the row by rowid.
            try rebuildAsRowidTable("customers", db: db)
            try rebuildAsRowidTable("links", db: db)
        }
        return migrator
    }

    /// Rebuilds the `WITHOUT ROWID` table `name` as a rowid table: its own stored definition (every
    /// column, default, constraint and foreign key, as the migrations left it) without the
    /// `WITHOUT ROWID`, every row copied in primary-key order, and its indexes created again from
    /// their stored definitions. The migrator's deferred foreign key check runs before the commit.
    static func rebuildAsRowidTable(_ name: String, db: Database) throws {
        let rebuilt = "\(name)_with_rowid"
        // The name is stored as written, or quoted when an ALTER TABLE … RENAME set it.
        guard
            let definition = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [name]),
            let head = ["CREATE TABLE \(name) (", "CREATE TABLE \"\(name)\" ("].first(where: definition.hasPrefix),
            let withoutRowid = definition.range(of: "WITHOUT ROWID", options: [.anchored, .backwards])
        else {
            throw SQLiteStoreError.cannotOpen("table \(name) is not the WITHOUT ROWID table this migration expects")
        }
        var rowidDefinition = definition
        rowidDefinition.removeSubrange(withoutRowid)
        rowidDefinition.replaceSubrange(rowidDefinition.startIndex..<rowidDefinition.index(rowidDefinition.startIndex, offsetBy: head.count), with: "CREATE TABLE \(rebuilt) (")
        let indexes = try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", arguments: [name])
        try db.execute(sql: rowidDefinition)
        // A WITHOUT ROWID table is read in primary-key order, so the new key index is built sorted.
        try db.execute(sql: "INSERT INTO \(rebuilt) SELECT * FROM \(name)")
        try db.execute(sql: "DROP TABLE \(name)")
        try db.execute(sql: "ALTER TABLE \(rebuilt) RENAME TO \(name)")
        for index in indexes { try db.execute(sql: index) }
    }
}
