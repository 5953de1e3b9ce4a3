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

    /// Version byte 1, then `value` and `name`, each a presence byte (0 or 1) followed, when
    /// present, by its UTF-8 length as 4 bytes big-endian and the bytes. Written by hand: one
    /// detail is sealed for every link.
    func encoded() -> [UInt8] {
        var bytes: [UInt8] = [1]
        bytes.reserveCapacity(11 + (value?.utf8.count ?? 0) + (name?.utf8.count ?? 0))
        for member in [value, name] {
            guard let member else {
                bytes.append(0)
                continue
            }
            bytes.append(1)
            withUnsafeBytes(of: UInt32(member.utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: member.utf8)
        }
        return bytes
    }

    init(encoded bytes: [UInt8]) throws {
        guard bytes.first == 1 else { throw IdentityGraphError.storage("unknown log detail version") }
        var index = 1
        func member() throws -> String? {
            guard index < bytes.count else { throw IdentityGraphError.storage("a truncated log detail") }
            let present = bytes[index]
            index += 1
            guard present == 1 else {
                guard present == 0 else { throw IdentityGraphError.storage("a malformed log detail") }
                return nil
            }
            guard index + 4 <= bytes.count else { throw IdentityGraphError.storage("a truncated log detail") }
            let length = bytes[index..<(index + 4)].reduce(0) { $0 << 8 | Int($1) }
            index += 4
            guard index + length <= bytes.count, let text = String(validating: bytes[index..<(index + length)], as: UTF8.self) else {
                throw IdentityGraphError.storage("a malformed log detail")
            }
            index += length
            return text
        }
        let value = try member()
        let name = try member()
        guard index == bytes.count else { throw IdentityGraphError.storage("a malformed log detail") }
        self.init(value: value, name: name)
    }
}
