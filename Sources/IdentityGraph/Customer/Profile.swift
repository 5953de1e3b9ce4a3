public import Foundation

/// What a customer tells about themselves, beyond identifiers. Field names follow the OpenID
/// Connect standard claims where one exists.
public struct Profile: Sendable, Codable, Equatable {
    public var givenName: String?
    public var familyName: String?
    /// `YYYY-MM-DD`.
    public var birthdate: String?
    public var postalCode: String?
    /// ISO 3166-1 alpha-2, uppercase.
    public var country: String?
    /// A BCP 47 language tag such as `fi-FI`.
    public var locale: String?

    public init(
        givenName: String? = nil, familyName: String? = nil, birthdate: String? = nil,
        postalCode: String? = nil, country: String? = nil, locale: String? = nil
    ) {
        self.givenName = givenName
        self.familyName = familyName
        self.birthdate = birthdate
        self.postalCode = postalCode
        self.country = country
        self.locale = locale
    }

    public var isEmpty: Bool { self == Profile() }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case givenName = "given_name"
        case familyName = "family_name"
        case birthdate
        case postalCode = "postal_code"
        case country
        case locale
    }

    /// Decodes strictly: an unknown field is an error rather than silently dropped data.
    public init(from decoder: any Decoder) throws {
        let any = try decoder.container(keyedBy: AnyCodingKey.self)
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = any.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath + [unknown],
                debugDescription: "unknown profile field '\(unknown.stringValue)'; known fields: \(known.sorted().joined(separator: ", "))"
            ))
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.givenName = try container.decodeIfPresent(String.self, forKey: .givenName)
        self.familyName = try container.decodeIfPresent(String.self, forKey: .familyName)
        self.birthdate = try container.decodeIfPresent(String.self, forKey: .birthdate)
        self.postalCode = try container.decodeIfPresent(String.self, forKey: .postalCode)
        self.country = try container.decodeIfPresent(String.self, forKey: .country)
        self.locale = try container.decodeIfPresent(String.self, forKey: .locale)
    }

    /// The profile with whitespace trimmed and empty strings dropped, or the first field that is
    /// not acceptable. Reasons never repeat the value.
    public func normalized(today: Date = Date()) throws(ProfileError) -> Profile {
        var result = Profile()
        result.givenName = try Self.name(givenName, field: "given_name")
        result.familyName = try Self.name(familyName, field: "family_name")
        if let birthdate = Self.trimmed(birthdate) {
            guard let date = Self.parseDate(birthdate) else {
                throw ProfileError(field: "birthdate", reason: "must be a calendar date written YYYY-MM-DD")
            }
            guard date <= today, birthdate >= "1900-01-01" else {
                throw ProfileError(field: "birthdate", reason: "must be between 1900-01-01 and today")
            }
            result.birthdate = birthdate
        }
        if let postalCode = Self.trimmed(postalCode) {
            let uppercased = postalCode.uppercased()
            guard uppercased.count <= 16,
                  uppercased.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == " " || $0 == "-" })
            else {
                throw ProfileError(field: "postal_code", reason: "must be at most 16 letters, digits, spaces or dashes")
            }
            result.postalCode = uppercased
        }
        if let country = Self.trimmed(country) {
            guard country.utf8.count == 2, country.utf8.allSatisfy({ ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }) else {
                throw ProfileError(field: "country", reason: "must be an ISO 3166-1 alpha-2 code such as FI")
            }
            result.country = country.uppercased()
        }
        if let locale = Self.trimmed(locale) {
            let parts = locale.split(separator: "-", omittingEmptySubsequences: false)
            guard locale.utf8.count <= 35, !parts.isEmpty,
                  parts.allSatisfy({ (1...8).contains($0.count) && $0.utf8.allSatisfy { byte in
                      (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                  } })
            else {
                throw ProfileError(field: "locale", reason: "must be a BCP 47 language tag such as fi-FI")
            }
            result.locale = locale
        }
        return result
    }

    private static func trimmed(_ value: String?) -> String? {
        guard let value else { return nil }
        // Starting and ending with a visible ASCII character: nothing to trim (the usual case).
        if let first = value.utf8.first, let last = value.utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return value
        }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func name(_ value: String?, field: String) throws(ProfileError) -> String? {
        guard let name = trimmed(value) else { return nil }
        guard name.utf8.count <= 200 else {
            throw ProfileError(field: field, reason: "must be at most 200 bytes of UTF-8")
        }
        // ASCII, most names: no format characters exist there, the controls are C0 and DEL, and
        // the string is already in NFC. The general path costs a Foundation string bridge.
        let ascii = name.utf8.allSatisfy { $0 < 0x80 }
        let forbidden = ascii
            ? name.utf8.contains { $0 < 0x20 || $0 == 0x7F }
            : name.unicodeScalars.contains { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }
        guard !forbidden else {
            throw ProfileError(field: field, reason: "must not contain control or formatting characters")
        }
        return ascii ? name : name.precomposedStringWithCanonicalMapping
    }

    private static func parseDate(_ string: String) -> Date? {
        let parts = string.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else { return nil }
        return date
    }
}

/// A profile field that is not acceptable.
public struct ProfileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The JSON name of the field.
    public let field: String
    public let reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "profile.\(field) \(reason)" }
}

/// A coding key for any string, used to find unknown fields.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}
