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

    /// Percent-decoding with `+` as space (HTML form encoding, as OAuth uses it).
    static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// A parameter name safe to echo in an error: known OAuth names only.
    private static func safeName(_ name: String) -> String {
        name.count <= 40 && name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) ? name : "(unnamed)"
    }
}
