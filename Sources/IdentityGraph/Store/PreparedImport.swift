import Foundation

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
    }
}
