public import CodedErrors

/// Why a checkpoint text was refused.
///
/// Callers match on ``code``; two errors are equal when their codes are equal.
public struct CheckpointError: CodedError {
    /// The kind of defect.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The text does not end in a newline, has fewer than three lines, contains an empty
        /// line or a control character.
        case malformedText
        /// The origin line is empty.
        case invalidOrigin
        /// The tree size is not ASCII decimal without leading zeroes, or exceeds 2^64 - 1.
        case invalidTreeSize
        /// The root hash is not canonical base64 of 32 bytes.
        case invalidRootHash
        /// An extension line is empty or contains a newline or control character.
        case invalidExtension
    }

    /// The kind of defect.
    public let code: Code
    /// What exactly is wrong, for people and logs.
    public let reason: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of defect.
    ///   - reason: What exactly is wrong.
    public init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }
}
