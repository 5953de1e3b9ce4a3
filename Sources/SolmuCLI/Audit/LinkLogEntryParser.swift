import Foundation
import Identifiers
import IdentityGraph

/// Reads one link-log entry from its JSON object (a line of an export, an element of
/// `GET /log/entries`) without `JSONDecoder`, which costs more than everything else `verify` does
/// for a million entries.
///
/// It accepts only what it fully understands: one flat object whose members are strings or (for
/// `sequence`) an integer, every value checked by the same initializers the `Decodable` path
/// uses. On anything else it returns `nil` and the caller falls back to `JSONDecoder`, which then
/// decides; so this is a fast path, never a second opinion.
enum LinkLogEntryParser {
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> LinkLogEntry? {
        var reader = Reader(bytes: bytes)
        var members: [String: String] = [:]
        var sequence: Int64?
        reader.skipSpace()
        guard reader.take(UInt8(ascii: "{")) else { return nil }
        reader.skipSpace()
        if !reader.take(UInt8(ascii: "}")) {
            while true {
                reader.skipSpace()
                guard let key = reader.string() else { return nil }
                reader.skipSpace()
                guard reader.take(UInt8(ascii: ":")) else { return nil }
                reader.skipSpace()
                if key == "sequence" {
                    guard sequence == nil, let number = reader.integer() else { return nil }
                    sequence = number
                } else {
                    guard let value = reader.string(), members.updateValue(value, forKey: key) == nil else { return nil }
                }
                reader.skipSpace()
                if reader.take(UInt8(ascii: ",")) { continue }
                guard reader.take(UInt8(ascii: "}")) else { return nil }
                break
            }
        }
        reader.skipSpace()
        guard reader.atEnd, let sequence else { return nil }
        return entry(sequence: sequence, members)
    }

    private static let knownMembers: Set<String> = [
        "time", "actor", "action", "customer_id", "kind", "namespace", "value_hash", "assurance", "reason", "operator",
        "related_customer_id", "merge_id",
    ]

    private static func entry(sequence: Int64, _ members: [String: String]) -> LinkLogEntry? {
        // Unknown members are left to JSONDecoder (which ignores them) so both paths agree.
        guard members.keys.allSatisfy(knownMembers.contains),
              let timeText = members["time"], let time = RFC3339Time.parse(timeText),
              let actor = members["actor"],
              let action = members["action"].flatMap(LinkLogAction.init(rawValue:)),
              let customer = members["customer_id"].flatMap(CustomerID.init(rawValue:))
        else { return nil }
        var record = LinkLogRecord(time: time, actor: actor, action: action, customerID: customer)
        if let kind = members["kind"] {
            guard let known = IdentifierKind(rawValue: kind) else { return nil }
            record.identifierKind = known
        }
        if let assurance = members["assurance"] {
            guard let known = Assurance(rawValue: assurance) else { return nil }
            record.assurance = known
        }
        if let related = members["related_customer_id"] {
            guard let id = CustomerID(rawValue: related) else { return nil }
            record.relatedCustomerID = id
        }
        if let merge = members["merge_id"] {
            guard let id = MergeID(rawValue: merge) else { return nil }
            record.mergeID = id
        }
        record.namespace = members["namespace"]
        record.valueHash = members["value_hash"]
        record.reason = members["reason"]
        record.operatorName = members["operator"]
        return LinkLogEntry(sequence: sequence, record: record)
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
                index += 1
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// A non-negative integer without sign, fraction or exponent (what the exports write).
        mutating func integer() -> Int64? {
            let start = index
            var value: Int64 = 0
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int64(bytes[index] - 0x30))
                guard !overflow1, !overflow2 else { return nil }
                value = sum
                index += 1
            }
            let digits = index - start
            guard digits > 0, !(digits > 1 && bytes[start] == 0x30) else { return nil }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                return nil
            }
            return value
        }

        /// A JSON string, its escapes resolved; `nil` on anything malformed (invalid UTF-8, a
        /// control character, a lone surrogate).
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            // The common case: no escapes.
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 {
                index += 1
            }
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "\"") {
                let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            guard bytes[index] == UInt8(ascii: "\\") else { return nil }
            var output = Array(bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return String(validating: output, as: UTF8.self)
                }
                guard byte >= 0x20 else { return nil }
                guard byte == UInt8(ascii: "\\") else {
                    output.append(byte)
                    index += 1
                    continue
                }
                index += 1
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
                case UInt8(ascii: "b"): output.append(0x08)
                case UInt8(ascii: "f"): output.append(0x0C)
                case UInt8(ascii: "n"): output.append(0x0A)
                case UInt8(ascii: "r"): output.append(0x0D)
                case UInt8(ascii: "t"): output.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        return nil
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { return nil }
                    output.append(contentsOf: String(Character(unicode)).utf8)
                default:
                    return nil
                }
            }
            return nil
        }

        private mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case 0x30...0x39: digit = UInt32(byte - 0x30)
                case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
                default: return nil
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }
    }
}
