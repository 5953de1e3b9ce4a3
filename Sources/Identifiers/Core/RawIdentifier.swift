/// An identifier as received from a client, not yet normalized.
///
/// Pass it to ``IdentifierNormalizer/normalize(_:)`` to get an ``Identifier``.
public struct RawIdentifier: Hashable, Sendable, Codable {
    /// The kind's wire name, e.g. `email` or `loyalty_card`.
    public var kind: String
    /// The namespace (network, program or store) for kinds that require one.
    public var namespace: String?
    /// The value as the client sent it.
    public var value: String

    /// Creates a raw identifier.
    /// - Parameters:
    ///   - kind: The kind's wire name.
    ///   - namespace: The namespace, for kinds that require one.
    ///   - value: The value as received.
    public init(kind: String, namespace: String? = nil, value: String) {
        self.kind = kind
        self.namespace = namespace
        self.value = value
    }

    /// Parses the compact form `KIND:VALUE` or `KIND:NAMESPACE:VALUE`.
    ///
    /// The namespace is present exactly when the kind requires one; the value is everything after
    /// it and may itself contain `:`. The parts are not normalized here.
    /// - Parameter compact: The compact form, e.g. `loyalty_card:plussa:6012 3456 7890 1234`.
    /// - Throws: ``IdentifierError`` with code `too_long`, `invalid_syntax`, `unknown_kind` or
    ///   `missing_namespace`.
    public init(compact: String) throws(IdentifierError) {
        guard compact.utf8.count <= TextScanning.maximumInputLength else {
            throw IdentifierError(.tooLong, reason: "the compact identifier is longer than \(TextScanning.maximumInputLength) bytes")
        }
        guard let firstColon = compact.firstIndex(of: ":") else {
            throw IdentifierError(.invalidSyntax, reason: "a compact identifier has the form KIND:VALUE or KIND:NAMESPACE:VALUE, but there is no ':'")
        }
        let kindName = String(compact[..<firstColon])
        guard let kind = IdentifierKind(lenient: kindName) else {
            throw IdentifierError(.unknownKind, reason: "the kind is not one of \(IdentifierKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let rest = compact[compact.index(after: firstColon)...]
        if kind.requiresNamespace {
            guard let secondColon = rest.firstIndex(of: ":") else {
                throw IdentifierError(.missingNamespace, kind: kind, reason: "a \(kind.rawValue) identifier has the form \(kind.rawValue):NAMESPACE:VALUE, but the namespace is missing")
            }
            self.init(kind: kind.rawValue, namespace: String(rest[..<secondColon]), value: String(rest[rest.index(after: secondColon)...]))
        } else {
            self.init(kind: kind.rawValue, namespace: nil, value: String(rest))
        }
    }
}
