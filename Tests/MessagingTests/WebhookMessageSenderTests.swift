import Crypto
import CustomerLogin
import Foundation
import Messaging
import NIOHTTP1
import Testing

@Suite struct WebhookMessageSenderTests {
    private let secret = SymmetricKey(data: Array("whsec_test_0123456789abcdef".utf8))

    @Test func postsTheSignedDocument() async throws {
        let server = try await TestHTTPServer.start(answering: [202])
        let sender = WebhookMessageSender(url: server.url("/hooks/solmu"), secret: self.secret, timeout: .seconds(5), now: { Fixtures.epoch })
        let message = Fixtures.code()

        try await sender.send(message)
        try await server.stop()

        let requests = server.requests
        try #require(requests.count == 1)
        let request = requests[0]
        #expect(request.method == .POST)
        #expect(request.uri == "/hooks/solmu")
        #expect(request.headers.first(name: "Content-Type") == "application/json")
        #expect(request.headers.first(name: "Solmu-Message-Id") == "msg_code_1")
        #expect(try MessageDocument.decode(Data(request.body)) == MessageDocument(message))

        // Recompute the signature from the raw body, as the retailer would.
        let header = try #require(request.headers.first(name: "Solmu-Signature"))
        let expectedMAC = HMAC<SHA256>.authenticationCode(for: Array("1750000000.".utf8) + request.body, using: self.secret)
        let expectedHex = expectedMAC.map { String(format: "%02x", $0) }.joined()
        #expect(header == "t=1750000000,v1=\(expectedHex)")
        #expect(WebhookSignature.isValid(header: header, body: request.body, secret: self.secret, now: Fixtures.epoch.addingTimeInterval(30)))
    }

    @Test func anyStatusOutside2xxFailsAndTheRetryKeepsTheId() async throws {
        let server = try await TestHTTPServer.start(answering: [500, 200])
        let sender = WebhookMessageSender(url: server.url(), secret: self.secret, timeout: .seconds(5), now: { Fixtures.epoch })
        let message = Fixtures.code()

        await #expect(throws: MessagingError.unexpectedStatus(500)) {
            try await sender.send(message)
        }
        try await sender.send(message)
        try await server.stop()

        #expect(server.requests.map { $0.headers.first(name: "Solmu-Message-Id") } == ["msg_code_1", "msg_code_1"])
    }

    @Test func noAnswerWithinTheTimeoutFails() async throws {
        let server = try await TestHTTPServer.start(answering: [nil])
        let sender = WebhookMessageSender(url: server.url(), secret: self.secret, timeout: .milliseconds(300))

        await #expect(throws: MessagingError.timeout) {
            try await sender.send(Fixtures.code())
        }
        try await server.stop()
    }

    @Test func anUnreachableReceiverFails() async throws {
        let server = try await TestHTTPServer.start(answering: [200])
        let url = server.url()
        try await server.stop()
        let sender = WebhookMessageSender(url: url, secret: self.secret, timeout: .seconds(1))

        await #expect(throws: MessagingError.connectionFailed) {
            try await sender.send(Fixtures.code())
        }
    }
}
