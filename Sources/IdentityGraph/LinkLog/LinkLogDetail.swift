import Foundation

/// The readable side of a link-log entry: what the keyed hash stands for. Personal data, so it is
/// stored beside the log sealed under the customer's key (``CustomerLogKey``) and is gone once
/// the customer is erased.
public struct LinkLogDetail: Sendable, Codable, Equatable {
    /// The identifier's normalized value (entries about an identifier).
    public var value: String?
    /// The customer's name when the entry was written (`customer_created`).
    public var name: String?

    public init(value: String? = nil, name: String? = nil) {
        self.value = value
        self.name = name
    }

    public var isEmpty: Bool { value == nil && name == nil }

    /// Version byte 1, then JSON with sorted keys.
    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return [1] + Array(try encoder.encode(self))
    }

    init(encoded bytes: [UInt8]) throws {
        guard bytes.first == 1 else { throw IdentityGraphError.storage("unknown log detail version") }
        self = try JSONDecoder().decode(LinkLogDetail.self, from: Data(bytes.dropFirst()))
    }
}
