/// What the scoring loop needs of one identifier: hashes, never the value.
struct IdentifierFeature: BitwiseCopyable, Sendable {
    var exact: UInt64
    /// The loose key, or 0 when the identifier has none.
    var loose: UInt64
    /// ``IdentifierKindCode``.
    var kind: UInt8
    /// Whether the identifier's blocking key is shared by more records than the largest block:
    /// then agreement on it is no evidence. Set by blocking.
    var overshared = false

    /// The key it is blocked under: the loose key where there is one.
    var blockingKey: UInt64 { loose != 0 ? loose : exact }
}

/// Identifier kinds as small integers for the columns.
enum IdentifierKindCode {
    static let email: UInt8 = 0
    static let phone: UInt8 = 1
    static let social: UInt8 = 2
    static let loyaltyCard: UInt8 = 3
    static let receipt: UInt8 = 4
}
