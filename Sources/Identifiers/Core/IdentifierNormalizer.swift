/// Normalizes and validates raw identifiers under a policy.
///
/// Normalization is deterministic: equal inputs (up to case, width, whitespace and formatting that
/// the rules for the kind ignore) give equal ``Identifier`` values. Errors never contain the input.
///
/// ```swift
/// let normalizer = IdentifierNormalizer(policy: .default)
/// let id = try normalizer.normalize(kind: .phone, namespace: nil, value: "040 123 4567")
/// // id.value == "+358401234567"
/// ```
public struct IdentifierNormalizer: Sendable {
    /// The policy in force.
    public let policy: IdentifierPolicy

    private let phoneParser: PhoneNumberParser
    private let socialRules: [String: SocialNormalizer]
    private let receiptRules: ReceiptNormalizer

    /// Creates a normalizer.
    /// - Parameter policy: The policy to apply.
    public init(policy: IdentifierPolicy) {
        self.policy = policy
        self.phoneParser = PhoneNumberParser(policy: policy.phone)
        self.socialRules = Dictionary(uniqueKeysWithValues: policy.social.map { ($0.key, SocialNormalizer(network: $0.key, policy: $0.value)) })
        self.receiptRules = ReceiptNormalizer(policy: policy.receipts)
    }

    /// Normalizes an identifier as received from a client.
    /// - Parameter raw: The raw identifier.
    /// - Returns: The normalized identifier.
    /// - Throws: ``IdentifierError``; `unknown_kind` when the kind is not known.
    public func normalize(_ raw: RawIdentifier) throws(IdentifierError) -> Identifier {
        guard raw.kind.utf8.count <= 64, let kind = IdentifierKind(lenient: raw.kind) else {
            throw IdentifierError(.unknownKind, reason: "the kind is not one of \(IdentifierKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return try normalize(kind: kind, namespace: raw.namespace, value: raw.value)
    }

    /// Normalizes a value of a known kind.
    /// - Parameters:
    ///   - kind: The kind.
    ///   - namespace: The network, program or store; must be `nil` (or blank) for email and phone.
    ///   - value: The value as received.
    /// - Returns: The normalized identifier.
    /// - Throws: ``IdentifierError`` with ``IdentifierError/kind`` set to `kind`.
    public func normalize(kind: IdentifierKind, namespace: String?, value: String) throws(IdentifierError) -> Identifier {
        do throws(IdentifierError) {
            guard value.utf8.count <= TextScanning.maximumInputLength else {
                throw IdentifierError(.tooLong, reason: "the value is longer than \(TextScanning.maximumInputLength) bytes")
            }
            let namespace = try Self.normalizeNamespace(namespace)
            switch kind {
            case .email, .phone:
                guard namespace == nil else {
                    throw IdentifierError(.unexpectedNamespace, reason: "\(kind.rawValue) identifiers have no namespace")
                }
            case .social, .loyaltyCard, .receipt:
                guard namespace != nil else {
                    throw IdentifierError(.missingNamespace, reason: Self.missingNamespaceReason(kind))
                }
            }
            let trimmed = TextScanning.trimmingWhitespace(value)
            guard !trimmed.isEmpty else {
                throw IdentifierError(.empty, reason: "the value is empty")
            }
            switch kind {
            case .email:
                return Identifier(trustedKind: .email, namespace: nil, value: try EmailNormalizer.normalize(trimmed))
            case .phone:
                return Identifier(trustedKind: .phone, namespace: nil, value: try phoneParser.e164(trimmed))
            case .social:
                guard let network = namespace, let rules = socialRules[network] else {
                    throw IdentifierError(.unknownNamespace, reason: "the social network is not configured; known networks: \(policy.social.keys.sorted().joined(separator: ", "))")
                }
                return Identifier(trustedKind: .social, namespace: network, value: try rules.normalize(trimmed))
            case .loyaltyCard:
                guard let program = namespace, let rules = policy.loyaltyPrograms[program] else {
                    throw IdentifierError(.unknownNamespace, reason: "the loyalty program is not configured; known programs: \(policy.loyaltyPrograms.keys.sorted().joined(separator: ", "))")
                }
                return Identifier(trustedKind: .loyaltyCard, namespace: program, value: try LoyaltyCardNormalizer.normalize(trimmed, program: rules))
            case .receipt:
                let store = try receiptRules.validateStore(namespace!)
                return Identifier(trustedKind: .receipt, namespace: store, value: try receiptRules.normalize(trimmed, store: store))
            }
        } catch {
            throw error.attributed(to: kind)
        }
    }

    private static func missingNamespaceReason(_ kind: IdentifierKind) -> String {
        switch kind {
        case .social: "a social identifier needs the network as its namespace"
        case .loyaltyCard: "a loyalty card needs the loyalty program as its namespace"
        case .receipt: "a receipt needs the store as its namespace"
        case .email, .phone: "\(kind.rawValue) identifiers have no namespace"
        }
    }

    private static let namespaceCharacters = TextScanning.CharacterSet("abcdefghijklmnopqrstuvwxyz0123456789-_.")

    /// Trims and lowercases a namespace; a blank namespace counts as none.
    static func normalizeNamespace(_ namespace: String?) throws(IdentifierError) -> String? {
        guard let namespace else { return nil }
        guard namespace.utf8.count <= TextScanning.maximumInputLength else {
            throw IdentifierError(.tooLong, reason: "the namespace is longer than \(TextScanning.maximumInputLength) bytes")
        }
        let trimmed = TextScanning.trimmingWhitespace(namespace)
        if trimmed.isEmpty { return nil }
        let lowered = TextScanning.asciiLowercased(trimmed)
        var count = 0
        for character in lowered {
            guard namespaceCharacters.contains(character) else {
                throw IdentifierError(.invalidCharacter, reason: "a namespace may contain only a-z, 0-9, '-', '_' and '.'")
            }
            count += 1
        }
        guard count <= 64 else {
            throw IdentifierError(.tooLong, reason: "a namespace has at most 64 characters, got \(count)")
        }
        return lowered
    }
}
