/// A merge's stable id: `mrg_` followed by 26 lowercase base32 characters (128 random bits).
public struct MergeID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let rawValue: String

    /// Accepts only the exact shape Solmu generates.
    public init?(rawValue: String) {
        guard RandomID.isWellFormed(rawValue, prefix: "mrg_") else { return nil }
        self.rawValue = rawValue
    }

    public static func random() -> MergeID {
        var generator = SystemRandomNumberGenerator()
        return MergeID(unchecked: RandomID.make(prefix: "mrg_", using: &generator))
    }

    public var description: String { rawValue }

    public static func < (lhs: MergeID, rhs: MergeID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let id = MergeID(rawValue: try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a merge id (mrg_ and 26 base32 characters)")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private init(unchecked: String) { self.rawValue = unchecked }
}
