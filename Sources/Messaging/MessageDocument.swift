public import CustomerLogin
public import Foundation

/// The JSON form of an outbox message, as the file sender writes it and the webhook sender posts it:
///
/// ```json
/// {"created_at":"2025-01-31T12:00:00Z","destination":"anna@example.com","id":"msg_…","kind":"one_time_code","payload":"{…}"}
/// ```
///
/// - `id`: the message id, stable across retries (deduplicate on it).
/// - `kind`: `one_time_code` or `backchannel_logout`.
/// - `destination`: the e-mail address or phone number (E.164) to send to.
/// - `payload`: the rendered message, a JSON document, as a string.
/// - `created_at`: when Solmu queued the message, RFC 3339 in UTC.
///
/// Retry state (attempts, next attempt) is deliberately not part of it.
public struct MessageDocument: Sendable, Codable, Equatable {
    public var id: String
    public var kind: OutboxMessage.Kind
    public var destination: String
    public var payload: String
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, kind, destination, payload
        case createdAt = "created_at"
    }

    /// The document for `message`.
    public init(_ message: OutboxMessage) {
        self.id = message.id
        self.kind = message.kind
        self.destination = message.destination
        self.payload = message.payload
        self.createdAt = message.createdAt
    }

    /// Encodes the document: keys sorted, dates as RFC 3339 seconds in UTC.
    ///
    /// - Parameter pretty: Indent for people reading files; compact for the wire.
    /// - Returns: UTF-8 JSON.
    /// - Throws: ``MessagingError/encodingFailed``.
    public func encoded(pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do {
            return try encoder.encode(self)
        } catch {
            throw MessagingError.encodingFailed
        }
    }

    /// Decodes a document written by ``encoded(pretty:)``.
    ///
    /// - Throws: `DecodingError` when `data` is not such a document.
    public static func decode(_ data: Data) throws -> MessageDocument {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(MessageDocument.self, from: data)
    }
}
