/// Why a message could not be delivered.
///
/// Its ``description`` is short and generic on purpose: it ends up in the outbox's `last_error`
/// column and in log lines, so it never carries a destination, a payload or a response body.
/// Tests and callers compare errors by ``code``.
public struct MessagingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of delivery failure.
    public enum Code: String, Sendable, Hashable {
        /// The receiver answered with a status that does not mean success.
        case unexpectedStatus = "unexpected_status"
        /// The receiver did not answer in time.
        case timeout
        /// The receiver could not be reached (DNS, TCP, TLS).
        case connectionFailed = "connection_failed"
        /// The destination is not a usable URL (back-channel logout) or the message id is not a
        /// usable file name (file sender).
        case invalidDestination = "invalid_destination"
        /// Writing the message file failed.
        case fileWriteFailed = "file_write_failed"
        /// The message could not be encoded.
        case encodingFailed = "encoding_failed"
    }

    /// What went wrong.
    public let code: Code
    /// The HTTP status, for ``Code/unexpectedStatus``.
    public let status: Int?

    private init(_ code: Code, status: Int? = nil) {
        self.code = code
        self.status = status
    }

    /// The receiver answered `status`, which does not mean success.
    public static func unexpectedStatus(_ status: Int) -> MessagingError { MessagingError(.unexpectedStatus, status: status) }
    /// The receiver did not answer in time.
    public static let timeout = MessagingError(.timeout)
    /// The receiver could not be reached.
    public static let connectionFailed = MessagingError(.connectionFailed)
    /// The destination or message id is unusable.
    public static let invalidDestination = MessagingError(.invalidDestination)
    /// Writing the message file failed.
    public static let fileWriteFailed = MessagingError(.fileWriteFailed)
    /// The message could not be encoded.
    public static let encodingFailed = MessagingError(.encodingFailed)

    /// A short reason without personal data, fit for the outbox and for logs.
    public var description: String {
        switch self.code {
        case .unexpectedStatus: "unexpected HTTP status \(self.status ?? 0)"
        case .timeout: "timed out"
        case .connectionFailed: "connection failed"
        case .invalidDestination: "invalid destination"
        case .fileWriteFailed: "could not write message file"
        case .encodingFailed: "could not encode message"
        }
    }
}
