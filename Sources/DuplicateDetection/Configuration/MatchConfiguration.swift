/// Everything that decides which pairs are found and how they are scored.
///
/// ``default`` is what `docs/duplicates.md` documents and what the labelled quality test measures.
public struct MatchConfiguration: Sendable, Equatable {
    /// Pairs scoring at least this much are reported when no other minimum is asked for.
    public var threshold: Double
    /// The weight of each kind of evidence.
    public var weights: MatchWeights
    /// Names at or above this Jaro–Winkler similarity count as the same name with a typo.
    public var similarNameThreshold: Double
    /// Names below this Jaro–Winkler similarity (and not nicknames of each other) count as
    /// different; between the two thresholds a name is no evidence either way.
    public var differentNameThreshold: Double
    /// The share of its weight that identifier evidence counts with when another identifier
    /// already agrees: a household that shares a phone often shares an e-mail address too, so
    /// the second agreement says less than the first.
    public var additionalIdentifierFactor: Double
    /// Groups of given names that are variants of one name, such as `["William", "Bill", "Will",
    /// "Liam"]`. Compared folded (lowercase, without diacritics). A name may be in several groups.
    public var nicknameGroups: [[String]]
    /// Providers with domain aliases or dot rules.
    public var emailProviders: [EmailProviderRule]
    /// Characters that start a sub-address in the local part of any domain (`anna+shop@…`).
    /// Only ASCII characters take effect.
    public var subaddressSeparators: [Character]
    /// The largest block that is compared pair by pair. A larger block (a store's phone number
    /// given by hundreds of customers, a very common name born in the same month) is skipped, and
    /// an identifier shared by more customers than this is no evidence.
    public var maxBlockSize: Int

    /// Creates a configuration; every parameter defaults to the value in ``default``.
    public init(
        threshold: Double = 0.70,
        weights: MatchWeights = .default,
        similarNameThreshold: Double = 0.90,
        differentNameThreshold: Double = 0.80,
        additionalIdentifierFactor: Double = 0.5,
        nicknameGroups: [[String]] = Nicknames.builtIn,
        emailProviders: [EmailProviderRule] = [.gmail],
        subaddressSeparators: [Character] = ["+"],
        maxBlockSize: Int = 50
    ) {
        self.threshold = threshold
        self.weights = weights
        self.similarNameThreshold = similarNameThreshold
        self.differentNameThreshold = differentNameThreshold
        self.additionalIdentifierFactor = additionalIdentifierFactor
        self.nicknameGroups = nicknameGroups
        self.emailProviders = emailProviders
        self.subaddressSeparators = subaddressSeparators
        self.maxBlockSize = maxBlockSize
    }

    /// Threshold 0.70, ``MatchWeights/default``, names similar at Jaro–Winkler ≥ 0.90 and
    /// different below 0.80, additional identifiers at half weight, the built-in nickname table,
    /// Gmail's dot and alias rules, `+` sub-addressing and blocks of at most 50 customers.
    public static let `default` = MatchConfiguration()
}
