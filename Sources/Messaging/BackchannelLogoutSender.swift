public import AsyncHTTPClient
public import CustomerLogin
import Foundation

/// Delivers back-channel logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.5): POSTs
/// `logout_token=<token>` as `application/x-www-form-urlencoded` to the message's destination,
/// the channel's `backchannel_logout_uri`.
///
/// The message's payload is the logout token, already signed. HTTP 200 (or 204, which some
/// relying parties answer) means the channel ended its session; any other status, a connection
/// failure or no answer within the timeout is a failure that ``OutboxDelivery`` retries.
public struct BackchannelLogoutSender: MessageSender {
    private let timeout: Duration
    private let poster: HTTPPoster

    /// - Parameters:
    ///   - timeout: How long one POST may take.
    ///   - client: The HTTP client; the process-wide shared one by default.
    public init(timeout: Duration = .seconds(10), client: HTTPClient = .shared) {
        self.timeout = timeout
        self.poster = HTTPPoster(client: client)
    }

    /// POSTs the logout token in `message.payload` to `message.destination`.
    ///
    /// - Throws: ``MessagingError/invalidDestination`` when the destination is not an HTTP(S) URL,
    ///   otherwise ``MessagingError`` when the channel did not answer 200 or 204 in time.
    public func send(_ message: OutboxMessage) async throws {
        let body = Array(Self.formBody(logoutToken: message.payload).utf8)
        try await self.poster.post(
            url: message.destination,
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cache-Control", "no-store"),
            ],
            body: body,
            timeout: self.timeout,
            isSuccess: { $0 == 200 || $0 == 204 }
        )
    }

    /// `logout_token=<token>`, form-encoded. A JWS compact token only holds characters that need
    /// no escaping, but anything else is escaped all the same.
    static func formBody(logoutToken: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let encoded = logoutToken.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return "logout_token=\(encoded)"
    }
}
