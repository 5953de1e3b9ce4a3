/// Why an identifier was rejected.
///
/// Errors compare equal by ``code`` and ``kind`` only, so tests and callers match on codes.
/// The ``reason`` is precise but never contains the input or any part of it: it ends up in HTTP
/// error bodies and logs, and identifiers are personal data.
public struct IdentifierError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The machine-readable error code; the raw value is the wire form.
    public enum Code: String, Sendable, Hashable, Codable {
        /// The kind is not one of ``IdentifierKind``.
        case unknownKind = "unknown_kind"
        /// The kind requires a namespace and none was given.
        case missingNamespace = "missing_namespace"
        /// A namespace was given for email or phone.
        case unexpectedNamespace = "unexpected_namespace"
        /// The namespace is not a configured network or loyalty program.
        case unknownNamespace = "unknown_namespace"
        /// The value is empty (after trimming).
        case empty
        /// The value or one of its parts is too long.
        case tooLong = "too_long"
        /// The value or one of its parts is too short.
        case tooShort = "too_short"
        /// The value contains a character that is not allowed.
        case invalidCharacter = "invalid_character"
        /// The value does not have the expected structure.
        case invalidSyntax = "invalid_syntax"
        /// The value has an impossible number of digits.
        case invalidLength = "invalid_length"
        /// The phone number's country calling code does not exist.
        case invalidCountryCode = "invalid_country_code"
        /// The phone number belongs to a region the policy does not allow.
        case regionNotAllowed = "region_not_allowed"
        /// A check digit does not match.
        case checksumFailed = "checksum_failed"
    }

    /// The error code.
    public let code: Code
    /// The kind being normalized, if known.
    public let kind: IdentifierKind?
    /// A precise, human-readable reason that never contains the input value.
    public let reason: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The error code.
    ///   - kind: The kind being normalized, if known.
    ///   - reason: A human-readable reason; it must not contain the input value.
    public init(code: Code, kind: IdentifierKind? = nil, reason: String) {
        self.code = code
        self.kind = kind
        self.reason = reason
    }

    init(_ code: Code, kind: IdentifierKind? = nil, reason: String) {
        self.init(code: code, kind: kind, reason: reason)
    }

    /// `"code: reason"`, e.g. `checksum_failed: the Luhn check digit does not match`.
    public var description: String { "\(code.rawValue): \(reason)" }

    /// Errors are equal when their codes and kinds are.
    public static func == (lhs: IdentifierError, rhs: IdentifierError) -> Bool {
        lhs.code == rhs.code && lhs.kind == rhs.kind
    }

    /// Hashes the code and the kind.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(kind)
    }

    /// The same error attributed to `kind`.
    func attributed(to kind: IdentifierKind) -> IdentifierError {
        IdentifierError(code: code, kind: kind, reason: reason)
    }
}
