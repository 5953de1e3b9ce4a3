public import Crypto
public import Identifiers
import Foundation

/// Turns an identifier into the keyed hash the link log stores instead of its value.
///
/// HMAC-SHA-256 over `kind 0x00 namespace 0x00 value`, so that equal values of different kinds
/// or namespaces never collide. Without the key, the hash cannot be checked against a guess.
public struct IdentifierHasher: Sendable {
    /// The HMAC with the key already absorbed, copied for each hash (it is a value type), so that
    /// the key's blocks are not hashed again for every identifier.
    private let keyed: HMAC<SHA256>

    public init(key: SymmetricKey) {
        self.keyed = HMAC<SHA256>(key: key)
    }

    public func hash(_ identifier: Identifier) -> String {
        var message = [UInt8]()
        message.reserveCapacity(identifier.value.utf8.count + 32)
        message.append(contentsOf: identifier.kind.rawValue.utf8)
        message.append(0)
        message.append(contentsOf: (identifier.namespace ?? "").utf8)
        message.append(0)
        message.append(contentsOf: identifier.value.utf8)
        var hmac = keyed
        hmac.update(data: message)
        return hmac.finalize().withUnsafeBytes { Base64URL.encode($0) }
    }

    /// A record for `action` on `identifier`.
    public func record(
        _ action: LinkLogAction, identifier: Identifier, customer: CustomerID, assurance: Assurance?,
        context: ChangeContext
    ) -> LinkLogRecord {
        LinkLogRecord(
            time: context.time, actor: context.actor, action: action, customerID: customer,
            identifierKind: identifier.kind, namespace: identifier.namespace, valueHash: hash(identifier),
            assurance: assurance, reason: context.reason, operatorName: context.operatorName
        )
    }
}

/// Base64url without padding (RFC 4648 §5), written directly: this runs for every link.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        var output = [UInt8]()
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output.append(alphabet[Int(value >> 18 & 63)])
            output.append(alphabet[Int(value >> 12 & 63)])
            output.append(alphabet[Int(value >> 6 & 63)])
            output.append(alphabet[Int(value & 63)])
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let value = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            output.append(alphabet[Int(value >> 18 & 63)])
            output.append(alphabet[Int(value >> 12 & 63)])
            if rest == 2 { output.append(alphabet[Int(value >> 6 & 63)]) }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
