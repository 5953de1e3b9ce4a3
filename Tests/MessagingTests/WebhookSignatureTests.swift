import Crypto
import Foundation
import Messaging
import Testing

@Suite struct WebhookSignatureTests {
    private let secret = SymmetricKey(data: Array("whsec_test_0123456789abcdef".utf8))
    private let body = Array(#"{"id":"msg_1"}"#.utf8)

    @Test func matchesAKnownVector() {
        // Computed independently: printf '1700000000.{"id":"msg_1"}' | openssl dgst -sha256 -hmac whsec_test_0123456789abcdef
        let header = WebhookSignature.header(body: self.body, secret: self.secret, timestamp: 1_700_000_000)
        #expect(header == "t=1700000000,v1=06ac76fdcb6342fe05c2f18855391fa04533fc60aea9385a4e33d57e1a9a19eb")
    }

    @Test func acceptsItsOwnSignatureAndRefusesTampering() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let header = WebhookSignature.header(body: self.body, secret: self.secret, timestamp: 1_700_000_000)
        #expect(WebhookSignature.isValid(header: header, body: self.body, secret: self.secret, now: now))
        #expect(!WebhookSignature.isValid(header: header, body: self.body + [0x20], secret: self.secret, now: now))
        #expect(!WebhookSignature.isValid(header: header, body: self.body, secret: SymmetricKey(data: Array("other".utf8)), now: now))
        #expect(!WebhookSignature.isValid(header: header.replacingOccurrences(of: "t=1700000000", with: "t=1700000001"), body: self.body, secret: self.secret, now: now))
        #expect(!WebhookSignature.isValid(header: header, body: self.body, secret: self.secret, now: now.addingTimeInterval(301)))
        #expect(!WebhookSignature.isValid(header: "garbage", body: self.body, secret: self.secret, now: now))
    }

    @Test func acceptsAnyMatchingV1DuringARotation() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let header = WebhookSignature.header(body: self.body, secret: self.secret, timestamp: 1_700_000_000)
        let rotated = header.replacingOccurrences(of: "v1=", with: "v1=\(String(repeating: "0", count: 64)),v1=")
        #expect(WebhookSignature.isValid(header: rotated, body: self.body, secret: self.secret, now: now))
    }
}

