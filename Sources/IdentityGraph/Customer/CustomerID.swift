public import Foundation

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
        var high = generator.next() as UInt64
        var low = generator.next() as UInt64
        var characters = [UInt8](repeating: 0, count: 26)
        // 128 bits in 26 base32 digits (130 bits, the top two always zero), least significant last.
        for index in stride(from: 25, through: 0, by: -1) {
            characters[index] = alphabet[Int(low & 31)]
            low = (low >> 5) | ((high & 31) << 59)
            high >>= 5
        }
        return CustomerID(unchecked: "cus_" + String(decoding: characters, as: UTF8.self))
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

    /// Lowercase RFC 4648 base32 alphabet.
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    private static func isWellFormed(_ string: String) -> Bool {
        let utf8 = string.utf8
        guard utf8.count == 30, string.hasPrefix("cus_") else { return false }
        return utf8.dropFirst(4).allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "2") && byte <= UInt8(ascii: "7"))
        }
    }
}
