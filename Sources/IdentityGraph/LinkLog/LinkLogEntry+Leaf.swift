import Foundation
import Identifiers

extension LinkLogEntry {
    /// The version byte of ``leafBytes``. A new encoding gets a new version; old leaves keep theirs.
    public static let leafVersion: UInt8 = 1

    /// The entry as a leaf of the verifiable log: a deterministic, versioned encoding.
    ///
    /// Version 1: the byte `0x01`; the sequence number and the time (milliseconds since 1970) as
    /// 8-byte big-endian integers; then, in this order, `actor`, `action`, `customer_id`, `kind`,
    /// `namespace`, `value_hash`, `assurance`, `reason`, `operator`, `related_customer_id`,
    /// `merge_id`, each as a presence byte (`0x00` absent, `0x01` present) followed, when present,
    /// by its UTF-8 length as a 4-byte big-endian integer and the UTF-8 bytes. `docs/auditing.md`
    /// repeats this for independent verifiers.
    public var leafBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        bytes.append(Self.leafVersion)
        Self.append(UInt64(bitPattern: sequence), to: &bytes)
        Self.append(UInt64(bitPattern: Int64((record.time.timeIntervalSince1970 * 1000).rounded())), to: &bytes)
        for field in [
            record.actor, record.action.rawValue, record.customerID.rawValue, record.identifierKind?.rawValue, record.namespace,
            record.valueHash, record.assurance?.rawValue, record.reason, record.operatorName, record.relatedCustomerID?.rawValue,
            record.mergeID?.rawValue,
        ] as [String?] {
            guard let field else {
                bytes.append(0)
                continue
            }
            bytes.append(1)
            Self.append(UInt32(field.utf8.count), to: &bytes)
            bytes.append(contentsOf: field.utf8)
        }
        return bytes
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
