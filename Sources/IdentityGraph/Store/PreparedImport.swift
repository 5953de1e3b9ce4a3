import Foundation
public import VerifiableLog

/// A batch of new customers ready for a store to write: checked against the graph's rules, their
/// profiles encoded, and the cryptography of their link-log entries done (``NewCustomerLog``, on
/// all cores but one).
///
/// Preparing needs no database, so a bulk import prepares its next batch on the other cores
/// while the store writes this one. Whether an identifier is already taken is not decided here:
/// the store decides that in its write transaction, against the graph as it is then.
public struct PreparedImport: Sendable {
    /// A customer that passed the rules, with everything its rows need.
    public struct Item: Sendable {
        public let customer: NewCustomer
        public let profileJSON: String?
        public let log: NewCustomerLog
    }

    public let context: ChangeContext
    /// One per customer of the batch, in order: what to write, or why the rules refused it.
    public let items: [Result<Item, IdentityGraphError>]
    /// The number of log entries of the accepted customers (``NewCustomerLog/entryCount``).
    public let entryCount: Int
    /// Their leaf hashes, when the store predicted their sequence numbers
    /// (``predictLeaves(firstSequence:)``).
    public private(set) var leaves: PredictedLeaves?

    /// Checks and prepares `batch`, recording `context` (actor, reason, time) on every entry.
    public init(_ batch: [NewCustomer], context: ChangeContext, rules: GraphRules, keys: LinkLogKeys) throws {
        var checked: [Result<(NewCustomer, String?), IdentityGraphError>] = []
        checked.reserveCapacity(batch.count)
        for new in batch {
            do {
                try rules.checkNewCustomer(new.identifiers.map(\.identifier))
                checked.append(.success((new, try StoredValues.profileJSON(new.profile))))
            } catch let error as IdentityGraphError {
                checked.append(.failure(error))
            }
        }
        let accepted = checked.compactMap { try? $0.get().0 }
        var logs = try NewCustomerLog.batch(accepted, context: context, keys: keys)[...]
        self.context = context
        self.items = checked.map { result in
            result.map { new, profileJSON in Item(customer: new, profileJSON: profileJSON, log: logs.popFirst()!) }
        }
        entryCount = items.reduce(0) { $0 + ((try? $1.get())?.log.entryCount ?? 0) }
    }

    /// Hashes the accepted customers' entries as leaves, numbered from `firstSequence` in the
    /// order the store appends them (on all cores but one, like the rest of the preparation).
    public mutating func predictLeaves(firstSequence: Int64) {
        let records = items.flatMap { (try? $0.get())?.log.records ?? [] }
        leaves = PredictedLeaves(records: records, firstSequence: firstSequence, workers: ProcessInfo.processInfo.activeProcessorCount - 1)
    }
}
