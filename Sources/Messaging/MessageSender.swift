public import CustomerLogin

/// Carries one outbox message to its destination.
///
/// A sender either delivers the message or throws; it does not retry; ``OutboxDelivery``
/// reschedules failures. Delivery is at least once: a message whose success could not be recorded
/// (a crash, two instances picking the same message) is sent again, so receivers deduplicate by
/// the message id.
public protocol MessageSender: Sendable {
    /// Delivers `message`.
    ///
    /// - Throws: ``MessagingError`` (or any error) when the message was not delivered.
    func send(_ message: OutboxMessage) async throws
}
