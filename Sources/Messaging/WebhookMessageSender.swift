public import AsyncHTTPClient
public import Crypto
public import CustomerLogin
public import Foundation

/// Production sender for one-time codes: POSTs each message to the retailer's messaging webhook,
/// which sends the e-mail or SMS.
///
/// The request:
///
/// ```
/// POST <url>
/// Content-Type: application/json
/// Solmu-Message-Id: <id>
/// Solmu-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the secret>
///
/// {"created_at":"…","destination":"…","id":"…","kind":"one_time_code","payload":"…"}
/// ```
///
/// The body is a ``MessageDocument``; ``WebhookSignature`` tells how to verify the signature.
/// Any 2xx answer means delivered; any other status, a connection failure or no answer within
/// `timeout` is a failure that ``OutboxDelivery`` retries with the same message id.
public struct WebhookMessageSender: MessageSender {
    /// The header carrying the message id, stable across retries.
    public static let messageIDHeader = "Solmu-Message-Id"

    private let url: String
    private let secret: SymmetricKey
    private let timeout: Duration
    private let poster: HTTPPoster
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - url: The webhook URL (`https://` in production).
    ///   - secret: The shared signing secret.
    ///   - timeout: How long one delivery may take.
    ///   - client: The HTTP client; the process-wide shared one by default.
    ///   - now: The clock for the signature timestamp.
    public init(url: String, secret: SymmetricKey, timeout: Duration = .seconds(10), client: HTTPClient = .shared, now: @escaping @Sendable () -> Date = { Date() }) {
        self.url = url
        self.secret = secret
        self.timeout = timeout
        self.poster = HTTPPoster(client: client)
        self.now = now
    }

    /// POSTs `message` to the webhook, signed.
    ///
    /// - Throws: ``MessagingError`` when the webhook did not answer 2xx in time.
    public func send(_ message: OutboxMessage) async throws {
        let body = [UInt8](try MessageDocument(message).encoded())
        let timestamp = Int64(self.now().timeIntervalSince1970.rounded(.down))
        try await self.poster.post(
            url: self.url,
            headers: [
                ("Content-Type", "application/json"),
                (Self.messageIDHeader, message.id),
                (WebhookSignature.headerName, WebhookSignature.header(body: body, secret: self.secret, timestamp: timestamp)),
            ],
            body: body,
            timeout: self.timeout,
            isSuccess: { (200..<300).contains($0) }
        )
    }
}
