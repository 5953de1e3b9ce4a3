import Crypto
import Foundation

/// The lexical rules of C2SP signed-note shared by notes, keys and checkpoints.
enum NoteSyntax {
    /// The signature type byte of Ed25519 note signatures.
    static let ed25519: UInt8 = 0x01

    /// Signature lines start with an em dash (U+2014) and a space.
    static let signaturePrefix: [UInt8] = Array("\u{2014} ".utf8)

    /// The most signatures a note may carry (the spec requires accepting at least 16; Go's
    /// `sumdb/note` stops at 100).
    static let maximumSignatures = 100

    /// Key names are non-empty and contain no Unicode space, no plus sign and no control character.
    static func isValidKeyName(_ name: some StringProtocol) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            scalar != "+" && scalar.value >= 0x20 && !scalar.properties.isWhitespace
        }
    }

    /// Decodes strict UTF-8 with no ASCII control character other than newline.
    static func decodeText(_ bytes: [UInt8]) -> String? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar.value < 0x20 && scalar != "\n" { return nil }
            case .emptyInput:
                break loop
            case .error:
                return nil
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The RECOMMENDED key ID: the first four bytes, big-endian, of
    /// `SHA-256(name || 0x0A || type || public key)`.
    static func keyID(name: String, typeAndPublicKey: [UInt8]) -> UInt32 {
        var hasher = SHA256()
        hasher.update(data: Array(name.utf8))
        hasher.update(data: [0x0A])
        hasher.update(data: typeAndPublicKey)
        let digest = Array(hasher.finalize())
        return UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
    }

    /// Eight lowercase hexadecimal digits.
    static func hex(_ keyID: UInt32) -> String {
        let digits = String(keyID, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// Parses exactly eight hexadecimal digits (either case, as Go's `sumdb/note` accepts).
    static func parseKeyID(_ text: Substring) -> UInt32? {
        guard text.utf8.count == 8, text.utf8.allSatisfy({ $0 < 0x80 && Character(Unicode.Scalar($0)).isHexDigit }) else {
            return nil
        }
        return UInt32(text, radix: 16)
    }

    /// Splits `text` at the first `separator`; the rest is empty when there is none.
    static func chop(_ text: Substring, at separator: Character) -> (Substring, Substring?) {
        guard let index = text.firstIndex(of: separator) else { return (text, nil) }
        return (text[..<index], text[text.index(after: index)...])
    }
}
