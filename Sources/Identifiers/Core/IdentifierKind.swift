/// The kinds of identifier a customer can be known by.
public enum IdentifierKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// An email address, normalized to lowercase with an IDNA (punycode) domain.
    case email
    /// A phone number in E.164 form, e.g. `+358401234567`.
    case phone
    /// An account on a social network or identity provider; the namespace names the network.
    case social
    /// A loyalty card number; the namespace names the loyalty program.
    case loyaltyCard = "loyalty_card"
    /// A till receipt (terminal and receipt number); the namespace names the store.
    case receipt

    /// Whether identifiers of this kind live in a namespace (network, program or store).
    ///
    /// `social`, `loyalty_card` and `receipt` require one; `email` and `phone` are global.
    public var requiresNamespace: Bool {
        switch self {
        case .email, .phone: false
        case .social, .loyaltyCard, .receipt: true
        }
    }

    /// Looks a kind up by its wire name, ignoring ASCII case and surrounding whitespace.
    init?(lenient name: String) {
        if let kind = IdentifierKind(rawValue: name) {
            self = kind
            return
        }
        let folded = TextScanning.trimmingWhitespace(name).lowercased()
        guard let kind = IdentifierKind(rawValue: folded) else { return nil }
        self = kind
    }
}
