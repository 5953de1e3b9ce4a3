import Foundation

/// RFC 3339 timestamps in UTC, whole seconds when writing; fractional seconds accepted when reading.
enum RFC3339 {
    static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    static func parse(_ string: String) -> Date? {
        if let date = try? Date(string, strategy: .iso8601) { return date }
        return try? Date(string, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func decode<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, forKey key: Key) throws -> Date {
        let string = try container.decode(String.self, forKey: key)
        guard let date = parse(string) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not an RFC 3339 timestamp")
        }
        return date
    }
}
