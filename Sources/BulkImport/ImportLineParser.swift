import IdentityGraph

/// Reads the usual shape of an import line without `JSONDecoder`, which took about a quarter of
/// a bulk import's preparation.
///
/// It understands exactly the members of ``ImportLine`` with string or `null` values, the JSON
/// whitespace and the string escapes, and answers `nil` for anything else: a number, a member it
/// does not know or that appears twice, a missing member, an escaped surrogate, an unknown
/// assurance, bytes that are not UTF-8. The importer then decodes the line with `JSONDecoder`,
/// whose answer (the value, or the reason a line is refused) stays the reference; so a line
/// this parser reads, it must read exactly as `JSONDecoder` would (checked by the tests on
/// fixed and generated lines).
struct ImportLineParser {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    /// The line, or `nil` when it is not in the shape this parser reads.
    static func parse(_ text: String) -> ImportLine? {
        var text = text
        return text.withUTF8 { utf8 in
            var parser = ImportLineParser(bytes: UnsafeRawBufferPointer(utf8))
            return parser.line()
        }
    }

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    private mutating func line() -> ImportLine? {
        var identifiers: [ImportLine.Item]?
        var profile: Profile??
        let complete = object { key, parser in
            switch key {
            case "identifiers" where identifiers == nil:
                identifiers = parser.items()
                return identifiers != nil
            case "profile" where profile == nil:
                if parser.null() {
                    profile = .some(nil)
                    return true
                }
                guard let read = parser.profile() else { return false }
                profile = read
                return true
            default:
                return false
            }
        }
        skipWhitespace()
        guard complete, position == bytes.count, let identifiers else { return nil }
        return ImportLine(identifiers: identifiers, profile: profile ?? nil)
    }

    private mutating func items() -> [ImportLine.Item]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var items: [ImportLine.Item] = []
        skipWhitespace()
        if take(UInt8(ascii: "]")) { return items }
        repeat {
            guard let item = item() else { return nil }
            items.append(item)
            skipWhitespace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? items : nil
    }

    private mutating func item() -> ImportLine.Item? {
        var kind: String?
        var namespace: String??
        var value: String?
        var assurance: Assurance??
        let complete = object { key, parser in
            switch key {
            case "kind" where kind == nil:
                kind = parser.string()
                return kind != nil
            case "value" where value == nil:
                value = parser.string()
                return value != nil
            case "namespace" where namespace == nil:
                guard let read = parser.optionalString() else { return false }
                namespace = read
                return true
            case "assurance" where assurance == nil:
                guard let read = parser.optionalString() else { return false }
                guard let read else {
                    assurance = .some(nil)
                    return true
                }
                guard let known = Assurance(rawValue: read) else { return false }
                assurance = known
                return true
            default:
                return false
            }
        }
        guard complete, let kind, let value else { return nil }
        return ImportLine.Item(kind: kind, namespace: namespace ?? nil, value: value, assurance: assurance ?? nil)
    }

    private mutating func profile() -> Profile? {
        var fields: [String: String?] = [:]
        let complete = object { key, parser in
            guard Self.profileFields.contains(key), fields[key] == nil, let value = parser.optionalString() else { return false }
            fields[key] = value
            return true
        }
        guard complete else { return nil }
        func field(_ key: String) -> String? { fields[key] ?? nil }
        return Profile(
            givenName: field("given_name"), familyName: field("family_name"), birthdate: field("birthdate"),
            postalCode: field("postal_code"), country: field("country"), locale: field("locale")
        )
    }

    /// The members of a profile, as `Profile` decodes them.
    private static let profileFields: Set<String> = ["given_name", "family_name", "birthdate", "postal_code", "country", "locale"]

    /// An object whose members `member` reads (it returns false to give up on the line).
    private mutating func object(_ member: (String, inout ImportLineParser) -> Bool) -> Bool {
        skipWhitespace()
        guard take(UInt8(ascii: "{")) else { return false }
        skipWhitespace()
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            skipWhitespace()
            guard let key = string() else { return false }
            skipWhitespace()
            guard take(UInt8(ascii: ":")) else { return false }
            skipWhitespace()
            guard member(key, &self) else { return false }
            skipWhitespace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    /// A string or `null`: `.some(nil)` for `null`, `nil` when it is neither.
    private mutating func optionalString() -> String?? {
        if null() { return .some(nil) }
        return string().map { .some($0) }
    }

    private mutating func null() -> Bool {
        guard bytes.count - position >= 4, bytes[position] == UInt8(ascii: "n"), bytes[position + 1] == UInt8(ascii: "u"),
              bytes[position + 2] == UInt8(ascii: "l"), bytes[position + 3] == UInt8(ascii: "l")
        else { return false }
        position += 4
        return true
    }

    /// A JSON string, its escapes resolved; `nil` on anything this parser does not read.
    private mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = position
        // The common case: no escape, read in place.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                defer { position += 1 }
                return String(validating: bytes[start..<position], as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { return nil }
            position += 1
        }
        var unescaped = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: unescaped, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { return nil }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): unescaped.append(escape)
                case UInt8(ascii: "b"): unescaped.append(0x08)
                case UInt8(ascii: "f"): unescaped.append(0x0C)
                case UInt8(ascii: "n"): unescaped.append(0x0A)
                case UInt8(ascii: "r"): unescaped.append(0x0D)
                case UInt8(ascii: "t"): unescaped.append(0x09)
                case UInt8(ascii: "u"):
                    // Surrogates (pairs, or lone ones JSONDecoder refuses) go to JSONDecoder.
                    guard let code = hex4(), !(0xD800...0xDFFF).contains(code), let scalar = Unicode.Scalar(code) else { return nil }
                    unescaped.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    return nil
                }
            default:
                guard byte >= 0x20 else { return nil }
                unescaped.append(byte)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard bytes.count - position >= 4 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }
}
