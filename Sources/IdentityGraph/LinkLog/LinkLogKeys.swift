public import Crypto
public import Identifiers
import Foundation

/// The keys that keep personal data out of the link log and let erasure forget it.
///
/// Each customer has their own two random 32-byte keys, stored by the store only wrapped
/// (AES-256-GCM under a key derived from the log key in `keys/`, bound to the customer id): the
/// key of the identifier hashes in their entries and the key that seals the readable detail kept
/// beside the log. Erasure deletes the wrapped secret: the hashes in the
/// tree stay (so it still verifies) but nobody can test a guessed value against them or read the
/// detail again. Searching the log by identifier uses a lookup hash under the log key that is
/// stored beside the log, never in it, and is deleted with the detail.
public struct LinkLogKeys: Sendable {
    private let wrapKey: SymmetricKey
    private let lookup: IdentifierHasher

    /// - Parameter master: the log key (`keys/link-log.key`, 32 bytes).
    public init(master: SymmetricKey) {
        wrapKey = Self.derive(master, "solmu link-log customer key wrap v1")
        lookup = IdentifierHasher(key: Self.derive(master, "solmu link-log identifier lookup v1"))
    }

    /// A new customer's key and its wrapped form, which is what the store keeps.
    public func newCustomerKey(for customer: CustomerID) throws -> (key: CustomerLogKey, wrapped: [UInt8]) {
        var random = BufferedRandom(capacity: 128)
        return try newCustomerKey(for: customer, using: &random)
    }

    /// A new customer's key and its wrapped form, with the secret and the nonce from `random`.
    public func newCustomerKey(for customer: CustomerID, using random: inout some RandomNumberGenerator) throws -> (key: CustomerLogKey, wrapped: [UInt8]) {
        var secret = random.bytes(count: CustomerLogKey.secretSize)
        defer { secret.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        let sealed = try AES.GCM.seal(
            secret, using: wrapKey, nonce: AES.GCM.Nonce(data: random.bytes(count: 12)), authenticating: Array(customer.rawValue.utf8)
        )
        guard let combined = sealed.combined else { throw IdentityGraphError.storage("cannot wrap a customer key") }
        return (try CustomerLogKey(secret: secret), Array(combined))
    }

    /// The customer key from its wrapped form.
    /// - Throws: `IdentityGraphError.storage` when it does not open under the log key for this
    ///   customer (another log key, or a row moved to another customer).
    public func customerKey(wrapped: [UInt8], for customer: CustomerID) throws -> CustomerLogKey {
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped)
            let secret = try AES.GCM.open(box, using: wrapKey, authenticating: Array(customer.rawValue.utf8))
            return try CustomerLogKey(secret: Array(secret))
        } catch {
            throw IdentityGraphError.storage("a customer's log key does not open under the log key")
        }
    }

    /// The hash the store files an entry's detail under, so that the log can be searched by
    /// identifier. Kept beside the log and deleted on erasure.
    public func lookupHash(_ identifier: Identifier) -> String {
        lookup.hash(identifier)
    }

    static func derive(_ key: SymmetricKey, _ info: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Array(info.utf8), outputByteCount: 32)
    }
}

/// One customer's link-log key: hashes their identifiers in entries and seals the detail.
public struct CustomerLogKey: Sendable {
    /// The hasher of the identifier values in this customer's entries.
    public let hasher: IdentifierHasher
    private let detailKey: SymmetricKey

    /// Two independent random keys: the hash key, then the detail key (no derivation needed).
    static let secretSize = 64

    init(secret: [UInt8]) throws {
        guard secret.count == Self.secretSize else { throw IdentityGraphError.storage("a customer's log key has the wrong length") }
        hasher = IdentifierHasher(key: SymmetricKey(data: secret[0..<32]))
        detailKey = SymmetricKey(data: secret[32..<64])
    }

    /// A record for `action` on `identifier`, its value hashed under this key.
    public func record(
        _ action: LinkLogAction, identifier: Identifier, customer: CustomerID, assurance: Assurance?, context: ChangeContext
    ) -> LinkLogRecord {
        hasher.record(action, identifier: identifier, customer: customer, assurance: assurance, context: context)
    }

    /// Seals `detail` for the entry `record` will become, bound to its customer and value hash:
    /// the sealed detail cannot be passed off as another customer's or another value's. (The
    /// sequence number is not bound: the detail can be sealed before the write assigns it.)
    public func seal(_ detail: LinkLogDetail, for record: LinkLogRecord) throws -> [UInt8] {
        var random = SystemRandomNumberGenerator()
        return try seal(detail, for: record, using: &random)
    }

    /// Seals `detail` for `record` under a nonce from `random`.
    public func seal(_ detail: LinkLogDetail, for record: LinkLogRecord, using random: inout some RandomNumberGenerator) throws -> [UInt8] {
        let sealed = try AES.GCM.seal(
            detail.encoded(), using: detailKey, nonce: AES.GCM.Nonce(data: random.bytes(count: 12)), authenticating: Self.associatedData(record)
        )
        guard let combined = sealed.combined else { throw IdentityGraphError.storage("cannot seal a log detail") }
        return Array(combined)
    }

    /// The detail sealed for `record`.
    /// - Throws: `IdentityGraphError.storage` when it does not open (another key or entry).
    public func open(_ sealed: [UInt8], for record: LinkLogRecord) throws -> LinkLogDetail {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return try LinkLogDetail(encoded: Array(try AES.GCM.open(box, using: detailKey, authenticating: Self.associatedData(record))))
        } catch {
            throw IdentityGraphError.storage("a log detail does not open under its customer's key")
        }
    }

    private static func associatedData(_ record: LinkLogRecord) -> [UInt8] {
        Array(record.customerID.rawValue.utf8) + [0] + Array((record.valueHash ?? record.action.rawValue).utf8)
    }
}
