/// A C2SP signed note (https://c2sp.org/signed-note): a text signed by one or more keys.
///
/// ```
/// If you think cryptography is the answer to your problem,
/// then you don't know what your problem is.
///
/// — PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=
/// ```
///
/// The text ends in a newline and is followed by a blank line and one signature line per
/// signature. Signatures cover the text including its final newline. The text must be ignored
/// unless ``verify(using:)`` succeeds: parsing checks only the syntax.
public struct SignedNote: Sendable, Hashable {
    /// The note text, including its final newline.
    public let text: String
    /// The signatures, in the order they appear.
    public private(set) var signatures: [NoteSignature]

    /// Creates a note from a text and existing signatures.
    ///
    /// - Parameters:
    ///   - text: The note text: ends in a newline, no control characters other than newline.
    ///   - signatures: Signatures to carry along, at most 100.
    /// - Throws: ``NoteError`` with code `malformedText` for a bad text, `malformedNote` for too
    ///   many signatures.
    public init(text: String, signatures: [NoteSignature] = []) throws(NoteError) {
        guard text.utf8.last == UInt8(ascii: "\n"), NoteSyntax.decodeText(Array(text.utf8)) != nil else {
            throw NoteError(.malformedText, reason: "a note text must end in a newline and contain no control character other than newline")
        }
        guard signatures.count <= NoteSyntax.maximumSignatures else {
            throw NoteError(.malformedNote, reason: "a note carries at most \(NoteSyntax.maximumSignatures) signatures")
        }
        self.text = text
        self.signatures = signatures
    }

    /// Parses a signed note strictly, without verifying its signatures.
    ///
    /// The message must be valid UTF-8 without control characters other than newline, contain a
    /// blank line, and continue after the last blank line with one or more well-formed signature
    /// lines, each ending in a newline, and nothing else.
    ///
    /// - Parameter message: The note as received.
    /// - Throws: ``NoteError`` with code `malformedNote`.
    public init(parsing message: [UInt8]) throws(NoteError) {
        guard NoteSyntax.decodeText(message) != nil else {
            throw NoteError(.malformedNote, reason: "a note must be UTF-8 without control characters other than newline")
        }
        // The text ends at the last blank line: a text may contain blank lines, signatures cannot.
        var split: Int?
        var index = message.count - 2
        while index >= 0 {
            if message[index] == UInt8(ascii: "\n") && message[index + 1] == UInt8(ascii: "\n") {
                split = index
                break
            }
            index -= 1
        }
        guard let split else {
            throw NoteError(.malformedNote, reason: "a note has no blank line before its signatures")
        }
        let signatureBlock = message[(split + 2)...]
        guard signatureBlock.last == UInt8(ascii: "\n") else {
            throw NoteError(.malformedNote, reason: "a note must end with signature lines, each ending in a newline")
        }
        let lines = signatureBlock.dropLast().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.count <= NoteSyntax.maximumSignatures else {
            throw NoteError(.malformedNote, reason: "a note carries at most \(NoteSyntax.maximumSignatures) signatures")
        }
        var signatures: [NoteSignature] = []
        for line in lines {
            signatures.append(try NoteSignature(line: String(decoding: line, as: UTF8.self)[...]))
        }
        self.text = String(decoding: message[...split], as: UTF8.self)
        self.signatures = signatures
    }

    /// Parses a signed note strictly, without verifying its signatures.
    ///
    /// - Parameter message: The note as received.
    /// - Throws: ``NoteError`` with code `malformedNote`.
    public init(parsing message: String) throws(NoteError) {
        try self.init(parsing: Array(message.utf8))
    }

    /// Parses a signed note and verifies it with the known keys.
    ///
    /// - Parameters:
    ///   - message: The note as received.
    ///   - verifiers: The known keys.
    /// - Returns: The note, whose text may now be trusted.
    /// - Throws: ``NoteError``: `malformedNote`, or as ``verify(using:)``.
    public static func open(_ message: String, verifiers: [NoteVerifier]) throws(NoteError) -> SignedNote {
        let note = try SignedNote(parsing: message)
        _ = try note.verify(using: verifiers)
        return note
    }

    /// The note as text: the text, a blank line, one line per signature.
    ///
    /// A note without signatures has no valid text form; this then ends after the blank line.
    public var formatted: String {
        var result = text + "\n"
        for signature in signatures {
            result += signature.line + "\n"
        }
        return result
    }

    /// Signs the note, replacing any earlier signature by the same key (name and key ID).
    ///
    /// - Parameter signer: The key to sign with.
    /// - Throws: ``NoteError`` with code `cryptographyFailed`, or `malformedNote` when the note
    ///   already has the maximum number of signatures.
    public mutating func sign(with signer: NoteSigner) throws(NoteError) {
        let signature = try signer.signature(for: text)
        var kept = signatures.filter { !($0.keyName == signer.name && $0.keyID == signer.keyID) }
        guard kept.count < NoteSyntax.maximumSignatures else {
            throw NoteError(.malformedNote, reason: "a note carries at most \(NoteSyntax.maximumSignatures) signatures")
        }
        kept.append(signature)
        signatures = kept
    }

    /// Verifies the note's signatures with the known keys.
    ///
    /// As the spec requires, signatures by unknown keys (no known key has both the name and the
    /// key ID) are ignored; every signature by a known key must verify; at least one must.
    ///
    /// - Parameter verifiers: The known keys.
    /// - Returns: The signatures that verified, without repeats.
    /// - Throws: ``NoteError`` with code `ambiguousKey` when two verifiers share a signature's name
    ///   and key ID, `invalidSignature` when a known key's signature fails (the whole note is
    ///   rejected), `noVerifiedSignature` when no signature is by a known key.
    public func verify(using verifiers: [NoteVerifier]) throws(NoteError) -> [NoteSignature] {
        var verified: [NoteSignature] = []
        for signature in signatures {
            let candidates = verifiers.filter { $0.name == signature.keyName && $0.keyID == signature.keyID }
            guard let verifier = candidates.first else { continue }
            guard candidates.count == 1 else {
                throw NoteError(.ambiguousKey, reason: "more than one verifier is \(signature.keyLabel)")
            }
            guard verifier.isValidSignature(signature, for: text) else {
                throw NoteError(.invalidSignature, reason: "the signature by \(signature.keyLabel) does not verify")
            }
            if !verified.contains(signature) {
                verified.append(signature)
            }
        }
        guard !verified.isEmpty else {
            throw NoteError(.noVerifiedSignature, reason: "the note has no signature by a known key")
        }
        return verified
    }
}
