public import Foundation
public import Identifiers

/// What a new customer's link-log entries need from cryptography, computed before the store's
/// write transaction (and for a batch, on all cores but one): their key and its wrapped form, the
/// records with the identifiers' hashes, the sealed details and the lookup hashes. The writer then
/// only inserts rows and extends the tree.
public struct NewCustomerLog: Sendable {
    public let key: CustomerLogKey
    /// The wrapped key the customer's row keeps.
    public let wrappedKey: [UInt8]
    /// The `customer_created` record and the sealed name, when the profile has one.
    public let created: LinkLogRecord
    public let sealedName: [UInt8]?
    /// One per identifier, in the order of `NewCustomer.identifiers`.
    public let links: [Entry]

    /// A `linked` entry: its record, its sealed detail and the lookup hash it is filed under.
    public struct Entry: Sendable {
        public let record: LinkLogRecord
        public let sealedDetail: [UInt8]
        public let lookup: String
    }

    /// The number of entries the store appends for the customer: `customer_created`, then one
    /// `linked` per identifier.
    public var entryCount: Int { 1 + links.count }

    /// The records of those entries, in the order the store appends them.
    public var records: [LinkLogRecord] { [created] + links.map(\.record) }

    public init(for new: NewCustomer, context: ChangeContext, keys: LinkLogKeys) throws {
        var random = BufferedRandom(capacity: 256)
        try self.init(for: new, context: context, keys: keys, random: &random)
    }

    /// The log of `new`, its key and nonces from `random`.
    public init(for new: NewCustomer, context: ChangeContext, keys: LinkLogKeys, random: inout some RandomNumberGenerator) throws {
        let (key, wrappedKey) = try keys.newCustomerKey(for: new.id, using: &random)
        let created = LinkLogRecord(time: context.time, actor: context.actor, action: .customerCreated, customerID: new.id, reason: context.reason)
        let name = [new.profile.givenName, new.profile.familyName].compactMap { $0 }.joined(separator: " ")
        self.key = key
        self.wrappedKey = wrappedKey
        self.created = created
        sealedName = name.isEmpty ? nil : try key.seal(LinkLogDetail(name: name), for: created, using: &random)
        var links: [Entry] = []
        links.reserveCapacity(new.identifiers.count)
        for item in new.identifiers {
            let record = key.record(.linked, identifier: item.identifier, customer: new.id, assurance: item.assurance, context: context)
            links.append(Entry(
                record: record, sealedDetail: try key.seal(LinkLogDetail(value: item.identifier.value), for: record, using: &random),
                lookup: keys.lookupHash(item.identifier)
            ))
        }
        self.links = links
    }

    /// The logs of a batch, computed on all cores but one.
    public static func batch(_ customers: [NewCustomer], context: ChangeContext, keys: LinkLogKeys) throws -> [NewCustomerLog] {
        // All cores but one: a bulk import computes a batch while the store's writer (one thread)
        // writes the previous one.
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount - 1, customers.count / 1_000 + 1))
        return try ConcurrentChunks.map(count: customers.count, workers: workers) { range throws(any Error) in
            var random = BufferedRandom()
            return try customers[range].map { try NewCustomerLog(for: $0, context: context, keys: keys, random: &random) }
        }
    }
}
