public import Crypto
public import Identifiers
import Foundation

/// Turns an identifier into the keyed hash the link log stores instead of its value.
///
/// HMAC-SHA-256 over `kind 0x00 namespace 0x00 value`, so that equal values of different kinds
/// or namespaces never collide. Without the key, the hash cannot be checked against a guess.
public struct IdentifierHasher: Sendable {
    private let key: SymmetricKey

    public init(key: SymmetricKey) {
        self.key = key
    }

    public func hash(_ identifier: Identifier) -> String {
        var message = [UInt8]()
        message.reserveCapacity(identifier.value.utf8.count + 32)
        message.append(contentsOf: identifier.kind.rawValue.utf8)
        message.append(0)
        message.append(contentsOf: (identifier.namespace ?? "").utf8)
        message.append(0)
        message.append(contentsOf: identifier.value.utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        return Data(mac).base64URLEncodedString()
    }

    /// A record for `action` on `identifier`.
    public func record(
        _ action: LinkLogAction, identifier: Identifier, customer: CustomerID, assurance: Assurance?,
        context: ChangeContext
    ) -> LinkLogRecord {
        LinkLogRecord(
            time: context.time, actor: context.actor, action: action, customerID: customer,
            identifierKind: identifier.kind, namespace: identifier.namespace, valueHash: hash(identifier),
            assurance: assurance, reason: context.reason
        )
    }
}

extension Data {
    /// Base64url without padding (RFC 4648 §5).
    func base64URLEncodedString() -> String {
        var string = base64EncodedString()
        string = string.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while string.hasSuffix("=") { string.removeLast() }
        return string
    }
}
