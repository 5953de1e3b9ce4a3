public import Foundation
public import Identifiers

/// How every store backend writes values into columns and reads them back: times as integer
/// milliseconds (rounded), ids and kinds checked on the way in, JSON with sorted keys (so equal
/// values store equal text) and millisecond dates. One definition, so that the backends round and
/// compare identically and the conformance suite sees the same values from each.
public enum StoredValues {
    public static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    public static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    public static func millis(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }

    public static func kind(_ name: String) throws -> IdentifierKind {
        guard let kind = IdentifierKind(rawValue: name) else { throw IdentityGraphError.storage("unknown identifier kind in store") }
        return kind
    }

    public static func customerID(_ raw: String) throws -> CustomerID {
        guard let id = CustomerID(rawValue: raw) else { throw IdentityGraphError.storage("malformed customer id in store") }
        return id
    }

    /// Sorted keys, dates as milliseconds.
    public static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .millisecondsSince1970
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw IdentityGraphError.storage("cannot encode \(type(of: value)) for the store")
        }
    }

    public static func decode<T: Decodable>(_ type: T.Type, json: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        do {
            return try decoder.decode(type, from: Data(json.utf8))
        } catch {
            throw IdentityGraphError.storage("malformed \(type) JSON in the store")
        }
    }

    /// A profile's column: `nil` for an empty profile.
    public static func profileJSON(_ profile: Profile) throws -> String? {
        profile.isEmpty ? nil : try json(profile)
    }

    public static func profile(json: String?) throws -> Profile {
        try json.map { try decode(Profile.self, json: $0) } ?? Profile()
    }
}
