/// One signature line of a signed note: `— <key name> <base64(key ID || signature)>`.
public struct NoteSignature: Sendable, Hashable {
    /// The name of the key that made the signature.
    public let keyName: String
    /// The key ID, the first four bytes of the base64 payload (big-endian).
    public let keyID: UInt32
    /// The signature bytes after the key ID (64 bytes for Ed25519).
    public let signature: [UInt8]

    /// Creates a signature line's content.
    ///
    /// - Parameters:
    ///   - keyName: The signing key's name.
    ///   - keyID: The signing key's ID.
    ///   - signature: The signature bytes, without the key ID; at least one byte.
    /// - Throws: ``NoteError`` with code `invalidKeyName` for a bad name, `malformedNote` for an
    ///   empty signature.
    public init(keyName: String, keyID: UInt32, signature: [UInt8]) throws(NoteError) {
        guard NoteSyntax.isValidKeyName(keyName) else {
            throw NoteError(.invalidKeyName, reason: "a key name must be non-empty and contain no space, plus sign or control character")
        }
        guard !signature.isEmpty else {
            throw NoteError(.malformedNote, reason: "a signature must not be empty")
        }
        self.keyName = keyName
        self.keyID = keyID
        self.signature = signature
    }

    /// Parses one signature line without its newline.
    init(line: Substring) throws(NoteError) {
        let bytes = Array(line.utf8)
        guard bytes.starts(with: NoteSyntax.signaturePrefix) else {
            throw NoteError(.malformedNote, reason: "a signature line does not start with an em dash and a space")
        }
        let rest = line.dropFirst(2)
        let (name, encoded) = NoteSyntax.chop(rest, at: " ")
        guard NoteSyntax.isValidKeyName(name) else {
            throw NoteError(.malformedNote, reason: "a signature line has an invalid key name")
        }
        guard let encoded, let payload = Base64.decode(encoded), payload.count >= 5 else {
            throw NoteError(.malformedNote, reason: "a signature line's signature is not base64 of a key ID and a signature")
        }
        self.keyName = String(name)
        self.keyID = UInt32(payload[0]) << 24 | UInt32(payload[1]) << 16 | UInt32(payload[2]) << 8 | UInt32(payload[3])
        self.signature = Array(payload[4...])
    }

    /// The signature line, `— <key name> <base64(key ID || signature)>`, without its newline.
    public var line: String {
        let id: [UInt8] = [UInt8(keyID >> 24), UInt8(keyID >> 16 & 0xFF), UInt8(keyID >> 8 & 0xFF), UInt8(keyID & 0xFF)]
        return "\u{2014} \(keyName) \(Base64.encode(id + signature))"
    }

    /// The key as `name+hexid`, the way error messages and logs name it.
    var keyLabel: String {
        "\(keyName)+\(NoteSyntax.hex(keyID))"
    }
}
