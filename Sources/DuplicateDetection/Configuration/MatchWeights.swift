/// The weight each kind of evidence adds to a pair's score: positive for agreement, negative for
/// disagreement, in the spirit of Fellegi–Sunter record linkage.
///
/// ```swift
/// var configuration = MatchConfiguration.default
/// configuration.weights[.postalCodeEqual] = 0.05
/// ```
public struct MatchWeights: Sendable, Equatable {
    private var values: [Double]

    /// Weights from a table; codes not in it weigh 0.
    public init(_ weights: [MatchReason.Code: Double]) {
        values = MatchReason.Code.allCases.map { weights[$0] ?? 0 }
    }

    /// The weight of one kind of evidence.
    public subscript(code: MatchReason.Code) -> Double {
        get { values[Self.index(of: code)] }
        set { values[Self.index(of: code)] = newValue }
    }

    /// The defaults, chosen so that one strong identifier agreement (a refused link, one mailbox)
    /// or agreeing names and birth date reach the default threshold 0.70, and a clearly different
    /// given name or birth date pulls a pair well below it. `docs/duplicates.md` lists them.
    public static let `default` = MatchWeights([
        .refusedLink: 0.75,
        .emailEqual: 0.75,
        .emailLooseEqual: 0.70,
        .phoneEqual: 0.65,
        .phoneLooseEqual: 0.50,
        .identifierEqual: 0.75,
        .givenNameEqual: 0.20,
        .givenNamePartial: 0.15,
        .givenNameNickname: 0.15,
        .givenNameSimilar: 0.15,
        .givenNameDifferent: -0.50,
        .familyNameEqual: 0.20,
        .familyNamePartial: 0.15,
        .familyNameSimilar: 0.15,
        .familyNameDifferent: -0.15,
        .namesSwapped: 0.38,
        .birthdateEqual: 0.35,
        .birthdateDayMonthSwapped: 0.10,
        .birthdateOneTypo: 0.10,
        .birthdateDifferent: -0.45,
        .postalCodeEqual: 0.10,
        .postalCodeDifferent: -0.03,
    ])

    private static let indexes: [MatchReason.Code: Int] = Dictionary(
        uniqueKeysWithValues: MatchReason.Code.allCases.enumerated().map { ($1, $0) }
    )

    private static func index(of code: MatchReason.Code) -> Int { indexes[code]! }
}
