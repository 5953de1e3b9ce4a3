/// A normalized identifier.
///
/// Only ``IdentifierNormalizer`` creates identifiers from client input; storage rehydrates stored
/// ones with ``init(trustedKind:namespace:value:)``. Two identifiers are equal exactly when they
/// name the same customer handle, so they can be used as keys.
///
/// - Important: The value is personal data. Never log an identifier or its ``description``.
public struct Identifier: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The kind of identifier.
    public let kind: IdentifierKind
    /// The network, loyalty program or store; `nil` for email and phone, lowercase otherwise.
    public let namespace: String?
    /// The normalized value.
    public let value: String

    /// Creates an identifier from already normalized parts without validating them.
    ///
    /// Use this only for values that came out of a normalizer earlier, e.g. when reading them back
    /// from storage.
    /// - Parameters:
    ///   - trustedKind: The kind.
    ///   - namespace: The namespace, `nil` for email and phone.
    ///   - value: The normalized value.
    public init(trustedKind: IdentifierKind, namespace: String?, value: String) {
        self.kind = trustedKind
        self.namespace = namespace
        self.value = value
    }

    /// The compact form `kind:value` or `kind:namespace:value`,
    /// e.g. `email:anna@example.com` or `loyalty_card:plussa:6012345678901234`.
    ///
    /// ``RawIdentifier/init(compact:)`` parses it back.
    public var compact: String {
        if let namespace {
            return "\(kind.rawValue):\(namespace):\(value)"
        }
        return "\(kind.rawValue):\(value)"
    }

    /// The compact form. Personal data: do not log it.
    public var description: String { compact }

    /// The raw form of this identifier, e.g. to send it back through a normalizer.
    public var raw: RawIdentifier {
        RawIdentifier(kind: kind.rawValue, namespace: namespace, value: value)
    }

    private enum CodingKeys: String, CodingKey {
        case kind, namespace, value
    }

    /// Decodes `{"kind": …, "namespace": …, "value": …}`; `namespace` may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.kind = try container.decode(IdentifierKind.self, forKey: .kind)
        self.namespace = try container.decodeIfPresent(String.self, forKey: .namespace)
        self.value = try container.decode(String.self, forKey: .value)
    }

    /// Encodes `{"kind": …, "namespace": …, "value": …}`, omitting `namespace` when it is `nil`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(namespace, forKey: .namespace)
        try container.encode(value, forKey: .value)
    }
}
