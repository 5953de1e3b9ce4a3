import Identifiers
import IdentityGraph

/// Writes JSON by hand for the hottest response (resolve), byte for byte what `JSONCoding.encoder`
/// writes (sorted keys, unescaped slashes), at a fraction of the cost.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A JSON string (RFC 8259 §7): quotes, backslashes and control characters escaped.
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 15)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension ResolveResponse {
    /// The same JSON as `JSONCoding.encoder` produces for this value.
    var json: [UInt8] {
        var writer = JSONWriter(capacity: 128 + identifiers.count * 160)
        writer.raw("{\"customer_id\":")
        writer.string(customerID.rawValue)
        writer.raw(",\"identifiers\":[")
        for (index, link) in identifiers.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw("{\"assurance\":")
            writer.string(link.assurance.rawValue)
            writer.raw(",\"channel\":")
            writer.string(link.channel)
            writer.raw(",\"kind\":")
            writer.string(link.kind.rawValue)
            writer.raw(",\"linked_at\":")
            writer.string(JSONCoding.rfc3339(link.linkedAt))
            if let namespace = link.namespace {
                writer.raw(",\"namespace\":")
                writer.string(namespace)
            }
            writer.raw(",\"value\":")
            writer.string(link.value)
            writer.raw("}")
        }
        writer.raw("]}")
        return writer.bytes
    }
}
