import IdentityGraph
import JSONScanning

/// Reads the usual shape of an import line without `JSONDecoder`, which took about a quarter of
/// a bulk import's preparation.
///
/// It understands exactly the members of ``ImportLine`` with string or `null` values, and answers
/// `nil` for anything else: a number, a member it does not know or that appears twice, a missing
/// member, an unknown assurance, or whatever ``JSONByteReader`` does not read. The importer then
/// decodes the line with `JSONDecoder`, whose answer (the value, or the reason a line is refused)
/// stays the reference; so a line this parser reads, it must read exactly as `JSONDecoder` would
/// (checked by the tests on fixed and generated lines).
enum ImportLineParser {
    /// The line, or `nil` when it is not in the shape this parser reads.
    static func parse(_ text: String) -> ImportLine? {
        var text = text
        return text.withUTF8 { utf8 in
            var reader = JSONByteReader(utf8)
            guard let line = line(&reader) else { return nil }
            reader.skipSpace()
            return reader.atEnd ? line : nil
        }
    }

    private static func line(_ reader: inout JSONByteReader) -> ImportLine? {
        var identifiers: [ImportLine.Item]?
        var profile: Profile??
        let complete = object(&reader) { key, reader in
            switch key {
            case "identifiers" where identifiers == nil:
                identifiers = items(&reader)
                return identifiers != nil
            case "profile" where profile == nil:
                if reader.null() {
                    profile = .some(nil)
                    return true
                }
                guard let read = Self.profile(&reader) else { return false }
                profile = read
                return true
            default:
                return false
            }
        }
        guard complete, let identifiers else { return nil }
        return ImportLine(identifiers: identifiers, profile: profile ?? nil)
    }

    private static func items(_ reader: inout JSONByteReader) -> [ImportLine.Item]? {
        guard reader.take(UInt8(ascii: "[")) else { return nil }
        var items: [ImportLine.Item] = []
        reader.skipSpace()
        if reader.take(UInt8(ascii: "]")) { return items }
        repeat {
            guard let item = item(&reader) else { return nil }
            items.append(item)
            reader.skipSpace()
        } while reader.take(UInt8(ascii: ","))
        return reader.take(UInt8(ascii: "]")) ? items : nil
    }

    private static func item(_ reader: inout JSONByteReader) -> ImportLine.Item? {
        var members: [String: String?] = [:]
        let complete = object(&reader) { key, reader in
            guard itemMembers.contains(key), members[key] == nil else { return false }
            // kind and value must be strings; namespace and assurance may be null.
            let value: String?? = (key == "kind" || key == "value") ? reader.string().map { .some($0) } : optionalString(&reader)
            guard let value else { return false }
            members[key] = value
            return true
        }
        guard complete, let kind = members["kind"] ?? nil, let value = members["value"] ?? nil else { return nil }
        var assurance: Assurance?
        if let text = members["assurance"] ?? nil {
            guard let known = Assurance(rawValue: text) else { return nil }
            assurance = known
        }
        return ImportLine.Item(kind: kind, namespace: members["namespace"] ?? nil, value: value, assurance: assurance)
    }

    private static func profile(_ reader: inout JSONByteReader) -> Profile? {
        var fields: [String: String?] = [:]
        let complete = object(&reader) { key, reader in
            guard profileFields.contains(key), fields[key] == nil, let value = optionalString(&reader) else { return false }
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

    private static let itemMembers: Set<String> = ["kind", "namespace", "value", "assurance"]
    /// The members of a profile, as `Profile` decodes them.
    private static let profileFields: Set<String> = ["given_name", "family_name", "birthdate", "postal_code", "country", "locale"]

    /// An object whose members `member` reads (it returns false to give up on the line).
    private static func object(_ reader: inout JSONByteReader, _ member: (String, inout JSONByteReader) -> Bool) -> Bool {
        reader.skipSpace()
        guard reader.take(UInt8(ascii: "{")) else { return false }
        reader.skipSpace()
        if reader.take(UInt8(ascii: "}")) { return true }
        repeat {
            reader.skipSpace()
            guard let key = reader.string() else { return false }
            reader.skipSpace()
            guard reader.take(UInt8(ascii: ":")) else { return false }
            reader.skipSpace()
            guard member(key, &reader) else { return false }
            reader.skipSpace()
        } while reader.take(UInt8(ascii: ","))
        return reader.take(UInt8(ascii: "}"))
    }

    /// A string or `null`: `.some(nil)` for `null`, `nil` when it is neither.
    private static func optionalString(_ reader: inout JSONByteReader) -> String?? {
        if reader.null() { return .some(nil) }
        return reader.string().map { .some($0) }
    }
}
