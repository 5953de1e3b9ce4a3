import Foundation
import Testing
@testable import Tokens

@Suite("Verified-token cache")
struct VerifiedTokenCacheTests {
    func issue(_ fixture: Fixture, lifetime: Duration = .seconds(300), subject: String = "s") async throws -> String {
        try await fixture.signer.issueAccessToken(
            subject: subject, audience: [audience], clientID: "c", scope: ["read"], lifetime: lifetime
        ).token
    }

    @Test("a verified token is cached and served from the cache")
    func caches() async throws {
        let fixture = try Fixture()
        let token = try await issue(fixture)
        #expect(fixture.verifier.cachedTokenCount == 0)
        let first = try await fixture.verifier.verify(token)
        #expect(fixture.verifier.cachedTokenCount == 1)
        let second = try await fixture.verifier.verify(token)
        #expect(first == second)
        #expect(fixture.verifier.cachedTokenCount == 1)
    }

    @Test("a token that failed is never cached")
    func failuresNotCached() async throws {
        let fixture = try Fixture()
        let token = try await issue(fixture)
        let tampered = String(token.dropLast(4)) + (token.hasSuffix("AAAA") ? "BBBB" : "AAAA")
        for _ in 0..<3 {
            await #expect(throws: TokenError.badSignature) { try await fixture.verifier.verify(tampered) }
        }
        // Wrong audience: fails at the claims stage, after a good signature; still not cached.
        let otherVerifier = AccessTokenVerifier(
            keys: fixture.keys, issuer: issuer, audience: "https://elsewhere.example.com", now: fixture.clock.closure
        )
        for _ in 0..<2 {
            await #expect(throws: TokenError.wrongAudience) { try await otherVerifier.verify(token) }
        }
        #expect(otherVerifier.cachedTokenCount == 0)
        #expect(fixture.verifier.cachedTokenCount == 0)

        // A token refused as not yet valid is not cached either: rewinding proves it is rechecked.
        var payload = fixture.validPayload()
        payload["nbf"] = Int(fixture.clock.now.timeIntervalSince1970) + 3600
        let early = try fixture.craft(header: fixture.validHeader(), payload: payload)
        await #expect(throws: TokenError.notYetValid) { try await fixture.verifier.verify(early) }
        #expect(fixture.verifier.cachedTokenCount == 0)
    }

    @Test("a cached token is refused once expired")
    func expiryOnHit() async throws {
        let fixture = try Fixture()
        let token = try await issue(fixture, lifetime: .seconds(60))
        _ = try await fixture.verifier.verify(token)
        #expect(fixture.verifier.cachedTokenCount == 1)
        fixture.clock.advance(by: 60 + 29)
        _ = try await fixture.verifier.verify(token)  // within leeway, from the cache
        fixture.clock.advance(by: 2)
        await #expect(throws: TokenError.expired) { try await fixture.verifier.verify(token) }
        #expect(fixture.verifier.cachedTokenCount == 0)
        await #expect(throws: TokenError.expired) { try await fixture.verifier.verify(token) }
    }

    @Test("nbf is rechecked on a cache hit")
    func notBeforeOnHit() async throws {
        let fixture = try Fixture()
        let start = fixture.clock.now
        var payload = fixture.validPayload()
        payload["nbf"] = Int(start.timeIntervalSince1970) + 100
        payload["exp"] = Int(start.timeIntervalSince1970) + 1000
        let token = try fixture.craft(header: fixture.validHeader(), payload: payload)
        fixture.clock.advance(by: 100)
        _ = try await fixture.verifier.verify(token)
        #expect(fixture.verifier.cachedTokenCount == 1)
        fixture.clock.set(start)  // a clock step backwards
        await #expect(throws: TokenError.notYetValid) { try await fixture.verifier.verify(token) }
    }

    @Test("the audience is rechecked on a cache hit")
    func audienceOnHit() async throws {
        let fixture = try Fixture()
        let token = try await issue(fixture)
        _ = try await fixture.verifier.verify(token)
        // Same cache, other expected audience (as a later per-call audience would do).
        let cached = try #require(fixture.verifier.cache.value(for: token))
        var other = cached
        other.claims.audience = ["https://elsewhere.example.com"]
        fixture.verifier.cache.insert(other, for: "forged-entry")
        await #expect(throws: TokenError.wrongAudience) { try await fixture.verifier.verify("forged-entry") }
    }

    @Test("the cache is bounded and evicts the oldest entries")
    func bounded() async throws {
        let fixture = try Fixture(cacheCapacity: 3)
        var tokens: [String] = []
        for index in 0..<5 {
            tokens.append(try await issue(fixture, subject: "s\(index)"))
        }
        for token in tokens {
            _ = try await fixture.verifier.verify(token)
            #expect(fixture.verifier.cachedTokenCount <= 3)
        }
        #expect(fixture.verifier.cache.value(for: tokens[0]) == nil)
        #expect(fixture.verifier.cache.value(for: tokens[4]) != nil)
        for token in tokens {
            _ = try await fixture.verifier.verify(token)  // evicted ones verify again
        }
        #expect(fixture.verifier.cachedTokenCount == 3)
    }

    @Test("a capacity of zero disables caching")
    func disabled() async throws {
        let fixture = try Fixture(cacheCapacity: 0)
        let token = try await issue(fixture)
        _ = try await fixture.verifier.verify(token)
        _ = try await fixture.verifier.verify(token)
        #expect(fixture.verifier.cachedTokenCount == 0)
    }

    @Test("concurrent verification of many tokens is consistent")
    func concurrent() async throws {
        let fixture = try Fixture(cacheCapacity: 16)
        var tokens: [String] = []
        for index in 0..<32 {
            tokens.append(try await issue(fixture, subject: "s\(index)"))
        }
        let verifier = fixture.verifier
        let snapshot = tokens
        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<8 {
                group.addTask {
                    for (index, token) in snapshot.enumerated() where (index + round) % 2 == 0 {
                        let claims = try await verifier.verify(token)
                        #expect(claims.subject == "s\(index)")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(verifier.cachedTokenCount <= 16)
    }
}
