/// What the normalizer accepts: the phone region, the social networks, the loyalty programs and
/// the receipt formats.
public struct IdentifierPolicy: Sendable, Equatable {
    /// Phone number rules.
    public var phone: PhonePolicy
    /// Social networks by namespace (lowercase), e.g. `instagram`.
    public var social: [String: SocialNetworkPolicy]
    /// Loyalty programs by namespace (lowercase), e.g. `plussa`.
    public var loyaltyPrograms: [String: LoyaltyProgramPolicy]
    /// Receipt rules.
    public var receipts: ReceiptPolicy

    /// Creates a policy.
    /// - Parameters:
    ///   - phone: Phone number rules.
    ///   - social: Social networks keyed by lowercase namespace.
    ///   - loyaltyPrograms: Loyalty programs keyed by lowercase namespace.
    ///   - receipts: Receipt rules.
    public init(
        phone: PhonePolicy,
        social: [String: SocialNetworkPolicy],
        loyaltyPrograms: [String: LoyaltyProgramPolicy],
        receipts: ReceiptPolicy
    ) {
        self.phone = phone
        self.social = social
        self.loyaltyPrograms = loyaltyPrograms
        self.receipts = receipts
    }

    /// Built-in defaults for a Nordic retailer: phone region FI; the social networks instagram, x,
    /// facebook, tiktok, google and apple; the loyalty programs `plussa` (16 digits with a Luhn
    /// check digit, any prefix) and `bonus` (8 to 12 digits, no check digit); the default receipt
    /// format.
    public static let `default` = IdentifierPolicy(
        phone: PhonePolicy(defaultRegion: "FI"),
        social: SocialNetworkPolicy.defaults,
        loyaltyPrograms: [
            "plussa": LoyaltyProgramPolicy(minLength: 16, maxLength: 16, alphabet: .digits, luhn: true),
            "bonus": LoyaltyProgramPolicy(minLength: 8, maxLength: 12, alphabet: .digits, luhn: false),
        ],
        receipts: ReceiptPolicy()
    )
}
