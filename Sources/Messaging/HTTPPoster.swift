import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Posts one request body and reduces the outcome to success or a ``MessagingError``: the common
/// part of the webhook and back-channel logout senders.
struct HTTPPoster: Sendable {
    let client: HTTPClient

    /// POSTs `body` to `url`.
    ///
    /// - Parameters:
    ///   - timeout: Covers connecting, sending and receiving the response head; reading the
    ///     (ignored) response body gets what is left of it.
    ///   - isSuccess: Which status codes mean delivered.
    /// - Throws: ``MessagingError``; never an error that names the URL or echoes the response.
    func post(url: String, headers: [(String, String)], body: [UInt8], timeout: Duration, isSuccess: (Int) -> Bool) async throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "https" || scheme == "http", parsed.host != nil else {
            throw MessagingError.invalidDestination
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers {
            request.headers.add(name: name, value: value)
        }
        request.body = .bytes(ByteBuffer(bytes: body))

        let deadline = NIODeadline.now() + TimeAmount(timeout)
        let response: HTTPClientResponse
        do {
            response = try await self.client.execute(request, deadline: deadline)
        } catch let error as HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
                throw MessagingError.timeout
            case .invalidURL, .emptyHost, .emptyScheme:
                throw MessagingError.invalidDestination
            default:
                throw MessagingError.connectionFailed
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw MessagingError.connectionFailed
        }
        let status = Int(response.status.code)
        // Read (and drop) a small body so the connection can be reused; give up at the deadline.
        await Self.drain(response.body, until: deadline)
        guard isSuccess(status) else { throw MessagingError.unexpectedStatus(status) }
    }

    private static func drain(_ body: HTTPClientResponse.Body, until deadline: NIODeadline) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                _ = try? await body.collect(upTo: 64 * 1024)
            }
            group.addTask {
                let remaining = deadline - .now()
                try? await Task.sleep(for: .nanoseconds(max(0, remaining.nanoseconds)))
            }
            await group.next()
            group.cancelAll()
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
