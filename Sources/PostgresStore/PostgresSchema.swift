/// The PostgreSQL schema, as ordered migrations. A migration, once released, never changes: a
/// change is a new migration at the end of ``migrations``.
///
/// Times are `bigint` milliseconds since 1970, as in the SQLite schema, so that both stores round
/// and compare times identically. Each statement is sent on its own (the extended query protocol
/// takes one statement at a time).
///
/// Portability to PostgreSQL-compatible distributed SQL (CockroachDB, YugabyteDB), as far as
/// known without testing there (only PostgreSQL 15 is tested):
/// - the append-only guards are PL/pgSQL trigger functions, `EXECUTE FUNCTION` syntax, with a
///   statement-level `BEFORE TRUNCATE` trigger (CockroachDB has row-level triggers only from
///   v24.3 and may lack statement-level and TRUNCATE triggers; YugabyteDB has them);
/// - `pg_advisory_xact_lock` serializes migrations (CockroachDB does not implement advisory
///   locks; YugabyteDB only with advisory locks enabled): there, run `solmu migrate` from one
///   place before starting instances;
/// - `session_channels.position` is `bigserial` (CockroachDB makes it `unique_rowid()`: unique
///   and roughly ordered, which is all it is used for);
/// - ordered text columns use `COLLATE "C"` (check the engine's support for that collation);
/// - the single-row `log_head` locked with `SELECT … FOR UPDATE` serializes every graph change:
///   correct on any engine, but on a distributed one each change pays a consensus round trip
///   while holding that lock, so graph writes do not scale out;
/// - reads run in `REPEATABLE READ, READ ONLY` transactions, writes in the default isolation;
///   under SERIALIZABLE (CockroachDB's default) conflicts surface as SQLSTATE 40001, which
///   ``PostgresDatabase`` retries;
/// - otherwise plain SQL: `ON CONFLICT … DO UPDATE … WHERE`, `RETURNING`, `FOR UPDATE` on a
///   join, multi-argument `unnest` of binary-encoded array parameters, data-modifying `WITH`,
///   partial indexes, `GREATEST`, `strpos`, `information_schema.tables`.
enum PostgresSchema {
    /// One named migration: its statements run in one transaction with its bookkeeping row.
    struct Migration: Sendable {
        let identifier: String
        let statements: [String]
    }

    /// Every migration this build knows, oldest first.
    static let migrations: [Migration] = [identityGraph, customerLogin, verifiableLog, customerLogKeys]

    static let identityGraph = Migration(identifier: "2026-11-24-identity-graph", statements: [
        """
        -- Text columns that are ordered or compared by range use COLLATE "C" (byte order), as
        -- SQLite and Swift's String order them, whatever the database's default collation.
        -- A customer is active, merged into another (merged_into, always a live or erased
        -- customer: chains are collapsed when they form) or erased (a tombstone).
        CREATE TABLE customers (
            id text COLLATE "C" PRIMARY KEY,
            created_at bigint NOT NULL,
            profile text,
            status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'erased')),
            merged_into text,
            merge_id text,
            erased_at bigint
        )
        """,
        "CREATE INDEX customers_by_merged_into ON customers (merged_into) WHERE merged_into IS NOT NULL",
        """
        -- One row per linked identifier. The primary key on (kind, namespace, value) is the
        -- lookup index and enforces that an identifier belongs to at most one customer.
        -- namespace is '' for kinds without one, so that the key stays unique.
        CREATE TABLE links (
            kind text COLLATE "C" NOT NULL,
            namespace text COLLATE "C" NOT NULL,
            value text COLLATE "C" NOT NULL,
            customer_id text COLLATE "C" NOT NULL REFERENCES customers (id),
            channel text NOT NULL,
            assurance text NOT NULL CHECK (assurance IN ('inferred', 'asserted', 'verified')),
            linked_at bigint NOT NULL,
            PRIMARY KEY (kind, namespace, value)
        )
        """,
        "CREATE INDEX links_by_customer ON links (customer_id)",
        """
        -- The link log. sequence is assigned by the writer holding log_head's row lock: the
        -- next number after log_head.size, so the sequence has no gaps across instances.
        CREATE TABLE link_log (
            sequence bigint PRIMARY KEY,
            time bigint NOT NULL,
            actor text NOT NULL,
            action text NOT NULL,
            customer_id text NOT NULL,
            kind text,
            namespace text,
            value_hash text,
            assurance text,
            reason text,
            operator text,
            related_customer_id text,
            merge_id text
        )
        """,
        "CREATE INDEX link_log_by_customer ON link_log (customer_id, sequence)",
        "CREATE INDEX link_log_by_related ON link_log (related_customer_id, sequence) WHERE related_customer_id IS NOT NULL",
        """
        -- The size of the link log, in one row. Every change of the graph locks it first
        -- (SELECT ... FOR UPDATE): the graph has one writer at a time across all instances, as
        -- SQLite has, and the log's sequence and tree grow in that order.
        CREATE TABLE log_head (
            id boolean PRIMARY KEY DEFAULT true CHECK (id),
            size bigint NOT NULL CHECK (size >= 0)
        )
        """,
        "INSERT INTO log_head (id, size) VALUES (true, 0)",
        """
        CREATE FUNCTION solmu_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
        END
        $$
        """,
        "CREATE TRIGGER link_log_no_update BEFORE UPDATE OR DELETE ON link_log FOR EACH ROW EXECUTE FUNCTION solmu_refuse_change()",
        "CREATE TRIGGER link_log_no_truncate BEFORE TRUNCATE ON link_log FOR EACH STATEMENT EXECUTE FUNCTION solmu_refuse_change()",
        """
        CREATE TABLE duplicate_candidates (
            first_id text COLLATE "C" NOT NULL,
            second_id text COLLATE "C" NOT NULL,
            kind text NOT NULL,
            first_seen bigint NOT NULL,
            last_seen bigint NOT NULL,
            occurrences bigint NOT NULL,
            PRIMARY KEY (first_id, second_id)
        )
        """,
        """
        -- snapshot is JSON (MergeSnapshot): what an unmerge restores. Erasure sets it NULL.
        -- log_sequence is the merge's link-log entry: it orders merges exactly.
        CREATE TABLE merges (
            id text PRIMARY KEY,
            survivor_id text NOT NULL,
            duplicate_id text NOT NULL,
            created_at bigint NOT NULL,
            log_sequence bigint NOT NULL,
            actor text NOT NULL,
            operator text,
            reason text,
            state text NOT NULL CHECK (state IN ('active', 'undone', 'erased')),
            undone_at bigint,
            undone_by text,
            undo_reason text,
            snapshot text
        )
        """,
        "CREATE INDEX merges_by_survivor ON merges (survivor_id, log_sequence)",
        "CREATE INDEX merges_by_duplicate ON merges (duplicate_id, log_sequence)",
    ])

    static let customerLogin = Migration(identifier: "2026-11-24-customer-login", statements: [
        """
        -- An authorization request waiting for the customer to log in. Secrets (codes, cookies,
        -- refresh tokens) are stored as digests only.
        CREATE TABLE pending_authorizations (
            id text PRIMARY KEY,
            request text NOT NULL,
            created_at bigint NOT NULL,
            expires_at bigint NOT NULL
        )
        """,
        """
        -- namespace is '' for kinds without one, as in links.
        CREATE TABLE one_time_code_challenges (
            id text PRIMARY KEY,
            kind text NOT NULL,
            namespace text NOT NULL,
            value text NOT NULL,
            code_digest text NOT NULL,
            pending_authorization_id text NOT NULL,
            created_at bigint NOT NULL,
            expires_at bigint NOT NULL,
            attempts bigint NOT NULL DEFAULT 0,
            consumed boolean NOT NULL DEFAULT false
        )
        """,
        "CREATE INDEX one_time_code_challenges_by_identifier ON one_time_code_challenges (kind, namespace, value)",
        """
        CREATE TABLE sessions (
            id text COLLATE "C" PRIMARY KEY,
            cookie_digest text NOT NULL UNIQUE,
            customer_id text NOT NULL,
            auth_time bigint NOT NULL,
            amr text NOT NULL,
            acr text NOT NULL,
            created_at bigint NOT NULL,
            last_seen_at bigint NOT NULL,
            ended_at bigint
        )
        """,
        "CREATE INDEX sessions_by_customer ON sessions (customer_id)",
        """
        -- The channels that received tokens in a session; position keeps the order of channels
        -- added in the same millisecond.
        CREATE TABLE session_channels (
            session_id text NOT NULL REFERENCES sessions (id),
            client_id text NOT NULL,
            first_at bigint NOT NULL,
            position bigserial NOT NULL,
            PRIMARY KEY (session_id, client_id)
        )
        """,
        """
        -- code_grant is JSON (request, authentication, session). The issued ids are JSON arrays,
        -- recorded so that a replayed code can revoke what it issued.
        CREATE TABLE authorization_codes (
            digest text PRIMARY KEY,
            code_grant text NOT NULL,
            created_at bigint NOT NULL,
            expires_at bigint NOT NULL,
            redeemed_at bigint,
            access_token_ids text NOT NULL DEFAULT '[]',
            refresh_family_ids text NOT NULL DEFAULT '[]'
        )
        """,
        """
        CREATE TABLE refresh_families (
            id text COLLATE "C" PRIMARY KEY,
            client_id text NOT NULL,
            scope text NOT NULL,
            authentication text NOT NULL,
            session_id text,
            created_at bigint NOT NULL,
            expires_at bigint NOT NULL,
            revoked_at bigint,
            confirmation_key text
        )
        """,
        "CREATE INDEX refresh_families_by_session ON refresh_families (session_id)",
        """
        -- Every token a family ever had; only the one with rotated_at NULL is current.
        CREATE TABLE refresh_tokens (
            digest text PRIMARY KEY,
            family_id text NOT NULL REFERENCES refresh_families (id),
            generation bigint NOT NULL,
            created_at bigint NOT NULL,
            rotated_at bigint
        )
        """,
        "CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id)",
        """
        -- Checked on every request that carries an access token: one primary-key lookup.
        CREATE TABLE revoked_access_tokens (
            jti text PRIMARY KEY,
            expires_at bigint NOT NULL
        )
        """,
        """
        CREATE TABLE passwords (
            customer_id text PRIMARY KEY,
            hash text NOT NULL,
            failures bigint NOT NULL DEFAULT 0,
            locked_until bigint
        )
        """,
        """
        CREATE TABLE rate_limits (
            key text PRIMARY KEY,
            window_start bigint NOT NULL,
            count bigint NOT NULL
        )
        """,
        """
        CREATE TABLE outbox (
            id text COLLATE "C" PRIMARY KEY,
            kind text NOT NULL,
            destination text NOT NULL,
            payload text NOT NULL,
            created_at bigint NOT NULL,
            attempts bigint NOT NULL DEFAULT 0,
            next_attempt_at bigint NOT NULL,
            delivered_at bigint,
            last_error text
        )
        """,
        "CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL",
        "CREATE INDEX outbox_by_destination ON outbox (destination)",
        """
        -- Keys of one-time values already seen (DPoP proof and client assertion jti), kept
        -- until the value could no longer be accepted anyway.
        CREATE TABLE replay_cache (
            key text PRIMARY KEY,
            expires_at bigint NOT NULL
        )
        """,
    ])

    static let verifiableLog = Migration(identifier: "2026-11-24-verifiable-log", statements: [
        """
        -- The link log as an RFC 9162 Merkle tree: the hash of every perfect subtree, node
        -- (level, idx) covering leaves idx << level ..< (idx + 1) << level. Leaf i is the entry
        -- with sequence i + 1. Written with the entry, never changed.
        CREATE TABLE log_tree_nodes (
            level integer NOT NULL,
            idx bigint NOT NULL,
            hash bytea NOT NULL CHECK (length(hash) = 32),
            PRIMARY KEY (level, idx)
        )
        """,
        "CREATE TRIGGER log_tree_nodes_no_change BEFORE UPDATE OR DELETE ON log_tree_nodes FOR EACH ROW EXECUTE FUNCTION solmu_refuse_change()",
        "CREATE TRIGGER log_tree_nodes_no_truncate BEFORE TRUNCATE ON log_tree_nodes FOR EACH STATEMENT EXECUTE FUNCTION solmu_refuse_change()",
        """
        -- Signed checkpoints (C2SP signed notes): one per size, so never two roots for a size.
        CREATE TABLE log_checkpoints (
            size bigint PRIMARY KEY,
            root bytea NOT NULL CHECK (length(root) = 32),
            note text NOT NULL,
            created_at bigint NOT NULL
        )
        """,
        "CREATE TRIGGER log_checkpoints_no_change BEFORE UPDATE OR DELETE ON log_checkpoints FOR EACH ROW EXECUTE FUNCTION solmu_refuse_change()",
    ])

    static let customerLogKeys = Migration(identifier: "2026-11-24-customer-log-keys", statements: [
        """
        -- Each customer's link-log key, wrapped under the log key (AES-256-GCM, bound to the id),
        -- in the customer's row: entries hash identifier values under it, and erasure sets it to
        -- NULL.
        ALTER TABLE customers ADD COLUMN log_key bytea
        """,
        """
        -- The readable side of entries (the value, the name), sealed under the key of the entry's
        -- customer and bound to its sequence; lookup is the identifier's hash under the log key,
        -- for searching the log by identifier. Deleted on erasure.
        CREATE TABLE link_log_details (
            sequence bigint PRIMARY KEY,
            lookup text,
            sealed bytea NOT NULL
        )
        """,
        "CREATE INDEX link_log_details_by_lookup ON link_log_details (lookup) WHERE lookup IS NOT NULL",
    ])
}
