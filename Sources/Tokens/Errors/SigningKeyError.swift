public import CodedErrors
/// Why the signing keys in the `keys/` directory could not be loaded or created.
///
/// Errors name the offending file (paths are not secret) but never include key material.
/// Two errors are equal when their codes are equal.
public struct SigningKeyError: CodedError {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A private key file (or `link-log.key`) is readable or writable by group or others.
        case insecurePermissions
        /// A file named by the manifest, or `link-log.key` next to an existing manifest, is missing.
        case missingFile
        /// The key in a file does not have the thumbprint the manifest records as its `kid`.
        case keyMismatch
        /// `signing-keys.json` cannot be read as a manifest (bad JSON, unknown `alg`, bad dates,
        /// duplicate `kid`, or a `file` that is not a plain file name).
        case malformedManifest
        /// A key file does not hold a private key of the manifest's algorithm, or `link-log.key`
        /// is not 32 bytes of base64.
        case malformedKey
        /// Reading, creating or writing a file or directory failed.
        case ioFailure
    }

    /// The kind of failure.
    public let code: Code
    /// The file or directory concerned.
    public let path: String
    /// A short explanation.
    public let reason: String

    /// Creates an error.
    public init(_ code: Code, path: String, reason: String) {
        self.code = code
        self.path = path
        self.reason = reason
    }

    public var description: String {
        "SigningKeyError.\(code.rawValue): \(path): \(reason)"
    }


}
