public import Foundation
public import Identifiers

/// Where the identity graph and its link log live.
///
/// Every mutating call is one transaction that applies the change and appends its link-log
/// entries together: no mutation without an entry, no entry without its mutation. A call that
/// throws leaves the store as it was. No storage library's types cross this protocol, so every
/// backend runs the same conformance suite.
public protocol IdentityStore: Sendable {
    /// Creates a customer with all of `new`'s identifiers, or nothing.
    /// - Throws: `IdentityGraphError.conflict` when an identifier belongs to someone else,
    ///   `.limitExceeded`, `.blocked`, `.duplicateInRequest`.
    func createCustomer(_ new: NewCustomer, context: ChangeContext) async throws -> Customer

    /// Links `identifier` to `customer`. Linking an identifier the customer already has raises
    /// its assurance when `assurance` is higher, and otherwise changes nothing.
    /// - Throws: `.conflict` (and records the pair as a duplicate candidate) when it belongs to
    ///   another customer; `.customerNotFound`, `.limitExceeded`, `.blocked`.
    func link(_ identifier: Identifier, to customer: CustomerID, assurance: Assurance, context: ChangeContext) async throws -> LinkOutcome

    /// Removes the link of `identifier`; when `customer` is given, only if it is theirs.
    /// - Returns: the removed link.
    func unlink(_ identifier: Identifier, from customer: CustomerID?, context: ChangeContext) async throws -> Link

    /// The customer `identifier` belongs to, with all their links; `nil` when unknown.
    func resolve(_ identifier: Identifier) async throws -> ResolvedCustomer?

    /// Resolves many identifiers in one read; unknown ones are absent from the result.
    func resolve(batch identifiers: [Identifier]) async throws -> [Identifier: ResolvedCustomer]

    /// The customer with profile and links; `nil` when unknown or erased. A merged id gives the
    /// customer it was merged into, so that ids in old tokens keep resolving.
    func customer(_ id: CustomerID) async throws -> Customer?

    /// Whether `id` is a live, merged or erased customer; `nil` when unknown.
    func customerStatus(_ id: CustomerID) async throws -> CustomerStatus?

    /// Live customers in id order after `after` (exclusive), at most `limit`, with profile and
    /// links: for duplicate scans and exports that walk the whole graph.
    func customers(after: CustomerID?, limit: Int) async throws -> [Customer]

    // MARK: Admin changes

    /// Moves `identifier` from whoever holds it to `customer` (a recycled phone number), in one
    /// transaction with a `moved` entry naming both.
    /// - Throws: `.linkNotFound` when nobody holds it, `.customerNotFound`, `.customerErased`,
    ///   `.limitExceeded`, `.blocked`; moving to the current owner is `.sameCustomer`.
    func move(_ identifier: Identifier, to customer: CustomerID, assurance: Assurance, context: ChangeContext) async throws -> MoveOutcome

    /// What merging `duplicate` into `survivor` would do, without doing it.
    func planMerge(survivor: CustomerID, duplicate: CustomerID) async throws -> MergePlan

    /// Merges `duplicate` into `survivor`: every link moves, profile gaps are filled, the
    /// duplicate's id resolves to the survivor from now on (and so do ids merged into it before).
    /// - Throws: `.customerNotFound`, `.customerMerged`, `.customerErased`, `.sameCustomer`,
    ///   `.limitExceeded`.
    func merge(survivor: CustomerID, duplicate: CustomerID, context: ChangeContext) async throws -> MergeRecord

    /// Undoes a merge, restoring both customers as they were before it (see ``UnmergePlan``).
    /// - Throws: `.mergeNotFound`, `.mergeUndone`, `.mergeErased`, `.unmergeBlocked`,
    ///   `.linkNotFound`, `.limitExceeded`.
    func unmerge(_ merge: MergeID, moving: [Identifier], context: ChangeContext) async throws -> UnmergeOutcome

    func mergeRecord(_ id: MergeID) async throws -> MergeRecord?

    /// Every merge `customer` took part in, oldest first.
    func merges(involving customer: CustomerID) async throws -> [MergeRecord]

    /// Erases a customer on request: links, profile and merge snapshots are deleted, the id (and
    /// every id merged into it) becomes a tombstone, and an `erased` entry is appended. Earlier
    /// entries stay; they hold keyed hashes, never values.
    /// - Throws: `.customerNotFound`, `.customerErased`, `.customerMerged` (erase the survivor).
    func erase(_ customer: CustomerID, context: ChangeContext) async throws -> ErasureOutcome

    /// Appends an entry that records an event without changing the graph (a token exchange:
    /// who obtained a token for whom). With `identifier`, the store fills in its kind, namespace
    /// and value hash under the customer's key and keeps its sealed detail, like for a link.
    /// Returns it with its sequence number.
    func recordEvent(_ record: LinkLogRecord, identifier: Identifier?) async throws -> LinkLogEntry

    /// Link-log entries in sequence order, after `after` (exclusive), at most `limit`.
    func linkLog(customer: CustomerID?, after: Int64?, limit: Int) async throws -> [LinkLogEntry]

    /// Entries matching every filter of `query`, in sequence order after `after` (exclusive), at
    /// most `limit`, each with its readable detail while the customer's key exists (until erasure).
    func searchLinkLog(_ query: LinkLogQuery, after: Int64?, limit: Int) async throws -> [ReviewedLogEntry]

    /// Pairs recorded when a link was refused, most recent first. Pairs whose customers were
    /// merged or erased since are left out.
    func duplicateCandidates(limit: Int) async throws -> [DuplicateCandidate]

    /// The CPU work of importing `batch` (rules, profiles, the link-log cryptography), without the
    /// database: ``PreparedImport``.
    func prepareImport(_ batch: [NewCustomer], context: ChangeContext) async throws -> PreparedImport

    /// Creates the customers of a prepared batch in as few transactions as the backend likes; each
    /// customer is still all or nothing (a conflict with the graph, or with an earlier customer of
    /// the batch, refuses that customer alone), and one refused customer does not affect the others.
    /// - Returns: one result per item of `prepared`, in order.
    func importCustomers(_ prepared: PreparedImport) async throws -> [Result<CustomerID, IdentityGraphError>]

    /// Runs `body`, a bulk import of many batches (``importCustomers(_:)``). A store may make a
    /// first load into an empty graph faster here, for example by building its secondary indexes
    /// once at the end instead of row by row. Every answer of the store is the same either way
    /// (only slower, meanwhile, for reads those indexes serve), and the store is fully indexed
    /// again when this returns or throws. The default runs `body` and nothing else.
    nonisolated(nonsending) func bulkLoad<T>(_ body: () async throws -> T) async throws -> T

    // MARK: The verifiable log

    /// The log's current size and root.
    func logTreeHead() async throws -> LogTreeHead

    /// The root hash when the log had `size` entries.
    /// - Throws: `.logRange` when `size` exceeds the log.
    func logRoot(size: UInt64) async throws -> [UInt8]

    /// The RFC 9162 inclusion proof of leaf `index` in the tree of `size` leaves.
    /// - Throws: `.logRange` unless `index < size <= current size`.
    func logInclusionProof(index: UInt64, size: UInt64) async throws -> [[UInt8]]

    /// The RFC 9162 consistency proof from the tree of `from` leaves to the tree of `to` leaves.
    /// - Throws: `.logRange` unless `0 < from <= to <= current size`.
    func logConsistencyProof(from: UInt64, to: UInt64) async throws -> [[UInt8]]

    /// Stores a signed checkpoint for `checkpoint.size`; when one exists for that size, returns it
    /// instead (so that concurrent signers agree).
    /// - Throws: `.storage` when the stored one has another root: the log was rewritten.
    func saveCheckpoint(_ checkpoint: StoredCheckpoint) async throws -> StoredCheckpoint

    /// The checkpoint of the largest size, if any was signed.
    func latestCheckpoint() async throws -> StoredCheckpoint?

    /// Succeeds when the store can serve requests (a trivial query); for readiness checks.
    func ping() async throws

    /// Counts, for tests and operators; may be slow on a large graph.
    func statistics() async throws -> StoreStatistics
}

/// Sizes of the stored graph.
public struct StoreStatistics: Sendable, Equatable {
    public var customers: Int
    public var links: Int
    public var logEntries: Int

    public init(customers: Int, links: Int, logEntries: Int) {
        self.customers = customers
        self.links = links
        self.logEntries = logEntries
    }
}

/// The size and root hash of the verifiable link log (RFC 9162): leaf `i` is the entry with
/// sequence number `i + 1`, hashed as ``LinkLogEntry/leafBytes``.
public struct LogTreeHead: Sendable, Equatable {
    public var size: UInt64
    /// SHA-256 root hash, 32 bytes.
    public var root: [UInt8]

    public init(size: UInt64, root: [UInt8]) {
        self.size = size
        self.root = root
    }
}

/// A signed checkpoint as stored: one per tree size, never two roots for one size.
public struct StoredCheckpoint: Sendable, Equatable {
    public var size: UInt64
    public var root: [UInt8]
    /// The C2SP signed note.
    public var note: String
    public var createdAt: Date

    public init(size: UInt64, root: [UInt8], note: String, createdAt: Date) {
        self.size = size
        self.root = root
        self.note = note
        self.createdAt = createdAt
    }
}

extension IdentityStore {
    nonisolated(nonsending) public func bulkLoad<T>(_ body: () async throws -> T) async throws -> T {
        try await body()
    }

    /// Prepares and imports `batch` in one call (``prepareImport(_:context:)``, then
    /// ``importCustomers(_:)``).
    /// - Returns: one result per input, in order.
    public func importCustomers(_ batch: [NewCustomer], context: ChangeContext) async throws -> [Result<CustomerID, IdentityGraphError>] {
        try await importCustomers(try await prepareImport(batch, context: context))
    }
}
