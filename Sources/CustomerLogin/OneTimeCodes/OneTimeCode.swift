public import Crypto
import Channels
import Foundation

/// The six-digit code sent to an e-mail address or phone to prove it.
///
/// Codes are drawn uniformly (rejection sampling, no modulo bias) and stored only as an HMAC under
/// a server key: a six-digit space is too small for a plain hash to protect anything, but without
/// the key a leaked table reveals nothing.
public enum OneTimeCode {
    public static let digits = 6
    public static let lifetime: Duration = .seconds(600)
    public static let maxAttempts = 5

    /// A fresh code, `000000` to `999999`.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = UInt32.random(in: 0..<1_000_000, using: &generator)
        let text = String(value)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The stored form of `code` for challenge `challengeID`.
    public static func digest(_ code: String, challengeID: String, key: SymmetricKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data((challengeID + ":" + code).utf8), using: key)
        return Data(mac).base64URL
    }

    /// Whether `entered` is the code behind `digest`, compared in constant time. Spaces and
    /// dashes a person may type are ignored; anything but six digits never matches.
    public static func matches(_ entered: String, digest: String, challengeID: String, key: SymmetricKey) -> Bool {
        let cleaned = String(entered.unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "-" })
        guard cleaned.utf8.count == digits, cleaned.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return false
        }
        return ConstantTime.equals(Array(Self.digest(cleaned, challengeID: challengeID, key: key).utf8), Array(digest.utf8))
    }
}
