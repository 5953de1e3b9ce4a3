import Channels
import Crypto
import CustomerLogin
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identifiers
import IdentityGraph
import Messaging
import NIOCore
import Synchronization
import Testing
import Tokens

/// Drives customer login as a browser and two channels would: sign-up with a one-time code, SSO
/// into a second channel, the code and refresh grants with their attacks, userinfo, logout.
@Suite("Customer login and SSO")
struct CustomerLoginFlowTests {
    let harness = try! TestHarness()
    var outboxDirectory: String { harness.directory.appendingPathComponent("outbox").path }
    let logouts = Recorded()

    static let webshopRedirect = "https://shop.example.com/oauth/callback"
    static let appRedirect = "com.example.shop:/oauth/callback"

    /// Delivers the outbox (files for codes, a recorder for logout tokens) and returns the newest code
    /// (sent to `destination`, when given: file times have whole seconds).
    func deliveredCode(to destination: String? = nil) async throws -> String {
        let delivery = OutboxDelivery(
            store: harness.loginStore, policy: MessagingPolicy(codeSender: .file(directory: outboxDirectory)),
            codeSender: FileMessageSender(directory: outboxDirectory), backchannelLogoutSender: RecordingSender(recorded: logouts)
        )
        _ = try await delivery.deliverDue(now: Date().addingTimeInterval(1))
        let files = try FileManager.default.contentsOfDirectory(atPath: outboxDirectory).filter { $0.hasSuffix(".json") }
        var newest: MessageDocument?
        for file in files {
            let document = try MessageDocument.decode(Data(contentsOf: URL(fileURLWithPath: outboxDirectory + "/" + file)))
            if let destination, document.destination != destination { continue }
            if newest == nil || document.createdAt >= newest!.createdAt { newest = document }
        }
        let payload = try #require(newest?.payload)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
        return try #require(object["code"] as? String)
    }

    func deliverLogouts() async throws {
        let delivery = OutboxDelivery(
            store: harness.loginStore, policy: MessagingPolicy(codeSender: .file(directory: outboxDirectory)),
            codeSender: FileMessageSender(directory: outboxDirectory), backchannelLogoutSender: RecordingSender(recorded: logouts)
        )
        _ = try await delivery.deliverDue(now: Date().addingTimeInterval(1))
    }

    static func pkce() -> (verifier: String, challenge: String) {
        let verifier = OpaqueToken().value + "x"
        let challenge = Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return (verifier, challenge)
    }

    static func authorizeURI(client: String, redirect: String, scope: String, state: String, nonce: String, challenge: String?, extra: String = "") -> String {
        var uri = "/oauth/authorize?response_type=code&client_id=\(client)&redirect_uri=\(redirect.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
            + "&scope=\(scope.replacingOccurrences(of: " ", with: "%20"))&state=\(state)&nonce=\(nonce)"
        if let challenge { uri += "&code_challenge=\(challenge)&code_challenge_method=S256" }
        return uri + extra
    }

    func tokenRequest(_ client: some TestClientProtocol, _ fields: [(String, String)], basic credentials: (String, String)? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let credentials { headers[.authorization] = basic(credentials.0, credentials.1) }
        return try await client.execute(uri: "/oauth/token", method: .post, headers: headers, body: ByteBuffer(string: Browser.form(fields)))
    }

    @Test func signUpSSOLogoutAndTheAttacksOnTheWay() async throws {
        try await harness.test { client in
            let browser = Browser(client)
            let webshopPKCE = Self.pkce()

            // 1. The web shop sends the browser to log in.
            let loginPage = try await browser.get(Self.authorizeURI(
                client: "webshop", redirect: Self.webshopRedirect, scope: "openid email profile", state: "s-1", nonce: "n-1", challenge: webshopPKCE.challenge
            ))
            #expect(loginPage.status == .ok)
            #expect(loginPage.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(browser.cookies["solmu_csrf"] != nil)

            // A form without the CSRF token changes nothing.
            let forged = try await browser.post("/login/start", [("request_id", Browser.hiddenFields(in: loginPage.text, action: "/login/start").first { $0.0 == "request_id" }?.1 ?? ""), ("identifier", "anna@example.com")])
            #expect(forged.status == .badRequest)

            // 2. The customer types an e-mail address and gets a code.
            let codePage = try await browser.submit(loginPage, action: "/login/start", [("identifier", " Anna@Example.com ")])
            #expect(codePage.status == .ok, "\(codePage.text)")
            #expect(codePage.text.contains("a***@example.com"))
            let code = try await deliveredCode()
            #expect(code.count == 6)

            // A wrong code counts an attempt.
            let wrong = try await browser.submit(codePage, action: "/login/code", [("code", code == "000000" ? "111111" : "000000")])
            #expect(wrong.status == .badRequest)
            #expect(wrong.text.contains("4"))
            #expect(wrong.text.contains("a***@example.com"), "the page after a wrong code still names where the code went")

            // 3. The right code signs a new customer up and offers a password.
            let offer = try await browser.submit(wrong, action: "/login/code", [("code", code)])
            #expect(offer.status == .ok, "\(offer.text)")
            #expect(offer.text.contains("/login/set-password"))
            #expect(browser.cookies["solmu_session"] != nil)
            // The same code does not work twice.
            let again = try await browser.submit(codePage, action: "/login/code", [("code", code)])
            #expect(again.status != .seeOther)

            let back = try await browser.submit(offer, action: "/login/set-password", [("password", "correct horse battery"), ("password_confirmation", "correct horse battery")])
            #expect(back.status == .seeOther)
            let location = try #require(back.headers[.location])
            #expect(location.hasPrefix(Self.webshopRedirect + "?"))
            let answer = queryItems(location)
            #expect(answer["state"] == "s-1")
            #expect(answer["iss"] == TestHarness.issuer)
            let webshopCode = try #require(answer["code"])

            // The identifier is now a verified link of a new customer, recorded in the link log.
            let resolved = try #require(try await harness.store.resolve(Identifier(trustedKind: .email, namespace: nil, value: "anna@example.com")))
            #expect(resolved.links.first?.provenance.assurance == .verified)
            #expect(resolved.links.first?.provenance.channel == "webshop")
            let customerID = resolved.customerID

            // 4. The web shop redeems the code; PKCE and the redirect URI must match.
            let missingVerifier = try await tokenRequest(client, [("grant_type", "authorization_code"), ("code", webshopCode), ("redirect_uri", Self.webshopRedirect)], basic: ("webshop", "webshop-dev-secret"))
            #expect(missingVerifier.json["error"] as? String == "invalid_grant")
            // That failed attempt used the code up: a one-time code is one-time even when the attempt fails.
            let tokens = try await tokenRequest(client, [("grant_type", "authorization_code"), ("code", webshopCode), ("redirect_uri", Self.webshopRedirect), ("code_verifier", webshopPKCE.verifier)], basic: ("webshop", "webshop-dev-secret"))
            #expect(tokens.json["error"] as? String == "invalid_grant", "a used code is refused")

            // Log in again to the web shop: the session makes it instant (no page).
            let retryPKCE = Self.pkce()
            let instant = try await browser.get(Self.authorizeURI(client: "webshop", redirect: Self.webshopRedirect, scope: "openid email profile", state: "s-2", nonce: "n-2", challenge: retryPKCE.challenge))
            #expect(instant.status == .found)
            let instantCode = try #require(queryItems(instant.headers[.location] ?? "")["code"])
            let webshopTokens = try await tokenRequest(client, [("grant_type", "authorization_code"), ("code", instantCode), ("redirect_uri", Self.webshopRedirect), ("code_verifier", retryPKCE.verifier)], basic: ("webshop", "webshop-dev-secret"))
            #expect(webshopTokens.status == .ok, "\(webshopTokens.text)")
            let idToken = try #require(webshopTokens.json["id_token"] as? String)
            let accessToken = try #require(webshopTokens.json["access_token"] as? String)
            let refreshToken = try #require(webshopTokens.json["refresh_token"] as? String)
            let claims = try IDTokenHintVerifier(keys: harness.keys, issuer: TestHarness.issuer).verify(idToken)
            #expect(claims.subject == customerID.rawValue)
            #expect(claims.audience == "webshop")
            #expect(claims.nonce == "n-2")
            #expect(claims.methods == ["otp"])
            #expect(claims.contextClass == LoginService.acrVerified)
            #expect(claims.sessionID != nil)
            #expect(claims.accessTokenHash == TokenSigner.accessTokenHash(accessToken, algorithm: .es256))

            // 5. userinfo: e-mail from the verified link.
            let userinfo = try await client.execute(uri: "/oauth/userinfo", method: .get, headers: [.authorization: "Bearer \(accessToken)"])
            #expect(userinfo.status == .ok)
            #expect(userinfo.json["sub"] as? String == customerID.rawValue)
            #expect(userinfo.json["email"] as? String == "anna@example.com")
            #expect(userinfo.json["email_verified"] as? Bool == true)
            // A customer token does not open the channels' API.
            #expect(try await client.json(.get, "/v1/link-log", token: accessToken).status == .unauthorized)

            // 6. SSO into the mobile app (public, PKCE): no page, straight back with a code.
            let appPKCE = Self.pkce()
            let sso = try await browser.get(Self.authorizeURI(client: "mobile-app", redirect: Self.appRedirect, scope: "openid email", state: "m-1", nonce: "mn-1", challenge: appPKCE.challenge))
            #expect(sso.status == .found)
            let appCode = try #require(queryItems(sso.headers[.location] ?? "")["code"])
            let appTokens = try await tokenRequest(client, [("grant_type", "authorization_code"), ("code", appCode), ("redirect_uri", Self.appRedirect), ("code_verifier", appPKCE.verifier), ("client_id", "mobile-app")])
            #expect(appTokens.status == .ok, "\(appTokens.text)")
            let appAccess = try #require(appTokens.json["access_token"] as? String)
            let appID = try #require(appTokens.json["id_token"] as? String)
            #expect(try IDTokenHintVerifier(keys: harness.keys, issuer: TestHarness.issuer).verify(appID).sessionID == claims.sessionID)
            #expect(String(decoding: Data(base64Encoded: String(appID.split(separator: ".")[0]).base64URLPadded)!, as: UTF8.self).contains("EdDSA"))

            // Code replay: refused, and the access token issued from the code is revoked.
            let replay = try await tokenRequest(client, [("grant_type", "authorization_code"), ("code", appCode), ("redirect_uri", Self.appRedirect), ("code_verifier", appPKCE.verifier), ("client_id", "mobile-app")])
            #expect(replay.json["error"] as? String == "invalid_grant")
            #expect(try await client.execute(uri: "/oauth/userinfo", method: .get, headers: [.authorization: "Bearer \(appAccess)"]).status == .unauthorized)

            // 7. Refresh rotation with reuse detection.
            let rotated = try await tokenRequest(client, [("grant_type", "refresh_token"), ("refresh_token", refreshToken)], basic: ("webshop", "webshop-dev-secret"))
            #expect(rotated.status == .ok, "\(rotated.text)")
            let newRefresh = try #require(rotated.json["refresh_token"] as? String)
            #expect(newRefresh != refreshToken)
            let reuse = try await tokenRequest(client, [("grant_type", "refresh_token"), ("refresh_token", refreshToken)], basic: ("webshop", "webshop-dev-secret"))
            #expect(reuse.json["error"] as? String == "invalid_grant")
            let afterReuse = try await tokenRequest(client, [("grant_type", "refresh_token"), ("refresh_token", newRefresh)], basic: ("webshop", "webshop-dev-secret"))
            #expect(afterReuse.json["error"] as? String == "invalid_grant", "reuse revoked the whole family")

            // 8. Logout from the web shop: registered post-logout redirect, back-channel token queued.
            let unregistered = try await browser.get("/oauth/logout?id_token_hint=\(idToken)&post_logout_redirect_uri=https%3A%2F%2Fevil.example%2F")
            #expect(unregistered.status == .badRequest, "never redirect to an unregistered URI")
            let logout = try await browser.get("/oauth/logout?id_token_hint=\(idToken)&post_logout_redirect_uri=https%3A%2F%2Fshop.example.com%2F&state=bye")
            #expect(logout.status == .found)
            #expect(logout.headers[.location] == "https://shop.example.com/?state=bye")
            #expect(browser.cookies["solmu_session"] == nil)
            try await deliverLogouts()
            let delivered = logouts.messages()
            #expect(delivered.count == 1, "only the web shop registered a back-channel logout URI")
            #expect(delivered.first?.destination == "https://shop.example.com/oauth/backchannel-logout")
            let logoutToken = try #require(delivered.first?.payload)
            let header = String(decoding: Data(base64Encoded: String(logoutToken.split(separator: ".")[0]).base64URLPadded)!, as: UTF8.self)
            #expect(header.contains("logout+jwt"))
            let body = String(decoding: Data(base64Encoded: String(logoutToken.split(separator: ".")[1]).base64URLPadded)!, as: UTF8.self)
            #expect(body.contains("backchannel-logout"))
            #expect(body.contains(claims.sessionID ?? "-"))

            // After logout, prompt=none cannot log in silently.
            let silent = try await browser.get(Self.authorizeURI(client: "webshop", redirect: Self.webshopRedirect, scope: "openid", state: "s-3", nonce: "n-3", challenge: Self.pkce().challenge, extra: "&prompt=none"))
            #expect(silent.status == .found)
            #expect(queryItems(silent.headers[.location] ?? "")["error"] == "login_required")
        }
    }

    @Test func aCodeLoginVerifiesTheLinkOfAnExistingCustomer() async throws {
        let existing = try await harness.store.createCustomer(
            NewCustomer(identifiers: [.init(identifier: Identifier(trustedKind: .phone, namespace: nil, value: "+358401234567"), assurance: .asserted)]),
            context: ChangeContext(actor: "callcenter")
        )
        try await harness.test { client in
            let browser = Browser(client)
            let pkce = Self.pkce()
            let page = try await browser.get(Self.authorizeURI(client: "webshop", redirect: Self.webshopRedirect, scope: "openid phone", state: "e", nonce: "n", challenge: pkce.challenge, extra: "&ui_locales=fi"))
            #expect(page.text.contains("lang=\"fi\""))
            let codePage = try await browser.submit(page, action: "/login/start", [("identifier", "040 123 4567")])
            #expect(codePage.text.contains("+358******567"))
            let code = try await deliveredCode()
            let done = try await browser.submit(codePage, action: "/login/code", [("code", code)])
            // No password yet: the set-password page, then skip.
            let back = try await browser.submit(done, action: "/login/set-password", [("skip", "1")])
            #expect(back.status == .seeOther)
            let issued = try await tokenRequest(client, [("grant_type", "authorization_code"), ("code", queryItems(back.headers[.location] ?? "")["code"] ?? ""), ("redirect_uri", Self.webshopRedirect), ("code_verifier", pkce.verifier)], basic: ("webshop", "webshop-dev-secret"))
            let idToken = try #require(issued.json["id_token"] as? String)
            let claims = try IDTokenHintVerifier(keys: harness.keys, issuer: TestHarness.issuer).verify(idToken)
            #expect(claims.subject == existing.id.rawValue, "the same customer, not a new one")
            #expect(claims.methods == ["otp", "sms"])
            let link = try #require(try await harness.store.resolve(Identifier(trustedKind: .phone, namespace: nil, value: "+358401234567")))
            #expect(link.links.first?.provenance.assurance == .verified)
            let log = try await harness.store.linkLog(customer: existing.id, after: nil, limit: 10)
            #expect(log.last?.record.action == .assuranceRaised)
            #expect(log.last?.record.actor == "webshop")
            let userinfo = try await client.execute(uri: "/oauth/userinfo", method: .post, headers: [.authorization: "Bearer \(issued.json["access_token"] as? String ?? "")"])
            #expect(userinfo.json["phone_number"] as? String == "+358401234567")
            #expect(userinfo.json["email"] == nil, "no email scope")
        }
    }

    /// Browsers check `form-action` on the redirect that follows a form POST (CSP Level 3); with
    /// `form-action 'self'` alone a real Chromium refused the 303 to the client after the code
    /// was entered, and login never finished (found by Tests/interop/test_browser.py).
    @Test func theLoginPagesFormActionAllowsTheClientsRedirect() async throws {
        try await harness.test { client in
            let cases = [
                (client: "webshop", redirect: Self.webshopRedirect, source: "https://shop.example.com"),
                (client: "mobile-app", redirect: Self.appRedirect, source: "com.example.shop:"),
                (client: "mobile-app", redirect: "http://127.0.0.1:53117/oauth/callback", source: "http://127.0.0.1:53117"),
            ]
            for (index, item) in cases.enumerated() {
                let browser = Browser(client)
                let expected = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' \(item.source); frame-ancestors 'none'; base-uri 'none'"
                let page = try await browser.get(Self.authorizeURI(client: item.client, redirect: item.redirect, scope: "openid", state: "f", nonce: "n", challenge: Self.pkce().challenge))
                #expect(page.status == .ok)
                #expect(page.headers[.contentSecurityPolicy] == expected)
                let email = "form-action-\(index)@example.com"
                let codePage = try await browser.submit(page, action: "/login/start", [("identifier", email)])
                #expect(codePage.status == .ok)
                #expect(codePage.headers[.contentSecurityPolicy] == expected, "the page whose form answers with the redirect")
                let offer = try await browser.submit(codePage, action: "/login/code", [("code", try await deliveredCode(to: email))])
                #expect(offer.text.contains("action=\"/login/set-password\""))
                #expect(offer.headers[.contentSecurityPolicy] == expected)
            }
            // The logout confirmation allows a registered post-logout redirect, nothing else.
            let browser = Browser(client)
            let registered = try await browser.get("/oauth/logout?client_id=webshop&post_logout_redirect_uri=https%3A%2F%2Fshop.example.com%2F")
            #expect(registered.headers[.contentSecurityPolicy]?.contains("form-action 'self' https://shop.example.com;") == true)
            let foreign = try await browser.get("/oauth/logout?client_id=webshop&post_logout_redirect_uri=https%3A%2F%2Fevil.example%2F")
            #expect(foreign.headers[.contentSecurityPolicy]?.contains("form-action 'self';") == true)
        }
    }

    @Test func logoutWithoutAHintAsksFirst() async throws {
        try await harness.test { client in
            let browser = Browser(client)
            let page = try await browser.get(Self.authorizeURI(client: "webshop", redirect: Self.webshopRedirect, scope: "openid", state: "c", nonce: "n", challenge: Self.pkce().challenge))
            let codePage = try await browser.submit(page, action: "/login/start", [("identifier", "confirm@example.com")])
            let offer = try await browser.submit(codePage, action: "/login/code", [("code", try await deliveredCode())])
            _ = try await browser.submit(offer, action: "/login/set-password", [("skip", "1")])
            let silently = Self.authorizeURI(client: "webshop", redirect: Self.webshopRedirect, scope: "openid", state: "s", nonce: "n", challenge: Self.pkce().challenge, extra: "&prompt=none")

            // A bare GET (what a link on another site could do) only asks.
            let confirmation = try await browser.get("/oauth/logout?client_id=webshop&post_logout_redirect_uri=https%3A%2F%2Fshop.example.com%2F&state=x")
            #expect(confirmation.status == .ok)
            #expect(confirmation.text.contains("action=\"/oauth/logout\""))
            #expect(queryItems(try await browser.get(silently).headers[.location] ?? "")["code"] != nil, "still logged in")
            // A POST without the form's CSRF token only asks again.
            let forged = try await browser.post("/oauth/logout", [("client_id", "webshop")])
            #expect(forged.status == .badRequest)
            #expect(queryItems(try await browser.get(silently).headers[.location] ?? "")["code"] != nil, "still logged in")
            // Confirming logs out and goes back to the registered URI with the state.
            let done = try await browser.submit(confirmation, action: "/oauth/logout", [])
            #expect(done.status == .found)
            #expect(done.headers[.location] == "https://shop.example.com/?state=x")
            #expect(queryItems(try await browser.get(silently).headers[.location] ?? "")["error"] == "login_required")
        }
    }

    @Test func badTokenRequestsAreRefusedAndChangeNothing() async throws {
        try await harness.test { client in
            let browser = Browser(client)
            let pkce = Self.pkce()
            let page = try await browser.get(Self.authorizeURI(client: "webshop", redirect: Self.webshopRedirect, scope: "openid", state: "b", nonce: "n", challenge: pkce.challenge))
            let codePage = try await browser.submit(page, action: "/login/start", [("identifier", "bad@example.com")])
            let offer = try await browser.submit(codePage, action: "/login/code", [("code", try await deliveredCode())])
            let back = try await browser.submit(offer, action: "/login/set-password", [("password", "short"), ("password_confirmation", "short")])
            #expect(back.status == .badRequest, "a too short password is refused")
            let differ = try await browser.submit(offer, action: "/login/set-password", [("password", "long enough passphrase"), ("password_confirmation", "long enough passphrasE")])
            #expect(differ.status == .badRequest)
            let redirect = try await browser.submit(offer, action: "/login/set-password", [("skip", "1")])
            let code = try #require(queryItems(redirect.headers[.location] ?? "")["code"])
            let before = try await harness.store.statistics()

            for (fields, credentials, error) in [
                ([("grant_type", "authorization_code"), ("code", "not-a-code"), ("redirect_uri", Self.webshopRedirect), ("code_verifier", pkce.verifier)], ("webshop", "webshop-dev-secret"), "invalid_grant"),
                ([("grant_type", "authorization_code"), ("redirect_uri", Self.webshopRedirect)], ("webshop", "webshop-dev-secret"), "invalid_request"),
                ([("grant_type", "refresh_token")], ("webshop", "webshop-dev-secret"), "invalid_request"),
                ([("grant_type", "refresh_token"), ("refresh_token", OpaqueToken().value)], ("webshop", "webshop-dev-secret"), "invalid_grant"),
            ] as [([(String, String)], (String, String), String)] {
                let response = try await tokenRequest(client, fields, basic: credentials)
                #expect(response.json["error"] as? String == error, "\(fields)")
            }
            // The code used by another client: refused (and burnt).
            let stolen = try await tokenRequest(client, [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Self.appRedirect), ("code_verifier", pkce.verifier), ("client_id", "mobile-app")])
            #expect(stolen.json["error"] as? String == "invalid_grant")
            // A public client that sends a secret is not authenticated.
            let withSecret = try await tokenRequest(client, [("grant_type", "refresh_token"), ("refresh_token", OpaqueToken().value), ("client_id", "mobile-app"), ("client_secret", "x")])
            #expect(withSecret.json["error"] as? String == "invalid_client")
            #expect(try await harness.store.statistics() == before, "refused token requests change no identity")
        }
    }

    @Test func passwordLoginAndLockout() async throws {
        let customer = try await harness.store.createCustomer(
            NewCustomer(identifiers: [.init(identifier: Identifier(trustedKind: .email, namespace: nil, value: "pw@example.com"), assurance: .verified)]),
            context: ChangeContext(actor: "test")
        )
        try await harness.loginStore.setPassword(try SecretHash.make(secret: "a long passphrase", logRounds: 10).description, for: customer.id)
        try await harness.test { client in
            let browser = Browser(client)
            let pkce = Self.pkce()
            let start = try await browser.get(Self.authorizeURI(client: "webshop", redirect: Self.webshopRedirect, scope: "openid", state: "p", nonce: "n", challenge: pkce.challenge))
            let requestID = try #require(Browser.hiddenFields(in: start.text, action: "/login/start").first { $0.0 == "request_id" }?.1)
            let passwordPage = try await browser.get("/login/password?request_id=\(requestID)")
            #expect(passwordPage.status == .ok)
            for attempt in 1...5 {
                let wrong = try await browser.submit(passwordPage, action: "/login/password", [("identifier", "pw@example.com"), ("password", "wrong \(attempt)")])
                #expect(wrong.status == (attempt < 5 ? .unauthorized : .tooManyRequests), "attempt \(attempt)")
            }
            let locked = try await browser.submit(passwordPage, action: "/login/password", [("identifier", "pw@example.com"), ("password", "a long passphrase")])
            #expect(locked.status == .tooManyRequests, "locked even with the right password")
            #expect(locked.headers[.retryAfter] != nil)
            // An unknown identifier answers like a wrong password.
            let unknown = try await browser.submit(passwordPage, action: "/login/password", [("identifier", "nobody@example.com"), ("password", "whatever it is")])
            #expect(unknown.status == .unauthorized)
        }
    }

    @Test func authorizationErrorsNeverRedirectToUnverifiedURIs() async throws {
        try await harness.test { client in
            let challenge = Self.pkce().challenge
            for (uri, expected) in [
                ("/oauth/authorize?response_type=code&client_id=nobody&redirect_uri=https%3A%2F%2Fshop.example.com%2Foauth%2Fcallback", HTTPResponse.Status.badRequest),
                ("/oauth/authorize?response_type=code&client_id=webshop&redirect_uri=https%3A%2F%2Fshop.example.com%2Foauth%2Fcallback%2F", .badRequest),
                ("/oauth/authorize?response_type=code&client_id=webshop&redirect_uri=https%3A%2F%2FSHOP.example.com%2Foauth%2Fcallback", .badRequest),
                ("/oauth/authorize?response_type=code&client_id=webshop", .badRequest),
            ] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == expected, "\(uri)")
                #expect(response.headers[.location] == nil)
            }
            // Loopback redirects may use any port (RFC 8252 §7.3).
            let loopback = try await client.execute(uri: Self.authorizeURI(client: "mobile-app", redirect: "http://127.0.0.1:49152/oauth/callback", scope: "openid", state: "l", nonce: "n", challenge: challenge), method: .get)
            #expect(loopback.status == .ok)
            // Errors after the redirect URI is known go back to it, with state and iss.
            for (extra, error) in [("&response_type=token", "unsupported_response_type"), ("&scope=openid%20admin", "invalid_scope"), ("&code_challenge_method=plain", "invalid_request")] {
                let base = "/oauth/authorize?client_id=mobile-app&redirect_uri=com.example.shop%3A%2Foauth%2Fcallback&state=st&code_challenge=\(challenge)"
                let uri = extra == "&response_type=token" ? base + extra : base + "&response_type=code" + extra
                let response = try await client.execute(uri: uri.replacingOccurrences(of: "&code_challenge=\(challenge)&code_challenge_method=plain", with: "&code_challenge=\(challenge)&code_challenge_method=plain"), method: .get)
                #expect(response.status == .found, "\(extra)")
                let items = queryItems(response.headers[.location] ?? "")
                #expect(items["error"] == error, "\(extra)")
                #expect(items["state"] == "st")
                #expect(items["iss"] == TestHarness.issuer)
            }
            // A public client without PKCE is refused.
            let noPKCE = try await client.execute(uri: "/oauth/authorize?response_type=code&client_id=mobile-app&redirect_uri=com.example.shop%3A%2Foauth%2Fcallback&state=x", method: .get)
            #expect(queryItems(noPKCE.headers[.location] ?? "")["error"] == "invalid_request")
        }
    }

    @Test func discoveryListsTheLoginEndpoints() async throws {
        try await harness.test { client in
            let json = try await client.execute(uri: "/.well-known/openid-configuration", method: .get).json
            #expect(json["authorization_endpoint"] as? String == "\(TestHarness.issuer)/oauth/authorize")
            #expect(json["userinfo_endpoint"] as? String == "\(TestHarness.issuer)/oauth/userinfo")
            #expect(json["end_session_endpoint"] as? String == "\(TestHarness.issuer)/oauth/logout")
            #expect(json["code_challenge_methods_supported"] as? [String] == ["S256"])
            #expect(json["response_types_supported"] as? [String] == ["code"])
            #expect(json["authorization_response_iss_parameter_supported"] as? Bool == true)
        }
    }
}

/// Records back-channel logout deliveries instead of POSTing them.
final class Recorded: Sendable {
    private let box = Mutex<[OutboxMessage]>([])
    func append(_ message: OutboxMessage) { box.withLock { $0.append(message) } }
    func messages() -> [OutboxMessage] { box.withLock { $0 } }
}

struct RecordingSender: MessageSender {
    let recorded: Recorded
    func send(_ message: OutboxMessage) async throws { recorded.append(message) }
}
