public import AsyncHTTPClient
public import Foundation
public import Logging

extension MessagingPolicy {
    /// The sender for one-time codes that this policy names.
    ///
    /// - Parameters:
    ///   - client: The HTTP client for the webhook.
    ///   - logger: The file sender's logger.
    ///   - now: The clock for webhook signatures.
    public func makeCodeSender(client: HTTPClient = .shared, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) -> any MessageSender {
        switch self.codeSender {
        case .file(let directory):
            FileMessageSender(directory: directory, logger: logger)
        case .webhook(let url, let secret, let timeout):
            WebhookMessageSender(url: url, secret: secret, timeout: timeout, client: client, now: now)
        }
    }

    /// The sender for back-channel logout tokens, with this policy's timeout.
    ///
    /// - Parameter client: The HTTP client.
    public func makeBackchannelLogoutSender(client: HTTPClient = .shared) -> any MessageSender {
        BackchannelLogoutSender(timeout: self.backchannelLogoutTimeout, client: client)
    }
}
