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
    /// who obtained a token for whom). Returns it with its sequence number.
    func recordEvent(_ record: LinkLogRecord) async throws -> LinkLogEntry

    /// Link-log entries in sequence order, after `after` (exclusive), at most `limit`.
    func linkLog(customer: CustomerID?, after: Int64?, limit: Int) async throws -> [LinkLogEntry]

    /// Pairs recorded when a link was refused, most recent first. Pairs whose customers were
    /// merged or erased since are left out.
    func duplicateCandidates(limit: Int) async throws -> [DuplicateCandidate]

    /// Creates many customers in as few transactions as the backend likes; each customer is still
    /// all or nothing, and one refused customer does not affect the others.
    /// - Returns: one result per input, in order.
    func importCustomers(_ batch: [NewCustomer], context: ChangeContext) async throws -> [Result<CustomerID, IdentityGraphError>]

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
