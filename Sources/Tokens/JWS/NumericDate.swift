import Foundation

/// JWT NumericDate (RFC 7519 §2): seconds since the epoch; read as any JSON number, written whole.
enum NumericDate {
    static func decode<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, forKey key: Key) throws -> Date {
        let seconds = try container.decode(Double.self, forKey: key)
        guard seconds.isFinite else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not a finite NumericDate")
        }
        return Date(timeIntervalSince1970: seconds)
    }

    static func decodeIfPresent<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, forKey key: Key) throws -> Date? {
        guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
        return try decode(container, forKey: key)
    }

    static func encode<Key: CodingKey>(_ date: Date, to container: inout KeyedEncodingContainer<Key>, forKey key: Key) throws {
        try container.encode(seconds(date), forKey: key)
    }

    /// The whole seconds a token carries for `date`.
    static func seconds(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down))
    }

    /// `date` truncated to whole seconds, as it will read back from a token.
    static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}
