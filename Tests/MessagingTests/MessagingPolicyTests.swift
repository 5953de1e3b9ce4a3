import Crypto
import Messaging
import Testing

@Suite struct MessagingPolicyTests {
    @Test func defaults() {
        let policy = MessagingPolicy()
        #expect(policy.codeSender == .file(directory: "data/outbox"))
        #expect(policy.maxAttempts == 8)
        #expect(policy.initialBackoff == .seconds(2))
        #expect(policy.maxBackoff == .seconds(600))
    }

    @Test func backoffDoublesAndCapsAtTenMinutes() {
        let policy = MessagingPolicy()
        let schedule = (0..<12).map { policy.baseBackoff(afterAttempt: $0) }
        #expect(schedule == [2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600, 600].map { Duration.seconds($0) })
        #expect(policy.baseBackoff(afterAttempt: 10_000) == .seconds(600))
        #expect(policy.baseBackoff(afterAttempt: -1) == .seconds(2))
    }

    @Test func jitterTakesOffAtMostAQuarter() {
        let policy = MessagingPolicy()
        #expect(policy.backoff(afterAttempt: 2, jitter: 0) == .seconds(8))
        #expect(policy.backoff(afterAttempt: 2, jitter: 1) == .seconds(6))
        #expect(policy.backoff(afterAttempt: 2, jitter: 0.5) == .seconds(7))
        #expect(policy.backoff(afterAttempt: 20, jitter: 0) == .seconds(600))
        #expect(policy.backoff(afterAttempt: 20, jitter: 7) == .seconds(450))
        for attempt in 0..<12 {
            let delay = policy.backoff(afterAttempt: attempt, jitter: Double.random(in: 0...1))
            #expect(delay <= policy.baseBackoff(afterAttempt: attempt))
            #expect(delay >= policy.baseBackoff(afterAttempt: attempt) * 0.75)
        }
    }

    @Test func webhookPoliciesCompareByTheirSettings() {
        let key = SymmetricKey(data: Array("secret".utf8))
        let a = MessagingPolicy(codeSender: .webhook(url: "https://shop.example/hook", secret: key, timeout: .seconds(5)))
        let b = MessagingPolicy(codeSender: .webhook(url: "https://shop.example/hook", secret: key, timeout: .seconds(5)))
        let c = MessagingPolicy(codeSender: .webhook(url: "https://shop.example/hook", secret: SymmetricKey(data: Array("other".utf8)), timeout: .seconds(5)))
        #expect(a == b)
        #expect(a != c)
        #expect(MessagingPolicy(maxAttempts: 0).maxAttempts == 1)
    }
}
