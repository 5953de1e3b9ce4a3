import Foundation
import Testing
@testable import Tokens

/// A keys directory with a reloading store, and a signer and verifiers following it.
final class RotationFixture: Sendable {
    let directory: TemporaryDirectory
    let clock: TestClock
    let store: SigningKeyStore
    let signer: TokenSigner
    let verifier: AccessTokenVerifier
    let hintVerifier: IDTokenHintVerifier

    init() throws {
        directory = try TemporaryDirectory()
        clock = TestClock()
        store = try SigningKeyStore(directory: directory.keys)
        signer = TokenSigner(keyStore: store, issuer: issuer, now: clock.closure)
        verifier = AccessTokenVerifier(keyStore: store, issuer: issuer, audience: audience, now: clock.closure)
        hintVerifier = IDTokenHintVerifier(keyStore: store, issuer: issuer)
    }

    func accessToken(lifetime: Duration = .seconds(3_600), algorithm: SigningAlgorithm = .es256) async throws -> String {
        try await signer.issueAccessToken(
            subject: "customer-1", audience: [audience], clientID: "web", scope: ["openid"], lifetime: lifetime, algorithm: algorithm
        ).token
    }

    func idToken(algorithm: SigningAlgorithm = .es256) throws -> String {
        let now = signer.currentTime
        return try signer.issueIDToken(IDTokenClaims(
            issuer: issuer, subject: "customer-1", audience: "web", expiresAt: now.addingTimeInterval(600), issuedAt: now,
            authTime: now, nonce: nil, contextClass: "", methods: [], accessTokenHash: nil, sessionID: "s1"
        ), algorithm: algorithm)
    }

    func rotate(_ algorithm: SigningAlgorithm) throws -> SigningKeyInfo {
        try SigningKeySet.rotate(directory: directory.keys, algorithm: algorithm, now: clock.now)
    }

    var manifestPath: String { directory.keys + "/signing-keys.json" }
}

func kid(of token: String) throws -> String {
    try #require(try jsonPart(token, 0)["kid"] as? String)
}

@Suite("Signing key rotation")
struct KeyRotationTests {
    @Test("rotate adds a key, retires the old one, and both stay in the manifest and the JWKS")
    func rotateKeepsOldKey() throws {
        let temporary = try TemporaryDirectory()
        let clock = TestClock()
        let before = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        let old = try #require(before.activeKey(for: .es256))
        let untouched = try #require(before.activeKey(for: .edDSA))

        clock.advance(by: 86_400)
        let new = try SigningKeySet.rotate(directory: temporary.keys, algorithm: .es256, now: clock.now)
        #expect(new.kid != old.kid)
        #expect(new.algorithm == .es256)
        #expect(new.retiredAt == nil)
        #expect(new.createdAt == clock.now)
        #expect(try permissions(of: temporary.keys + "/es256-\(new.kid).pem") == 0o600)

        let after = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        #expect(after.activeKey(for: .es256) == new)
        #expect(after.activeKey(for: .edDSA) == untouched)
        #expect(after.keys.count == 3)
        #expect(after.keys.first { $0.kid == old.kid }?.retiredAt == clock.now)
        #expect(Set(after.jwks.keys.map(\.keyID)) == [old.kid, new.kid, untouched.kid])
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.keys).filter { $0.hasSuffix(".tmp") }.isEmpty)
    }

    @Test("rotating both algorithms is two calls, each retiring only its own algorithm")
    func rotateBoth() throws {
        let temporary = try TemporaryDirectory()
        let before = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        let es256 = try SigningKeySet.rotate(directory: temporary.keys, algorithm: .es256)
        let edDSA = try SigningKeySet.rotate(directory: temporary.keys, algorithm: .edDSA)
        let after = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        #expect(after.activeKey(for: .es256) == es256)
        #expect(after.activeKey(for: .edDSA) == edDSA)
        #expect(after.keys.filter { $0.retiredAt != nil }.map(\.kid).sorted() == before.keys.map(\.kid).sorted())
    }

    @Test("rotate refuses a directory without a manifest")
    func rotateNeedsManifest() throws {
        let temporary = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: temporary.keys, withIntermediateDirectories: true)
        let error = try #require(throws: SigningKeyError.self) {
            try SigningKeySet.rotate(directory: temporary.keys, algorithm: .es256)
        }
        #expect(error.code == .missingFile)
    }

    @Test("after a reload the signer uses the new kid and tokens signed before still verify")
    func tokensAcrossRotation() async throws {
        let fixture = try RotationFixture()
        let oldKid = try #require(fixture.store.current.activeKey(for: .es256)).kid
        let oldAccess = try await fixture.accessToken()
        let oldID = try fixture.idToken()
        #expect(try kid(of: oldAccess) == oldKid)
        _ = try await fixture.verifier.verify(oldAccess)

        fixture.clock.advance(by: 60)
        let new = try fixture.rotate(.es256)
        // Nothing changes until the store reloads: no file system access per token.
        #expect(try kid(of: try await fixture.accessToken()) == oldKid)

        let result = fixture.store.reloadIfChanged()
        guard case .reloaded(let previous, let current) = result else {
            Issue.record("expected a reload, got \(result)")
            return
        }
        #expect(previous.count == 2)
        #expect(current.count == 3)
        #expect(fixture.store.current.jwks.keys.map(\.keyID).contains(oldKid))
        #expect(fixture.store.current.jwks.keys.map(\.keyID).contains(new.kid))

        let newAccess = try await fixture.accessToken()
        #expect(try kid(of: newAccess) == new.kid)
        #expect(try kid(of: try fixture.idToken()) == new.kid)

        // Before and after: both verify, cached or not.
        #expect(try await fixture.verifier.verify(oldAccess).subject == "customer-1")
        #expect(try await fixture.verifier.verify(newAccess).subject == "customer-1")
        let uncached = AccessTokenVerifier(keyStore: fixture.store, issuer: issuer, audience: audience, cacheCapacity: 0, now: fixture.clock.closure)
        _ = try await uncached.verify(oldAccess)
        _ = try await uncached.verify(newAccess)
        #expect(try fixture.hintVerifier.verify(oldID).sessionID == "s1")
        #expect(try fixture.hintVerifier.verify(try fixture.idToken()).sessionID == "s1")
        // The convenience view follows the store.
        #expect(fixture.signer.keys.activeKey(for: .es256) == new)
    }

    @Test("prune removes only keys retired longer ago than the limit, never an active key")
    func pruneRespectsLimit() throws {
        let temporary = try TemporaryDirectory()
        let clock = TestClock()
        let first = try SigningKeySet.loadOrCreate(directory: temporary.keys).activeKey(for: .es256)!
        let edDSA = try SigningKeySet.loadOrCreate(directory: temporary.keys).activeKey(for: .edDSA)!
        let second = try SigningKeySet.rotate(directory: temporary.keys, algorithm: .es256, now: clock.now)  // retires first at t0
        clock.advance(by: 1_000)
        let third = try SigningKeySet.rotate(directory: temporary.keys, algorithm: .es256, now: clock.now)  // retires second at t0+1000

        // At t0+1000+500 with a 1200 s limit: first was retired 1500 s ago, second 500 s ago.
        clock.advance(by: 500)
        let pruned = try SigningKeySet.prune(directory: temporary.keys, olderThan: .seconds(1_200), now: clock.now)
        #expect(pruned.map(\.kid) == [first.kid])
        #expect(!FileManager.default.fileExists(atPath: temporary.keys + "/es256-\(first.kid).pem"))
        #expect(FileManager.default.fileExists(atPath: temporary.keys + "/es256-\(second.kid).pem"))

        let after = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        #expect(after.keys.map(\.kid) == [edDSA.kid, second.kid, third.kid])

        // Exactly at the limit is not "more than" the limit.
        #expect(try SigningKeySet.prune(directory: temporary.keys, olderThan: .seconds(500), now: clock.now).isEmpty)

        // A zero limit removes every retired key and still keeps the active ones.
        clock.advance(by: 1)
        let rest = try SigningKeySet.prune(directory: temporary.keys, olderThan: .zero, now: clock.now)
        #expect(rest.map(\.kid) == [second.kid])
        let final = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        #expect(final.keys.map(\.kid) == [edDSA.kid, third.kid])
        #expect(final.keys.allSatisfy { $0.retiredAt == nil })
        #expect(try SigningKeySet.prune(directory: temporary.keys, olderThan: .zero, now: clock.now.addingTimeInterval(1e9)).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.keys).count == 4)
    }

    @Test("tokens signed with a pruned key no longer verify after the reload, even when cached")
    func prunedKeyStopsVerifying() async throws {
        let fixture = try RotationFixture()
        let oldAccess = try await fixture.accessToken()
        let oldID = try fixture.idToken()
        let oldEdDSA = try await fixture.accessToken(algorithm: .edDSA)
        _ = try await fixture.verifier.verify(oldAccess)  // now cached
        #expect(fixture.verifier.cachedTokenCount == 1)

        _ = try fixture.rotate(.es256)
        fixture.clock.advance(by: 10)
        let pruned = try SigningKeySet.prune(directory: fixture.directory.keys, olderThan: .seconds(5), now: fixture.clock.now)
        #expect(pruned.count == 1)
        // Until the reload, the running server still knows the key.
        _ = try await fixture.verifier.verify(oldAccess)

        guard case .reloaded = fixture.store.reloadIfChanged() else {
            Issue.record("expected a reload")
            return
        }
        await #expect(throws: TokenError.unknownKey) { try await fixture.verifier.verify(oldAccess) }
        #expect(fixture.verifier.cachedTokenCount == 0)
        #expect(throws: TokenError.unknownKey) { try fixture.hintVerifier.verify(oldID) }
        // The other algorithm's key was neither rotated nor pruned.
        _ = try await fixture.verifier.verify(oldEdDSA)
        _ = try await fixture.verifier.verify(try await fixture.accessToken())
    }
}
