import Channels
import Crypto
import Foundation

/// Proof Key for Code Exchange (RFC 7636), S256 only: `plain` is refused (RFC 9700 §2.1.1).
public enum PKCE {
    /// RFC 7636 §4.2: 43 to 128 characters `[A-Za-z0-9-._~]`; for S256 the challenge is 43.
    public static func isValidChallenge(_ challenge: String) -> Bool {
        challenge.utf8.count == 43 && challenge.utf8.allSatisfy(isUnreserved)
    }

    /// RFC 7636 §4.1.
    public static func isValidVerifier(_ verifier: String) -> Bool {
        (43...128).contains(verifier.utf8.count) && verifier.utf8.allSatisfy(isUnreserved)
    }

    /// `BASE64URL(SHA256(verifier)) == challenge`, compared in constant time.
    public static func verify(verifier: String, challenge: String) -> Bool {
        guard isValidVerifier(verifier) else { return false }
        return ConstantTime.equals(Array(Data(SHA256.hash(data: Data(verifier.utf8))).base64URL.utf8), Array(challenge.utf8))
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
    }
}
