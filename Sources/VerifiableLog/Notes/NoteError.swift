public import CodedErrors

/// Why a signed note, a note key or a signature was refused.
///
/// Callers match on ``code``; two errors are equal when their codes are equal. The ``reason`` may
/// name a key (its public name and key ID) but never contains key material or note text.
public struct NoteError: CodedError {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The message is not a well-formed signed note: invalid UTF-8, a control character, no
        /// blank line before the signatures, a malformed signature line, more than 100 signatures.
        case malformedNote
        /// Text to be signed does not end in a newline or contains a control character.
        case malformedText
        /// A key name is empty or contains a Unicode space or a plus sign.
        case invalidKeyName
        /// A verifier or signer key string is not `name+hexid+base64`
        /// (`PRIVATE+KEY+name+hexid+base64` for a signer), or its key has the wrong length.
        case malformedKey
        /// A key string names a signature algorithm other than Ed25519 (0x01).
        case unsupportedAlgorithm
        /// The key ID in a key string is not the one its name and public key give.
        case keyIDMismatch
        /// Two of the given verifiers have the same name and key ID, and a signature uses it.
        case ambiguousKey
        /// A signature by a known key does not verify; the whole note is rejected.
        case invalidSignature
        /// No signature in the note is by a known key.
        case noVerifiedSignature
        /// Creating a key or a signature failed in the cryptography library.
        case cryptographyFailed
    }

    /// The kind of failure.
    public let code: Code
    /// What exactly is wrong, for people and logs; never key material or note text.
    public let reason: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - reason: What exactly is wrong; must not contain key material or note text.
    public init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }
}
