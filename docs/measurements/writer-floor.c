/*
 * The SQLite floor of `solmu import`'s writer (docs/performance.md, "The fifth round: where the
 * floors are").
 *
 * Writes what the writer writes for N customers (rounded up to whole batches), in batches of 50,000 in one transaction each,
 * with the same schema, statements and pragmas, straight through the C API: per customer one
 * `customers` row, three `links` (e-mail, phone, loyalty card; random keys, foreign key checked),
 * four `link_log` entries with their `link_log_details`, and a 512-byte level-0 tree tile per 16
 * entries. The values are random strings and blobs of the real lengths, made before each batch's
 * clock starts: no parsing, normalization or cryptography is timed. Then it builds the three
 * indexes that a first load defers, with the settings `SQLiteDatabase.createBulkLoadIndexes` uses.
 * It is a measurement, not part of the product.
 *
 *   cc -O2 -o writer-floor docs/measurements/writer-floor.c -lsqlite3
 *   ./writer-floor 1000000 /tmp/writer-floor.sqlite   # a new file; remove it afterwards
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { batch_size = 50000, entries_per_tile = 16 };
static const sqlite3_int64 import_time = 1795422615142LL;

typedef struct {
    char id[32];
    char email[40];
    char phone[16];
    char card[20];
    char value_hash[4][48];  /* [0] is unused: the creation entry has no identifier */
} Customer;

static double seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec + now.tv_nsec / 1e9;
}

static unsigned long long random_state = 88172645463325252ULL;

static unsigned long long next_random(void) {  /* xorshift64 */
    random_state ^= random_state << 13;
    random_state ^= random_state >> 7;
    random_state ^= random_state << 17;
    return random_state;
}

/* prefix followed by count random base32 characters, like `cus_` ids and base64url hashes. */
static void random_text(char *out, const char *prefix, int count) {
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    size_t length = strlen(prefix);
    memcpy(out, prefix, length);
    for (int i = 0; i < count; i++) out[length + i] = alphabet[next_random() % 32];
    out[length + count] = 0;
}

static void execute(sqlite3 *db, const char *sql) {
    char *message = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, message);
        exit(1);
    }
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql) {
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
        exit(1);
    }
    return statement;
}

/* Runs statement to completion, or stops the program with SQLite's message. */
static void must_run(sqlite3 *db, sqlite3_stmt *statement) {
    int result = sqlite3_step(statement);
    if (result != SQLITE_DONE) {
        fprintf(stderr, "%s\n", sqlite3_errmsg(db));
        exit(1);
    }
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
}

static void bind_text(sqlite3_stmt *statement, int index, const char *text) {
    sqlite3_bind_text(statement, index, text, -1, SQLITE_STATIC);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s CUSTOMERS NEW_DATABASE_PATH\n", argv[0]);
        return 2;
    }
    int customers = atoi(argv[1]);
    sqlite3 *db = NULL;
    if (sqlite3_open(argv[2], &db) != SQLITE_OK) {
        fprintf(stderr, "cannot open %s\n", argv[2]);
        return 1;
    }
    /* SQLiteDatabase's writer: 16 KiB pages, WAL, 512 MiB page cache, foreign keys on. */
    execute(db, "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                "PRAGMA temp_store = MEMORY; PRAGMA secure_delete = ON; PRAGMA cache_size = -524288;"
                "PRAGMA foreign_keys = ON; PRAGMA mmap_size = 4294967296;");
    /* The tables as Solmu's migrations leave them, without the three deferred indexes. */
    execute(db,
        "CREATE TABLE customers (id TEXT PRIMARY KEY NOT NULL, created_at INTEGER NOT NULL, profile TEXT,"
        "  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'erased')),"
        "  merged_into TEXT, merge_id TEXT, erased_at INTEGER, log_key BLOB);"
        "CREATE INDEX customers_by_merged_into ON customers(merged_into) WHERE merged_into IS NOT NULL;"
        "CREATE TABLE links (kind TEXT NOT NULL, namespace TEXT NOT NULL, value TEXT NOT NULL,"
        "  customer_id TEXT NOT NULL REFERENCES customers(id), channel TEXT NOT NULL,"
        "  assurance TEXT NOT NULL CHECK (assurance IN ('inferred', 'asserted', 'verified')),"
        "  linked_at INTEGER NOT NULL, PRIMARY KEY (kind, namespace, value));"
        "CREATE TABLE link_log (sequence INTEGER PRIMARY KEY, time INTEGER NOT NULL, actor TEXT NOT NULL,"
        "  action TEXT NOT NULL, customer_id TEXT NOT NULL, kind TEXT, namespace TEXT, value_hash TEXT,"
        "  assurance TEXT, reason TEXT, operator TEXT, related_customer_id TEXT, merge_id TEXT);"
        "CREATE INDEX link_log_by_related ON link_log(related_customer_id, sequence)"
        "  WHERE related_customer_id IS NOT NULL;"
        "CREATE TABLE link_log_details (sequence INTEGER PRIMARY KEY, lookup TEXT, sealed BLOB NOT NULL);"
        "CREATE TABLE log_tree_tiles (level INTEGER NOT NULL CHECK (level >= 0 AND level % 4 = 0),"
        "  idx INTEGER NOT NULL CHECK (idx >= 0), hashes BLOB NOT NULL"
        "  CHECK (length(hashes) % 32 = 0 AND length(hashes) BETWEEN 32 AND 512),"
        "  PRIMARY KEY (level, idx)) WITHOUT ROWID;");
    sqlite3_stmt *insert_customer = prepare(db,
        "INSERT INTO customers (id, created_at, profile, log_key) VALUES (?, ?, ?, ?)");
    sqlite3_stmt *insert_link = prepare(db,
        "INSERT INTO links (kind, namespace, value, customer_id, channel, assurance, linked_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *insert_entry = prepare(db,
        "INSERT INTO link_log (time, actor, action, customer_id, kind, namespace, value_hash, assurance,"
        " reason, operator, related_customer_id, merge_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *insert_detail = prepare(db,
        "INSERT INTO link_log_details (sequence, lookup, sealed) VALUES (?, ?, ?)");
    sqlite3_stmt *insert_tile = prepare(db,
        "INSERT INTO log_tree_tiles (level, idx, hashes) VALUES (?, ?, ?)");

    static const char *kinds[3] = {"email", "phone", "loyalty_card"};
    static const char *namespaces[3] = {"", "", "plussa"};
    static const char profile[] = "{\"name\":{\"given\":\"Lauri\",\"family\":\"Saarinen\"},\"locale\":\"fi\"}";
    unsigned char log_key[92], sealed[64], tile[512];
    memset(log_key, 7, sizeof log_key);
    memset(sealed, 7, sizeof sealed);
    memset(tile, 9, sizeof tile);
    /* A random permutation of the seven-digit numbers: phone numbers and cards that never repeat. */
    enum { seven_digits = 10000000 };
    if (customers > seven_digits) {
        fprintf(stderr, "at most %d customers\n", seven_digits);
        return 2;
    }
    unsigned int *numbers = malloc(sizeof(unsigned int) * seven_digits);
    for (unsigned int i = 0; i < seven_digits; i++) numbers[i] = i;
    for (unsigned int i = seven_digits - 1; i > 0; i--) {
        unsigned int j = (unsigned int)(next_random() % (i + 1));
        unsigned int swap = numbers[i];
        numbers[i] = numbers[j];
        numbers[j] = swap;
    }
    Customer *batch = malloc(sizeof(Customer) * batch_size);
    double writing = 0;
    long long next_tile = 0;

    for (int first = 0; first < customers; first += batch_size) {
        for (int i = 0; i < batch_size; i++) {
            Customer *c = &batch[i];
            random_text(c->id, "cus_", 26);
            random_text(c->email, "", 14);
            strcat(c->email, "@example.org");
            /* Unique and in random order, as in the benchmark's data. */
            unsigned int number = numbers[first + i];
            snprintf(c->phone, sizeof c->phone, "+35840%07u", number);
            snprintf(c->card, sizeof c->card, "6012%05llu%07u", next_random() % 100000ULL, number);
            for (int k = 1; k < 4; k++) random_text(c->value_hash[k], "", 43);
        }
        double start = seconds();
        execute(db, "BEGIN IMMEDIATE");
        for (int i = 0; i < batch_size; i++) {
            Customer *c = &batch[i];
            const char *values[3] = {c->email, c->phone, c->card};
            bind_text(insert_customer, 1, c->id);
            sqlite3_bind_int64(insert_customer, 2, import_time);
            bind_text(insert_customer, 3, profile);
            sqlite3_bind_blob(insert_customer, 4, log_key, sizeof log_key, SQLITE_STATIC);
            must_run(db, insert_customer);
            for (int k = 0; k < 3; k++) {
                bind_text(insert_link, 1, kinds[k]);
                bind_text(insert_link, 2, namespaces[k]);
                bind_text(insert_link, 3, values[k]);
                bind_text(insert_link, 4, c->id);
                bind_text(insert_link, 5, "import");
                bind_text(insert_link, 6, "asserted");
                sqlite3_bind_int64(insert_link, 7, import_time);
                must_run(db, insert_link);
            }
            /* The creation entry (with the sealed name), then one entry per link. */
            for (int k = 0; k < 4; k++) {
                sqlite3_bind_int64(insert_entry, 1, import_time);
                bind_text(insert_entry, 2, "import");
                bind_text(insert_entry, 3, k == 0 ? "customer_created" : "linked");
                bind_text(insert_entry, 4, c->id);
                if (k > 0) {
                    bind_text(insert_entry, 5, kinds[k - 1]);
                    if (k == 3) bind_text(insert_entry, 6, "plussa");
                    bind_text(insert_entry, 7, c->value_hash[k]);
                    bind_text(insert_entry, 8, "asserted");
                }
                bind_text(insert_entry, 9, "bulk import");
                must_run(db, insert_entry);
                sqlite3_bind_int64(insert_detail, 1, sqlite3_last_insert_rowid(db));
                if (k > 0) bind_text(insert_detail, 2, c->value_hash[k]);
                sqlite3_bind_blob(insert_detail, 3, sealed, k == 0 ? 47 : 55, SQLITE_STATIC);
                must_run(db, insert_detail);
            }
        }
        for (int i = 0; i < batch_size * 4 / entries_per_tile; i++) {
            sqlite3_bind_int64(insert_tile, 1, 0);
            sqlite3_bind_int64(insert_tile, 2, next_tile++);
            sqlite3_bind_blob(insert_tile, 3, tile, sizeof tile, SQLITE_STATIC);
            must_run(db, insert_tile);
        }
        execute(db, "COMMIT");
        writing += seconds() - start;
    }

    double indexing_start = seconds();
    execute(db, "PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT; PRAGMA threads = 2");
    execute(db, "CREATE INDEX links_by_customer ON links(customer_id);"
                "CREATE INDEX link_log_by_customer ON link_log(customer_id, sequence);"
                "CREATE INDEX link_log_details_by_lookup ON link_log_details(lookup) WHERE lookup IS NOT NULL;");
    printf("%d customers: writes %.2f s (%.1f µs per customer), deferred indexes %.2f s\n",
           customers, writing, writing * 1e6 / customers, seconds() - indexing_start);
    return 0;
}
