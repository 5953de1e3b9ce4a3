import Foundation

/// A customer's stable, opaque identifier: `cus_` followed by 26 lowercase base32 characters
/// (128 random bits). It never encodes anything about the person.
public struct CustomerID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let rawValue: String

    /// Accepts only the exact shape Solmu generates, so that a malformed id is refused early.
    public init?(rawValue: String) {
        guard Self.isWellFormed(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// A new random customer id.
    public static func random() -> CustomerID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// A new customer id drawn from `generator` (tests pass a seeded one).
    public static func random(using generator: inout some RandomNumberGenerator) -> CustomerID {
        CustomerID(unchecked: RandomID.make(prefix: "cus_", using: &generator))
    }

    public var description: String { rawValue }

    public static func < (lhs: CustomerID, rhs: CustomerID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        guard let id = CustomerID(rawValue: string) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a customer id (cus_ and 26 base32 characters)")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private init(unchecked: String) { self.rawValue = unchecked }

    private static func isWellFormed(_ string: String) -> Bool {
        RandomID.isWellFormed(string, prefix: "cus_")
    }
}
