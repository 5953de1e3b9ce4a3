import Foundation
import Hummingbird
import HTTPTypes
import Logging
import CoreMetrics
import NIOCore
import NIOFoundationEssentialsCompat
import IdentityGraph
import Identifiers
import Tokens
import Channels

/// An `application/x-www-form-urlencoded` body, parsed strictly: RFC 6749 §3.1 and §3.2 forbid
/// repeating a parameter, and a parameter without a value counts as absent.
struct FormParameters: Sendable {
    private var values: [String: String] = [:]
    private var seen: Set<String> = []

    /// - Throws: `OAuthError.invalidRequest` for a repeated parameter or broken percent-encoding.
    init(_ body: String) throws(OAuthError) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else {
                throw .invalidRequest("the form body is not valid application/x-www-form-urlencoded")
            }
            guard seen.insert(name).inserted else {
                throw .invalidRequest("the parameter \(Self.safeName(name)) appears more than once")
            }
            if !value.isEmpty { values[name] = value }
        }
    }

    subscript(_ name: String) -> String? { values[name] }

    /// Percent-decoding with `+` as space (HTML form encoding, as OAuth uses it). Nil when a `%`
    /// is not followed by two hex digits or the decoded bytes are not UTF-8. This replaces
    /// Foundation's `removingPercentEncoding` on every form, query and Basic header (it cost more
    /// than the rest of parsing a token request), and is stricter in one case: Foundation repairs
    /// non-UTF-8 bytes escaped in lower case (`%ff`) to U+FFFD, where this refuses them.
    static func decode(_ text: Substring) -> String? {
        let plus = UInt8(ascii: "+"), percent = UInt8(ascii: "%")
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == plus || $0 == percent }) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            utf8.formIndex(after: &index)
            switch byte {
            case plus:
                bytes.append(UInt8(ascii: " "))
            case percent:
                guard index != utf8.endIndex, let high = hexValue(utf8[index]) else { return nil }
                utf8.formIndex(after: &index)
                guard index != utf8.endIndex, let low = hexValue(utf8[index]) else { return nil }
                utf8.formIndex(after: &index)
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// A parameter name safe to echo in an error: known OAuth names only.
    private static func safeName(_ name: String) -> String {
        name.count <= 40 && name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) ? name : "(unnamed)"
    }
}
