import CustomerLogin
import Foundation
import Identifiers
import IdentityGraph
import Testing

/// The contract of `LoginStore`, run against every backend.
@Suite("LoginStore conformance")
struct LoginStoreConformanceTests {
    // Whole seconds, so that every backend stores the times exactly.
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let customer = CustomerID.random()

    static func at(_ seconds: Double) -> Date { now.addingTimeInterval(seconds) }

    /// `AuthorizationRequest` has no public initializer; it is `Codable`, so decode one.
    static func request(client: String = "webshop", state: String? = "xyz") throws -> AuthorizationRequest {
        var fields: [String: Any] = [
            "clientID": client, "redirectURI": "https://\(client).example/callback", "scope": ["openid", "offline_access"],
            "nonce": "n-0S6_WzA2Mj", "codeChallenge": String(repeating: "a", count: 43), "prompt": "login", "maxAge": 600,
            "loginHint": "anna@example.com", "locale": "fi",
        ]
        if let state { fields["state"] = state }
        return try JSONDecoder().decode(AuthorizationRequest.self, from: JSONSerialization.data(withJSONObject: fields))
    }

    static func authentication(_ methods: [String] = ["otp", "email"]) -> Authentication {
        Authentication(customerID: customer, time: at(-60), methods: methods, contextClass: "urn:solmu:acr:otp")
    }

    static func grant(expiresIn seconds: Double = 60) throws -> AuthorizationCodeGrant {
        AuthorizationCodeGrant(request: try request(), authentication: authentication(), sessionID: "sid-1", createdAt: now, expiresAt: at(seconds))
    }

    static func family(_ id: String = "family-1", session: String? = "sid-1", expiresIn seconds: Double = 86_400) -> RefreshFamily {
        RefreshFamily(
            id: id, clientID: "webshop", scope: ["openid", "offline_access"], authentication: authentication(),
            sessionID: session, createdAt: now, expiresAt: at(seconds)
        )
    }

    static func challenge(_ id: String = "challenge-1", identifier: Identifier = Identifier(trustedKind: .email, namespace: nil, value: "anna@example.com")) -> OneTimeCodeChallenge {
        OneTimeCodeChallenge(id: id, identifier: identifier, codeDigest: "digest-\(id)", pendingAuthorizationID: "pending-1", createdAt: now, expiresAt: at(600))
    }

    static func session(_ id: String = "sid-1", channels: [String] = []) -> LoginSession {
        LoginSession(id: id, authentication: authentication(), createdAt: now, lastSeenAt: now, channels: channels)
    }

    static func message(_ id: String, createdAt: Date, nextAttemptAt: Date? = nil) -> OutboxMessage {
        OutboxMessage(
            id: id, kind: .oneTimeCode, destination: "anna@example.com", payload: #"{"code":"123456"}"#,
            createdAt: createdAt, nextAttemptAt: nextAttemptAt ?? createdAt
        )
    }

    /// Runs `body` in `count` concurrent tasks and returns their results.
    static func concurrently<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) async throws -> T) async throws -> [T] {
        try await withThrowingTaskGroup(of: T.self) { group in
            for index in 0..<count { group.addTask { try await body(index) } }
            var results: [T] = []
            for try await result in group { results.append(result) }
            return results
        }
    }

    // MARK: - Login flow

    @Test(arguments: StoreBackend.allCases)
    func pendingAuthorizationRoundTripsUntilItExpires(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        let pending = PendingAuthorization(id: "pending-1", request: try Self.request(state: nil), createdAt: Self.now, expiresAt: Self.at(600))
        try await store.savePendingAuthorization(pending)

        #expect(try await store.pendingAuthorization("pending-1", now: Self.now) == pending)
        #expect(try await store.pendingAuthorization("pending-1", now: Self.at(599)) == pending)
        #expect(try await store.pendingAuthorization("pending-1", now: Self.at(600)) == nil)
        #expect(try await store.pendingAuthorization("pending-1", now: Self.at(3_600)) == nil)
        #expect(try await store.pendingAuthorization("pending-2", now: Self.now) == nil)
    }

    @Test(arguments: StoreBackend.allCases)
    func challengeRoundTripsItsIdentifier(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        let byEmail = Self.challenge("challenge-1")
        let byCard = Self.challenge("challenge-2", identifier: Identifier(trustedKind: .loyaltyCard, namespace: "plussa", value: "6012345678901234"))
        try await store.saveChallenge(byEmail)
        try await store.saveChallenge(byCard)

        #expect(try await store.challenge("challenge-1") == byEmail)
        #expect(try await store.challenge("challenge-2") == byCard)
        #expect(try await store.challenge("challenge-3") == nil)
    }

    @Test(arguments: StoreBackend.allCases)
    func failedAttemptsCountAtomically(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        try await store.saveChallenge(Self.challenge())
        #expect(try await store.recordFailedAttempt(challenge: "challenge-1") == 1)

        let counts = try await Self.concurrently(10) { _ in try await store.recordFailedAttempt(challenge: "challenge-1") }
        #expect(counts.sorted() == Array(2...11))
        #expect(try await store.challenge("challenge-1")?.attempts == 11)
    }

    @Test(arguments: StoreBackend.allCases)
    func challengeIsConsumedOnceUnderConcurrency(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        try await store.saveChallenge(Self.challenge())
        #expect(try await store.challenge("challenge-1")?.consumed == false)

        let results = try await Self.concurrently(10) { _ in try await store.consumeChallenge("challenge-1") }
        #expect(results.filter { $0 }.count == 1)
        #expect(try await store.challenge("challenge-1")?.consumed == true)
        #expect(try await store.consumeChallenge("challenge-1") == false)
        #expect(try await store.consumeChallenge("challenge-unknown") == false)
    }

    @Test(arguments: StoreBackend.allCases)
    func rateLimitAllowsTheLimitThenRefusesUntilTheWindowEnds(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        let window = Duration.seconds(60)
        for second in 0..<5 {
            #expect(try await store.rateLimit("otp:anna", limit: 5, window: window, now: Self.at(Double(second))) == .allowed)
        }
        // Another key has its own count.
        #expect(try await store.rateLimit("otp:bert", limit: 5, window: window, now: Self.at(5)) == .allowed)

        let refused = try await store.rateLimit("otp:anna", limit: 5, window: window, now: Self.at(10))
        #expect(refused == .limited(retryAfter: .seconds(50)))
        guard case let .limited(retryAfter) = try await store.rateLimit("otp:anna", limit: 5, window: window, now: Self.at(59.9)) else {
            Issue.record("the sixth event inside the window was allowed")
            return
        }
        // Less than a second is left, but the answer is never below one second.
        #expect(retryAfter >= .seconds(1))

        // A new window starts with the next event after the old one ended.
        #expect(try await store.rateLimit("otp:anna", limit: 5, window: window, now: Self.at(60)) == .allowed)
        for second in 61..<65 {
            #expect(try await store.rateLimit("otp:anna", limit: 5, window: window, now: Self.at(Double(second))) == .allowed)
        }
        #expect(try await store.rateLimit("otp:anna", limit: 5, window: window, now: Self.at(65)) == .limited(retryAfter: .seconds(55)))
    }

    @Test(arguments: StoreBackend.allCases)
    func rateLimitCountsConcurrentEventsExactly(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        let decisions = try await Self.concurrently(10) { _ in
            try await store.rateLimit("login:1.2.3.4", limit: 4, window: .seconds(60), now: Self.now)
        }
        #expect(decisions.filter { $0 == .allowed }.count == 4)
        #expect(decisions.filter { $0 == .limited(retryAfter: .seconds(60)) }.count == 6)
    }

    // MARK: - Sessions

    @Test(arguments: StoreBackend.allCases)
    func sessionIsFoundByCookieAndIdWithItsChannelsInOrder(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        try await store.createSession(Self.session(channels: ["webshop"]), cookieDigest: "cookie-1")
        try await store.createSession(Self.session("sid-2"), cookieDigest: "cookie-2")

        try await store.addChannel("mobile-app", toSession: "sid-1", at: Self.at(10))
        try await store.addChannel("loyalty", toSession: "sid-1", at: Self.at(20))
        // Adding again changes nothing, not even the order.
        try await store.addChannel("webshop", toSession: "sid-1", at: Self.at(30))
        try await store.addChannel("mobile-app", toSession: "sid-1", at: Self.at(40))
        try await store.addChannel("webshop", toSession: "sid-unknown", at: Self.at(40))
        try await store.touchSession(cookieDigest: "cookie-1", at: Self.at(50))

        var expected = Self.session(channels: ["webshop", "mobile-app", "loyalty"])
        expected.lastSeenAt = Self.at(50)
        #expect(try await store.session(cookieDigest: "cookie-1") == expected)
        #expect(try await store.session(id: "sid-1") == expected)
        #expect(try await store.session(id: "sid-2") == Self.session("sid-2"))
        #expect(try await store.session(cookieDigest: "cookie-3") == nil)
        #expect(try await store.session(id: "sid-unknown") == nil)
    }

    @Test(arguments: StoreBackend.allCases)
    func sessionEndsOnce(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        try await store.createSession(Self.session(channels: ["webshop"]), cookieDigest: "cookie-1")

        let results = try await Self.concurrently(10) { index in try await store.endSession(id: "sid-1", at: Self.at(Double(100 + index))) }
        let ended = results.compactMap { $0 }
        #expect(ended == [Self.session(channels: ["webshop"])])
        #expect(try await store.endSession(id: "sid-1", at: Self.at(200)) == nil)
        #expect(try await store.endSession(id: "sid-unknown", at: Self.at(200)) == nil)

        // An ended session is still there; callers check endedAt.
        let stored = try #require(try await store.session(cookieDigest: "cookie-1"))
        let endedAt = try #require(stored.endedAt)
        #expect(endedAt >= Self.at(100) && endedAt < Self.at(110))
        #expect(try await store.session(id: "sid-1") == stored)
    }

    // MARK: - Authorization codes

    @Test(arguments: StoreBackend.allCases)
    func codeIsRedeemedOnceThenReplayedWithWhatItIssued(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        let grant = try Self.grant()
        try await store.saveCode(grant, digest: "code-1")

        #expect(try await store.redeemCode(digest: "code-1", now: Self.at(5)) == .redeemed(grant))
        #expect(try await store.redeemCode(digest: "code-1", now: Self.at(6)) == .replayed(grant, accessTokenIDs: [], refreshFamilyIDs: []))

        try await store.recordIssued(byCode: "code-1", accessTokenID: "jti-1", refreshFamilyID: "family-1")
        try await store.recordIssued(byCode: "code-1", accessTokenID: "jti-2", refreshFamilyID: nil)
        #expect(try await store.redeemCode(digest: "code-1", now: Self.at(7)) == .replayed(grant, accessTokenIDs: ["jti-1", "jti-2"], refreshFamilyIDs: ["family-1"]))
        // A replay stays a replay after the code's expiry: the caller still has to revoke.
        #expect(try await store.redeemCode(digest: "code-1", now: Self.at(3_600)) == .replayed(grant, accessTokenIDs: ["jti-1", "jti-2"], refreshFamilyIDs: ["family-1"]))
    }

    @Test(arguments: StoreBackend.allCases)
    func unknownAndExpiredCodesAreUnknown(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        let grant = try Self.grant(expiresIn: 60)
        try await store.saveCode(grant, digest: "code-1")

        #expect(try await store.redeemCode(digest: "code-2", now: Self.now) == .unknown)
        #expect(try await store.redeemCode(digest: "code-1", now: Self.at(60)) == .unknown)
        #expect(try await store.redeemCode(digest: "code-1", now: Self.at(61)) == .unknown)
        // Refusing an expired code did not redeem it.
        #expect(try await store.redeemCode(digest: "code-1", now: Self.at(59)) == .redeemed(grant))
    }

    @Test(arguments: StoreBackend.allCases)
    func concurrentRedemptionsRedeemOnce(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        let grant = try Self.grant()
        try await store.saveCode(grant, digest: "code-1")

        let results = try await Self.concurrently(10) { _ in try await store.redeemCode(digest: "code-1", now: Self.at(1)) }
        #expect(results.filter { $0 == .redeemed(grant) }.count == 1)
        #expect(results.filter { $0 == .replayed(grant, accessTokenIDs: [], refreshFamilyIDs: []) }.count == 9)
    }

    // MARK: - Refresh tokens

    @Test(arguments: StoreBackend.allCases)
    func refreshTokensRotateAndReuseRevokesTheFamily(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        let family = Self.family()
        try await store.createRefreshFamily(family, firstTokenDigest: "rt-0")

        #expect(try await store.rotateRefreshToken(digest: "rt-0", newDigest: "rt-1", now: Self.at(10)) == .rotated(family))
        #expect(try await store.rotateRefreshToken(digest: "rt-1", newDigest: "rt-2", now: Self.at(20)) == .rotated(family))
        #expect(try await store.rotateRefreshToken(digest: "rt-2", newDigest: "rt-3", now: Self.at(30)) == .rotated(family))

        var revoked = family
        revoked.revokedAt = Self.at(40)
        #expect(try await store.rotateRefreshToken(digest: "rt-0", newDigest: "rt-x", now: Self.at(40)) == .reused(revoked))
        // The family is dead: even its newest token, and the replayed one again, are invalid.
        #expect(try await store.rotateRefreshToken(digest: "rt-3", newDigest: "rt-4", now: Self.at(50)) == .invalid)
        #expect(try await store.rotateRefreshToken(digest: "rt-0", newDigest: "rt-y", now: Self.at(50)) == .invalid)
        #expect(try await store.rotateRefreshToken(digest: "rt-x", newDigest: "rt-z", now: Self.at(50)) == .invalid)
        #expect(try await store.rotateRefreshToken(digest: "rt-unknown", newDigest: "rt-z", now: Self.at(50)) == .invalid)
    }

    @Test(arguments: StoreBackend.allCases)
    func concurrentRotationsOfOneTokenRotateOnce(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        let family = Self.family()
        try await store.createRefreshFamily(family, firstTokenDigest: "rt-0")

        let results = try await Self.concurrently(10) { index in
            try await store.rotateRefreshToken(digest: "rt-0", newDigest: "rt-\(index + 1)", now: Self.at(10))
        }
        var revoked = family
        revoked.revokedAt = Self.at(10)
        #expect(results.filter { $0 == .rotated(family) }.count == 1)
        // The first loser finds a replayed token and revokes the family; the rest find it revoked.
        #expect(results.filter { $0 == .reused(revoked) }.count == 1)
        #expect(results.filter { $0 == .invalid }.count == 8)
    }

    @Test(arguments: StoreBackend.allCases)
    func expiredOrRevokedFamiliesAreInvalid(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        try await store.createRefreshFamily(Self.family("family-1", expiresIn: 100), firstTokenDigest: "rt-a")
        try await store.createRefreshFamily(Self.family("family-2"), firstTokenDigest: "rt-b")

        #expect(try await store.rotateRefreshToken(digest: "rt-a", newDigest: "rt-a1", now: Self.at(100)) == .invalid)
        #expect(try await store.rotateRefreshToken(digest: "rt-a", newDigest: "rt-a1", now: Self.at(99)) == .rotated(Self.family("family-1", expiresIn: 100)))

        try await store.revokeRefreshFamily(id: "family-2", at: Self.at(5))
        #expect(try await store.rotateRefreshToken(digest: "rt-b", newDigest: "rt-b1", now: Self.at(10)) == .invalid)
    }

    @Test(arguments: StoreBackend.allCases)
    func logoutRevokesTheSessionsFamilies(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        try await store.createRefreshFamily(Self.family("family-1", session: "sid-1"), firstTokenDigest: "rt-1")
        try await store.createRefreshFamily(Self.family("family-2", session: "sid-1"), firstTokenDigest: "rt-2")
        try await store.createRefreshFamily(Self.family("family-3", session: "sid-1"), firstTokenDigest: "rt-3")
        try await store.createRefreshFamily(Self.family("family-4", session: "sid-2"), firstTokenDigest: "rt-4")
        try await store.createRefreshFamily(Self.family("family-5", session: nil), firstTokenDigest: "rt-5")
        try await store.revokeRefreshFamily(id: "family-3", at: Self.at(1))

        #expect(try await store.revokeRefreshFamilies(session: "sid-1", at: Self.at(10)).sorted() == ["family-1", "family-2"])
        #expect(try await store.revokeRefreshFamilies(session: "sid-1", at: Self.at(11)) == [])
        #expect(try await store.revokeRefreshFamilies(session: "sid-unknown", at: Self.at(11)) == [])

        for digest in ["rt-1", "rt-2", "rt-3"] {
            #expect(try await store.rotateRefreshToken(digest: digest, newDigest: "\(digest)-next", now: Self.at(20)) == .invalid)
        }
        #expect(try await store.rotateRefreshToken(digest: "rt-4", newDigest: "rt-4-next", now: Self.at(20)) == .rotated(Self.family("family-4", session: "sid-2")))
        #expect(try await store.rotateRefreshToken(digest: "rt-5", newDigest: "rt-5-next", now: Self.at(20)) == .rotated(Self.family("family-5", session: nil)))
    }

    // MARK: - Access tokens

    @Test(arguments: StoreBackend.allCases)
    func revokedAccessTokensAreRemembered(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        #expect(try await store.isAccessTokenRevoked(id: "jti-1") == false)
        try await store.revokeAccessToken(id: "jti-1", expiresAt: Self.at(300))
        // Revoking again is fine.
        try await store.revokeAccessToken(id: "jti-1", expiresAt: Self.at(300))
        #expect(try await store.isAccessTokenRevoked(id: "jti-1"))
        #expect(try await store.isAccessTokenRevoked(id: "jti-2") == false)
    }

    // MARK: - Replay detection

    // rememberOnce judges expiry by the store's own clock, so these times are relative to now.

    @Test(arguments: StoreBackend.allCases)
    func aKeyIsRememberedOnce(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        let until = Date().addingTimeInterval(300)
        #expect(try await store.rememberOnce("dpop:jkt-1:jti-1", until: until))
        #expect(try await store.rememberOnce("dpop:jkt-1:jti-1", until: until) == false)
        // A later expiry does not make a replay acceptable.
        #expect(try await store.rememberOnce("dpop:jkt-1:jti-1", until: until.addingTimeInterval(3_600)) == false)
        // Other keys are independent.
        #expect(try await store.rememberOnce("dpop:jkt-2:jti-1", until: until))
        #expect(try await store.rememberOnce("assertion:pos:jti-1", until: until))
    }

    @Test(arguments: StoreBackend.allCases)
    func concurrentInsertsOfOneKeyRememberItOnce(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        let until = Date().addingTimeInterval(300)
        let results = try await Self.concurrently(16) { _ in try await store.rememberOnce("assertion:pos:jti-race", until: until) }
        #expect(results.filter { $0 }.count == 1)
    }

    @Test(arguments: StoreBackend.allCases)
    func anExpiredKeyMayBeRememberedAgain(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        // Stored already expired: the next use is not a replay.
        #expect(try await store.rememberOnce("dpop:jkt-1:jti-1", until: Date().addingTimeInterval(-1)))
        #expect(try await store.rememberOnce("dpop:jkt-1:jti-1", until: Date().addingTimeInterval(300)))
        // Now it is live again and refused.
        #expect(try await store.rememberOnce("dpop:jkt-1:jti-1", until: Date().addingTimeInterval(300)) == false)
    }

    // MARK: - Passwords

    @Test(arguments: StoreBackend.allCases)
    func passwordFailuresCountLockAndReset(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        let customer = Self.customer
        #expect(try await store.password(of: customer) == nil)

        try await store.setPassword("$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA", for: customer)
        #expect(try await store.password(of: customer) == PasswordRecord(customerID: customer, hash: "$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA"))

        #expect(try await store.recordPasswordFailure(customer, lockedUntil: nil) == 1)
        #expect(try await store.recordPasswordFailure(customer, lockedUntil: Self.at(900)) == 2)
        #expect(try await store.password(of: customer)?.failures == 2)
        #expect(try await store.password(of: customer)?.lockedUntil == Self.at(900))
        // A racing failure that computed no lock, or a shorter one, does not lift the lock.
        #expect(try await store.recordPasswordFailure(customer, lockedUntil: nil) == 3)
        #expect(try await store.recordPasswordFailure(customer, lockedUntil: Self.at(300)) == 4)
        #expect(try await store.password(of: customer)?.lockedUntil == Self.at(900))
        #expect(try await store.recordPasswordFailure(customer, lockedUntil: Self.at(1_800)) == 5)
        #expect(try await store.password(of: customer)?.lockedUntil == Self.at(1_800))

        try await store.resetPasswordFailures(customer)
        #expect(try await store.password(of: customer) == PasswordRecord(customerID: customer, hash: "$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA"))

        let counts = try await Self.concurrently(5) { _ in try await store.recordPasswordFailure(customer, lockedUntil: Self.at(60)) }
        #expect(counts.sorted() == [1, 2, 3, 4, 5])

        // A new password starts over.
        try await store.setPassword("$scrypt$ln=15,r=8,p=1$bmV3$bmV3", for: customer)
        #expect(try await store.password(of: customer) == PasswordRecord(customerID: customer, hash: "$scrypt$ln=15,r=8,p=1$bmV3$bmV3"))
        #expect(try await store.password(of: CustomerID.random()) == nil)
    }

    // MARK: - Outbox

    @Test(arguments: StoreBackend.allCases)
    func outboxHandsOutDueMessagesUntilDelivered(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        let first = Self.message("m-1", createdAt: Self.at(0))
        let second = Self.message("m-2", createdAt: Self.at(1))
        let later = Self.message("m-3", createdAt: Self.at(2), nextAttemptAt: Self.at(100))
        var logout = Self.message("m-4", createdAt: Self.at(3))
        logout.kind = .backchannelLogout
        logout.destination = "https://webshop.example/logout"
        for message in [logout, later, second, first] { try await store.enqueue(message) }

        #expect(try await store.dueMessages(now: Self.at(10), limit: 10) == [first, second, logout])
        #expect(try await store.dueMessages(now: Self.at(10), limit: 2) == [first, second])
        #expect(try await store.dueMessages(now: Self.at(2.5), limit: 10) == [first, second])

        // A failed delivery waits; the others move up.
        try await store.reschedule("m-1", attempts: 1, nextAttemptAt: Self.at(50), error: "connection refused")
        try await store.markDelivered("m-2", at: Self.at(11))
        #expect(try await store.dueMessages(now: Self.at(12), limit: 10) == [logout])

        var retried = first
        retried.attempts = 1
        retried.nextAttemptAt = Self.at(50)
        #expect(try await store.dueMessages(now: Self.at(50), limit: 10) == [logout, retried])
        #expect(try await store.dueMessages(now: Self.at(100), limit: 10) == [logout, retried, later])

        try await store.markDelivered("m-1", at: Self.at(101))
        try await store.markDelivered("m-3", at: Self.at(101))
        try await store.markDelivered("m-4", at: Self.at(101))
        #expect(try await store.dueMessages(now: Self.at(1_000), limit: 10) == [])
    }

    @Test(arguments: StoreBackend.allCases)
    func claimedMessagesAreHeldForTheirLease(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        let first = Self.message("m-1", createdAt: Self.at(0))
        let second = Self.message("m-2", createdAt: Self.at(1))
        let third = Self.message("m-3", createdAt: Self.at(2))
        for message in [third, second, first] { try await store.enqueue(message) }

        // Two instances claiming at once never get the same message.
        async let a = store.claimDueMessages(now: Self.at(10), limit: 2, lease: .seconds(60))
        async let b = store.claimDueMessages(now: Self.at(10), limit: 2, lease: .seconds(60))
        let (claimedA, claimedB) = try await (a, b)
        #expect(Set(claimedA.map(\.id)).isDisjoint(with: claimedB.map(\.id)))
        #expect(Set((claimedA + claimedB).map(\.id)) == ["m-1", "m-2", "m-3"])
        #expect(try await store.claimDueMessages(now: Self.at(20), limit: 10, lease: .seconds(60)).isEmpty)

        // Delivered ones are done; the others come back when the lease ends.
        try await store.markDelivered("m-1", at: Self.at(11))
        try await store.reschedule("m-2", attempts: 1, nextAttemptAt: Self.at(30), error: "timeout")
        var retried = second
        retried.attempts = 1
        retried.nextAttemptAt = Self.at(30)
        #expect(try await store.claimDueMessages(now: Self.at(30), limit: 10, lease: .seconds(60)) == [retried])
        let expired = try await store.claimDueMessages(now: Self.at(70), limit: 10, lease: .seconds(60))
        #expect(expired.map(\.id) == ["m-3"])
    }
}

@Suite("LoginStore purge")
struct LoginStorePurgeTests {
    @Test(arguments: StoreBackend.allCases)
    func purgeRemovesOnlyWhatIsPastTheCutoff(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        let old = Date(timeIntervalSince1970: 1_700_000_000)
        let cutoff = old.addingTimeInterval(3_600)
        try await store.revokeAccessToken(id: "old", expiresAt: old)
        try await store.revokeAccessToken(id: "new", expiresAt: cutoff.addingTimeInterval(60))
        _ = try await store.rateLimit("k-old", limit: 1, window: .seconds(60), now: old)
        let removed = try await store.purge(before: cutoff)
        #expect(removed == 2)
        #expect(try await store.isAccessTokenRevoked(id: "old") == false)
        #expect(try await store.isAccessTokenRevoked(id: "new") == true)
        #expect(try await store.purge(before: cutoff) == 0)
    }
}

@Suite("LoginStore purge of replay keys")
struct LoginStoreReplayPurgeTests {
    @Test(arguments: StoreBackend.allCases)
    func purgeRemovesExpiredReplayKeys(backend: StoreBackend) async throws {
        let store = try backend.makeLoginStore()
        let now = Date()
        #expect(try await store.rememberOnce("old", until: now.addingTimeInterval(-7_200)))
        #expect(try await store.rememberOnce("live", until: now.addingTimeInterval(300)))
        #expect(try await store.purge(before: now.addingTimeInterval(-3_600)) == 1)
        #expect(try await store.purge(before: now.addingTimeInterval(-3_600)) == 0)
        #expect(try await store.rememberOnce("live", until: now.addingTimeInterval(300)) == false)
    }
}
