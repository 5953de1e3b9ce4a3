public import Foundation
import Crypto
import Tokens

/// A random, unguessable token handed to a client (a session cookie, an authorization code, a
/// refresh token). Only its SHA-256 digest is ever stored, so a database leak does not leak
/// usable tokens.
public struct OpaqueToken: Sendable, Hashable {
    /// The value given to the client: 256 random bits, base64url without padding.
    public let value: String

    /// A fresh random token.
    public init() {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 32)
        for index in bytes.indices { bytes[index] = UInt8.random(in: .min ... .max, using: &generator) }
        self.value = Data(bytes).base64URL
    }

    /// A token received from a client; `nil` when it cannot be one of ours.
    public init?(received: String) {
        guard received.utf8.count == 43, received.utf8.allSatisfy(Self.isBase64URL) else { return nil }
        self.value = received
    }

    /// What the store keeps: SHA-256 of the value, base64url.
    public var digest: String { Self.digest(of: value) }

    public static func digest(of value: String) -> String {
        Data(SHA256.hash(data: Data(value.utf8))).base64URL
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}

extension Data {
    /// Base64url without padding (RFC 4648 §5).
    var base64URL: String { Base64URL.encode(self) }
}
