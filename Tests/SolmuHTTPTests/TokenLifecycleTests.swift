import Channels
import CustomerLogin
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identifiers
import IdentityGraph
import NIOCore
import Testing
import Tokens
import SolmuHTTP
import Policies

/// Token exchange (RFC 8693), introspection (RFC 7662), revocation (RFC 7009), DPoP (RFC 9449)
/// and private_key_jwt (RFC 7523) through the HTTP surface.
@Suite("Token exchange and lifecycle")
struct TokenLifecycleTests {
    static let kiosk = ProofMaker()
    static let extraChannels: [Channels.Channel] = {
        var kiosk = Channel(
            id: "kiosk", name: "Store kiosk", clientType: .privateKeyJWT, grantTypes: [.clientCredentials], scopes: ["identity:resolve"],
            linkAssurance: [:], visibleKinds: [.loyaltyCard], redirectURIs: [], accessTokenLifetime: .seconds(300)
        )
        var jwk = Self.kiosk.publicJWK
        jwk["kid"] = "kiosk-1"
        jwk["alg"] = "ES256"
        jwk["use"] = "sig"
        kiosk.publicKeysJSON = String(decoding: try! JSONSerialization.data(withJSONObject: ["keys": [jwk]], options: .sortedKeys), as: UTF8.self)
        var strict = Channel(
            id: "strict-app", name: "DPoP app", clientType: .confidential(try! SecretHash.make(secret: "strict-secret", logRounds: 10)),
            grantTypes: [.clientCredentials], scopes: ["identity:resolve"], linkAssurance: [:], visibleKinds: [.email],
            redirectURIs: [], accessTokenLifetime: .seconds(300)
        )
        strict.requiresDPoP = true
        // A supervisor desk that takes over delegated calls: its rule accepts the call center's
        // delegated tokens as subjects, so the actors chain.
        var escalation = Channel(
            id: "escalation", name: "Escalation desk", clientType: .confidential(try! SecretHash.make(secret: "escalation-secret", logRounds: 10)),
            grantTypes: [.tokenExchange], scopes: [], linkAssurance: [:], visibleKinds: [], redirectURIs: [], accessTokenLifetime: .seconds(300)
        )
        escalation.tokenExchange = [TokenExchangeRule(
            audience: "escalation", subjectKinds: [.accessToken], subjectClients: ["callcenter"], actorRequired: true,
            actorClients: ["callcenter"], scopes: ["openid", "orders:read"], maxLifetime: .seconds(300)
        )]
        return TestHarness.policies.channels + [kiosk, strict, escalation]
    }()

    let harness = try! TestHarness(channels: Self.extraChannels)
    static let exchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange"
    static let accessTokenType = "urn:ietf:params:oauth:token-type:access_token"

    func customer(_ email: String, card: String? = nil) async throws -> CustomerID {
        var items: [NewCustomer.Item] = [.init(identifier: Identifier(trustedKind: .email, namespace: nil, value: email), assurance: .verified)]
        if let card { items.append(.init(identifier: Identifier(trustedKind: .loyaltyCard, namespace: "plussa", value: card), assurance: .asserted)) }
        return try await harness.store.createCustomer(NewCustomer(identifiers: items), context: ChangeContext(actor: "test")).id
    }

    /// A customer access token as the login flow issues it.
    func customerToken(_ id: CustomerID, client: String, scope: [String] = ["openid", "email", "profile"], lifetime: Duration = .seconds(600)) async throws -> String {
        var template = AccessTokenClaims(issuer: TestHarness.issuer, subject: id.rawValue, audience: [TestHarness.issuer], expiresAt: Date(), issuedAt: Date(), tokenID: "", scope: scope, clientID: client)
        template.contextClass = LoginService.acrVerified
        return try await harness.services.signer.issueAccessToken(template, lifetime: lifetime).token
    }

    func post(_ client: some TestClientProtocol, _ path: String, _ fields: [(String, String)], basic credentials: (String, String)? = nil, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        headers[.contentType] = "application/x-www-form-urlencoded"
        if let credentials { headers[.authorization] = basic(credentials.0, credentials.1) }
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: Browser.form(fields)))
    }

    func exchangeLog(_ id: CustomerID) async throws -> [LinkLogEntry] {
        try await harness.store.linkLog(customer: id, after: nil, limit: 100).filter { $0.record.action == .tokenExchanged }
    }

    @Test func handOffFromTheAppToTheWebShop() async throws {
        let anna = try await customer("anna@example.com")
        let appToken = try await customerToken(anna, client: "mobile-app")
        try await harness.test { client in
            let response = try await post(client, "/oauth/token", [
                ("grant_type", Self.exchangeGrant), ("client_id", "mobile-app"), ("subject_token", appToken),
                ("subject_token_type", Self.accessTokenType), ("audience", "webshop"), ("scope", "openid email"),
            ])
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.json["issued_token_type"] as? String == Self.accessTokenType)
            #expect(response.json["token_type"] as? String == "Bearer")
            let token = try #require(response.json["access_token"] as? String)
            let claims = ProofMaker.claims(token)
            #expect(claims["sub"] as? String == anna.rawValue)
            #expect(claims["aud"] as? String == "webshop")
            #expect(claims["client_id"] as? String == "mobile-app")
            #expect(claims["scope"] as? String == "email openid")
            #expect((response.json["expires_in"] as? Int ?? 0) <= 300)
            #expect(claims["acr"] as? String == LoginService.acrVerified)

            // Narrowing only: a scope beyond the rule, an audience without a rule, a foreign subject token.
            for (fields, error) in [
                ([("audience", "webshop"), ("scope", "openid phone")], "invalid_scope"),
                ([("audience", "pos")], "invalid_target"),
                ([("audience", "webshop"), ("actor_token", appToken), ("actor_token_type", Self.accessTokenType)], "invalid_target"),
                ([("audience", "webshop"), ("requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token")], "invalid_request"),
            ] as [([(String, String)], String)] {
                let refused = try await post(client, "/oauth/token", [("grant_type", Self.exchangeGrant), ("client_id", "mobile-app"), ("subject_token", appToken), ("subject_token_type", Self.accessTokenType)] + fields)
                #expect(refused.json["error"] as? String == error, "\(fields)")
            }
            let webshopToken = try await customerToken(anna, client: "webshop")
            let foreign = try await post(client, "/oauth/token", [("grant_type", Self.exchangeGrant), ("client_id", "mobile-app"), ("subject_token", webshopToken), ("subject_token_type", Self.accessTokenType), ("audience", "webshop")])
            #expect(foreign.json["error"] as? String == "invalid_grant", "the rule accepts only the app's own tokens")
            let garbage = try await post(client, "/oauth/token", [("grant_type", Self.exchangeGrant), ("client_id", "mobile-app"), ("subject_token", "not.a.token"), ("subject_token_type", Self.accessTokenType), ("audience", "webshop")])
            #expect(garbage.json["error"] as? String == "invalid_grant")
        }
        let log = try await exchangeLog(anna)
        #expect(log.count == 1, "only the allowed exchange is recorded")
        #expect(log.first?.record.actor == "mobile-app")
        #expect(log.first?.record.reason?.contains("audience=webshop") == true)
    }

    @Test func delegationCarriesTheActorAndNestsWhenChained() async throws {
        let anna = try await customer("anna@example.com")
        let subject = try await customerToken(anna, client: "webshop")
        let agent = try await harness.services.signer.issueAccessToken(subject: "agent-7", audience: [harness.services.apiAudience], clientID: "callcenter", scope: ["identity:read"], lifetime: .seconds(600)).token
        let supervisor = try await harness.services.signer.issueAccessToken(subject: "supervisor-2", audience: [harness.services.apiAudience], clientID: "callcenter", scope: ["identity:read"], lifetime: .seconds(600)).token
        try await harness.test { client in
            let credentials = ("callcenter", "callcenter-dev-secret")
            let withoutActor = try await post(client, "/oauth/token", [("grant_type", Self.exchangeGrant), ("subject_token", subject), ("subject_token_type", Self.accessTokenType)], basic: credentials)
            #expect(withoutActor.json["error"] as? String == "invalid_target", "delegation needs an actor")

            let delegated = try await post(client, "/oauth/token", [
                ("grant_type", Self.exchangeGrant), ("subject_token", subject), ("subject_token_type", Self.accessTokenType),
                ("actor_token", agent), ("actor_token_type", Self.accessTokenType), ("scope", "openid orders:read"),
            ], basic: credentials)
            #expect(delegated.status == .ok, "\(delegated.text)")
            let first = try #require(delegated.json["access_token"] as? String)
            let act = try #require(ProofMaker.claims(first)["act"] as? [String: Any])
            #expect(act["sub"] as? String == "agent-7")
            #expect(act["client_id"] as? String == "callcenter")
            #expect(ProofMaker.claims(first)["sub"] as? String == anna.rawValue)

            // The supervisor takes over the call: the result names both, newest first.
            let chained = try await post(client, "/oauth/token", [
                ("grant_type", Self.exchangeGrant), ("subject_token", subject), ("subject_token_type", Self.accessTokenType),
                ("actor_token", supervisor), ("actor_token_type", Self.accessTokenType),
            ], basic: credentials)
            #expect(chained.status == .ok)
            // Chain through a delegated token as subject (issued to callcenter, which the rule does not accept as a subject client).
            let viaDelegated = try await post(client, "/oauth/token", [
                ("grant_type", Self.exchangeGrant), ("subject_token", first), ("subject_token_type", Self.accessTokenType),
                ("actor_token", supervisor), ("actor_token_type", Self.accessTokenType),
            ], basic: credentials)
            #expect(viaDelegated.json["error"] as? String == "invalid_grant")

            // The supervisor's desk takes the delegated token over: the actors nest, newest outside.
            let nested = try await post(client, "/oauth/token", [
                ("grant_type", Self.exchangeGrant), ("subject_token", first), ("subject_token_type", Self.accessTokenType),
                ("actor_token", supervisor), ("actor_token_type", Self.accessTokenType),
            ], basic: ("escalation", "escalation-secret"))
            #expect(nested.status == .ok, "\(nested.text)")
            let outer = try #require(ProofMaker.claims(nested.json["access_token"] as? String ?? "")["act"] as? [String: Any])
            #expect(outer["sub"] as? String == "supervisor-2")
            #expect((outer["act"] as? [String: Any])?["sub"] as? String == "agent-7")
            // Introspection by the audience channel shows the chain too.
            let introspected = try await post(client, "/oauth/introspect", [("token", nested.json["access_token"] as? String ?? "")], basic: ("escalation", "escalation-secret"))
            #expect(introspected.json["active"] as? Bool == true)
            #expect(((introspected.json["act"] as? [String: Any])?["act"] as? [String: Any])?["sub"] as? String == "agent-7")

            // An identifier told on the phone works as the subject too.
            let byPhone = try await post(client, "/oauth/token", [
                ("grant_type", Self.exchangeGrant), ("subject_token", "email:ANNA@example.com"), ("subject_token_type", "urn:solmu:params:oauth:token-type:identifier"),
                ("actor_token", agent), ("actor_token_type", Self.accessTokenType),
            ], basic: credentials)
            #expect(byPhone.status == .ok, "\(byPhone.text)")
            #expect(ProofMaker.claims(byPhone.json["access_token"] as? String ?? "")["acr"] as? String == "urn:solmu:acr:asserted")
        }
        // Nesting, checked on the verified claims.
        let log = try await exchangeLog(anna)
        #expect(log.count == 4)
        #expect(log.filter { $0.record.actor == "callcenter" }.count == 3)
        #expect(log.contains { $0.record.reason?.contains("actor=agent-7@callcenter") == true })
    }

    @Test func nestedActClaimsDecode() throws {
        let inner = AccessTokenClaims.Actor(subject: "agent-7", clientID: "callcenter", actor: nil)
        let outer = AccessTokenClaims.Actor(subject: "supervisor-2", clientID: "callcenter", actor: inner)
        let data = try JSONEncoder().encode(outer)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains("\"act\":{"))
        #expect(try JSONDecoder().decode(AccessTokenClaims.Actor.self, from: data) == outer)
        #expect(outer.depth == 2)
    }

    @Test func identifierAssertionAtThePointOfSale() async throws {
        let anna = try await customer("anna@example.com", card: "6012345678901234")
        try await harness.test { client in
            let credentials = ("pos", "pos-dev-secret")
            let identifierType = "urn:solmu:params:oauth:token-type:identifier"
            let response = try await post(client, "/oauth/token", [("grant_type", Self.exchangeGrant), ("subject_token", "loyalty_card:plussa:6012 3456 7890 1234"), ("subject_token_type", identifierType)], basic: credentials)
            #expect(response.status == .ok, "\(response.text)")
            let claims = ProofMaker.claims(response.json["access_token"] as? String ?? "")
            #expect(claims["sub"] as? String == anna.rawValue)
            #expect(claims["acr"] as? String == "urn:solmu:acr:asserted")
            #expect(claims["scope"] as? String == "loyalty:earn")
            #expect(claims["aud"] as? String == "pos")

            let unknown = try await post(client, "/oauth/token", [("grant_type", Self.exchangeGrant), ("subject_token", "loyalty_card:plussa:6012000000000003"), ("subject_token_type", identifierType)], basic: credentials)
            let otherKind = try await post(client, "/oauth/token", [("grant_type", Self.exchangeGrant), ("subject_token", "email:anna@example.com"), ("subject_token_type", identifierType)], basic: credentials)
            #expect(unknown.json["error"] as? String == "invalid_grant")
            #expect(otherKind.json["error"] as? String == "invalid_grant")
            #expect(unknown.json["error_description"] as? String == otherKind.json["error_description"] as? String, "an unknown card and a kind the rule does not cover answer alike")
            let malformed = try await post(client, "/oauth/token", [("grant_type", Self.exchangeGrant), ("subject_token", "loyalty_card:plussa:12"), ("subject_token_type", identifierType)], basic: credentials)
            #expect(malformed.json["error"] as? String == "invalid_request")
            let beyond = try await post(client, "/oauth/token", [("grant_type", Self.exchangeGrant), ("subject_token", "loyalty_card:plussa:6012345678901234"), ("subject_token_type", identifierType), ("scope", "openid")], basic: credentials)
            #expect(beyond.json["error"] as? String == "invalid_scope")
        }
        let log = try await exchangeLog(anna)
        #expect(log.count == 1)
        #expect(log.first?.record.identifierKind == .loyaltyCard)
        #expect(log.first?.record.valueHash != nil)
    }

    @Test func introspectionAndRevocation() async throws {
        try await harness.test { client in
            let issued = try await post(client, "/oauth/token", [("grant_type", "client_credentials")], basic: ("webshop", "webshop-dev-secret"))
            let token = try #require(issued.json["access_token"] as? String)
            let active = try await post(client, "/oauth/introspect", [("token", token)], basic: ("webshop", "webshop-dev-secret"))
            #expect(active.json["active"] as? Bool == true)
            #expect(active.json["client_id"] as? String == "webshop")
            #expect(active.json["scope"] as? String != nil)
            #expect(active.json["exp"] as? Int != nil)
            // Another channel learns nothing about it; a public client may not introspect.
            let foreign = try await post(client, "/oauth/introspect", [("token", token)], basic: ("pos", "pos-dev-secret"))
            #expect(foreign.json["active"] as? Bool == false)
            #expect(foreign.json.count == 1)
            let publicClient = try await post(client, "/oauth/introspect", [("token", token), ("client_id", "mobile-app")])
            #expect(publicClient.status == .badRequest)
            let garbage = try await post(client, "/oauth/introspect", [("token", "nonsense")], basic: ("webshop", "webshop-dev-secret"))
            #expect(garbage.json["active"] as? Bool == false)

            // Revocation: 200 always; the token stops working on the API and in introspection.
            #expect(try await client.json(.get, "/v1/resolve?kind=email&value=a%40example.com", token: token).status == .notFound)
            let revoked = try await post(client, "/oauth/revoke", [("token", token), ("token_type_hint", "access_token")], basic: ("webshop", "webshop-dev-secret"))
            #expect(revoked.status == .ok)
            #expect(try await post(client, "/oauth/revoke", [("token", "unknown")], basic: ("webshop", "webshop-dev-secret")).status == .ok)
            #expect(try await post(client, "/oauth/revoke", [("token", token), ("token_type_hint", "id_token")], basic: ("webshop", "webshop-dev-secret")).status == .ok, "an unknown hint is ignored")
            try await Task.sleep(for: .milliseconds(1_100))
            #expect(try await client.json(.get, "/v1/resolve?kind=email&value=a%40example.com", token: token).status == .unauthorized)
            #expect(try await post(client, "/oauth/introspect", [("token", token)], basic: ("webshop", "webshop-dev-secret")).json["active"] as? Bool == false)
        }
    }

    @Test func refreshTokensIntrospectAndRevokeAsAFamily() async throws {
        let anna = try await customer("refresh@example.com")
        let family = RefreshFamily(
            id: OpaqueToken().value, clientID: "webshop", scope: ["openid", "offline_access"],
            authentication: Authentication(customerID: anna, time: Date(), methods: ["otp"], contextClass: LoginService.acrVerified),
            sessionID: nil, createdAt: Date(), expiresAt: Date().addingTimeInterval(3_600)
        )
        let refresh = OpaqueToken()
        try await harness.loginStore.createRefreshFamily(family, firstTokenDigest: refresh.digest)
        try await harness.test { client in
            let credentials = ("webshop", "webshop-dev-secret")
            let active = try await post(client, "/oauth/introspect", [("token", refresh.value), ("token_type_hint", "refresh_token")], basic: credentials)
            #expect(active.json["active"] as? Bool == true)
            #expect(active.json["sub"] as? String == anna.rawValue)
            #expect(try await post(client, "/oauth/introspect", [("token", refresh.value)], basic: ("pos", "pos-dev-secret")).json["active"] as? Bool == false)
            // Another channel cannot revoke it; its owner can.
            _ = try await post(client, "/oauth/revoke", [("token", refresh.value)], basic: ("callcenter", "callcenter-dev-secret"))
            #expect(try await post(client, "/oauth/introspect", [("token", refresh.value)], basic: credentials).json["active"] as? Bool == true)
            #expect(try await post(client, "/oauth/revoke", [("token", refresh.value), ("token_type_hint", "refresh_token")], basic: credentials).status == .ok)
            #expect(try await post(client, "/oauth/introspect", [("token", refresh.value)], basic: credentials).json["active"] as? Bool == false)
            let refreshed = try await post(client, "/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", refresh.value)], basic: credentials)
            #expect(refreshed.json["error"] as? String == "invalid_grant")
        }
    }

    @Test func dpopBindsTokensToTheClientsKey() async throws {
        let key = ProofMaker()
        let other = ProofMaker()
        try await harness.test { client in
            let tokenURL = TestHarness.issuer + "/oauth/token"
            let issued = try await post(client, "/oauth/token", [("grant_type", "client_credentials")], basic: ("webshop", "webshop-dev-secret"),
                                        headers: [HTTPField.Name("DPoP")!: key.dpop("POST", tokenURL)])
            #expect(issued.status == .ok, "\(issued.text)")
            #expect(issued.json["token_type"] as? String == "DPoP")
            #expect(issued.headers[HTTPField.Name("DPoP-Nonce")!] != nil)
            let token = try #require(issued.json["access_token"] as? String)
            #expect((ProofMaker.claims(token)["cnf"] as? [String: Any])?["jkt"] as? String != nil)

            let resource = TestHarness.issuer + "/v1/resolve"
            func call(_ authorization: String, proof: String?) async throws -> TestResponse {
                var headers: HTTPFields = [.authorization: authorization]
                if let proof { headers[HTTPField.Name("DPoP")!] = proof }
                return try await client.execute(uri: "/v1/resolve?kind=email&value=a%40example.com", method: .get, headers: headers)
            }
            let good = key.dpop("GET", resource, accessToken: token)
            #expect(try await call("DPoP \(token)", proof: good).status == .notFound, "authenticated; nobody has that address")
            #expect(try await call("DPoP \(token)", proof: good).status == .unauthorized, "a proof is accepted once")
            #expect(try await call("Bearer \(token)", proof: nil).status == .unauthorized, "a bound token is not a bearer token")
            #expect(try await call("DPoP \(token)", proof: nil).status == .unauthorized)
            #expect(try await call("DPoP \(token)", proof: other.dpop("GET", resource, accessToken: token)).status == .unauthorized, "another key")
            #expect(try await call("DPoP \(token)", proof: key.dpop("POST", resource, accessToken: token)).status == .unauthorized, "htm")
            #expect(try await call("DPoP \(token)", proof: key.dpop("GET", TestHarness.issuer + "/v1/customers", accessToken: token)).status == .unauthorized, "htu")
            #expect(try await call("DPoP \(token)", proof: key.dpop("GET", resource, accessToken: token + "x")).status == .unauthorized, "ath")
            #expect(try await call("DPoP \(token)", proof: key.dpop("GET", resource, accessToken: token, iat: Date().addingTimeInterval(-600))).status == .unauthorized, "iat")
            let challenge = try await call("DPoP \(token)", proof: nil)
            #expect(challenge.headers[.wwwAuthenticate]?.hasPrefix("DPoP") == true)
        }
    }

    @Test func aPublicClientsDPoPBoundRefreshTokenNeedsItsKey() async throws {
        let key = ProofMaker()
        let anna = try await customer("bound@example.com")
        let refresh = OpaqueToken()
        try await harness.loginStore.createRefreshFamily(RefreshFamily(
            id: OpaqueToken().value, clientID: "mobile-app", scope: ["openid"],
            authentication: Authentication(customerID: anna, time: Date(), methods: ["otp"], contextClass: LoginService.acrVerified),
            sessionID: nil, createdAt: Date(), expiresAt: Date().addingTimeInterval(3_600), confirmationKey: key.thumbprint
        ), firstTokenDigest: refresh.digest)
        try await harness.test { client in
            let tokenURL = TestHarness.issuer + "/oauth/token"
            let withoutProof = try await post(client, "/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", refresh.value), ("client_id", "mobile-app")])
            #expect(withoutProof.json["error"] as? String == "invalid_dpop_proof")
            let otherKey = try await post(client, "/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", refresh.value), ("client_id", "mobile-app")],
                                          headers: [HTTPField.Name("DPoP")!: ProofMaker().dpop("POST", tokenURL)])
            #expect(otherKey.json["error"] as? String == "invalid_dpop_proof")
            // The refused attempts did not use the token up: the key's holder refreshes.
            let good = try await post(client, "/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", refresh.value), ("client_id", "mobile-app")],
                                      headers: [HTTPField.Name("DPoP")!: key.dpop("POST", tokenURL)])
            #expect(good.status == .ok, "\(good.text)")
            #expect(good.json["token_type"] as? String == "DPoP")
            let next = try #require(good.json["refresh_token"] as? String)
            let again = try await post(client, "/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", next), ("client_id", "mobile-app")],
                                       headers: [HTTPField.Name("DPoP")!: key.dpop("POST", tokenURL)])
            #expect(again.status == .ok, "the rotated token stays bound to the same key")
        }
    }

    @Test func aChannelCanRequireDPoPWithServerNonces() async throws {
        let key = ProofMaker()
        try await harness.test { client in
            let tokenURL = TestHarness.issuer + "/oauth/token"
            let credentials = ("strict-app", "strict-secret")
            let without = try await post(client, "/oauth/token", [("grant_type", "client_credentials")], basic: credentials)
            #expect(without.json["error"] as? String == "invalid_dpop_proof")
            let noNonce = try await post(client, "/oauth/token", [("grant_type", "client_credentials")], basic: credentials, headers: [HTTPField.Name("DPoP")!: key.dpop("POST", tokenURL)])
            #expect(noNonce.json["error"] as? String == "use_dpop_nonce")
            let nonce = try #require(noNonce.headers[HTTPField.Name("DPoP-Nonce")!])
            let withNonce = try await post(client, "/oauth/token", [("grant_type", "client_credentials")], basic: credentials, headers: [HTTPField.Name("DPoP")!: key.dpop("POST", tokenURL, nonce: nonce)])
            #expect(withNonce.status == .ok, "\(withNonce.text)")
            #expect(withNonce.json["token_type"] as? String == "DPoP")
            let badProof = try await post(client, "/oauth/token", [("grant_type", "client_credentials")], basic: credentials, headers: [HTTPField.Name("DPoP")!: "not-a-proof"])
            #expect(badProof.json["error"] as? String == "invalid_dpop_proof")
        }
    }

    @Test func privateKeyJWTClientAuthentication() async throws {
        try await harness.test { client in
            let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
            let assertion = Self.kiosk.assertion(client: "kiosk", audience: TestHarness.issuer + "/oauth/token", kid: "kiosk-1")
            let ok = try await post(client, "/oauth/token", [("grant_type", "client_credentials"), ("client_assertion_type", assertionType), ("client_assertion", assertion)])
            #expect(ok.status == .ok, "\(ok.text)")
            #expect(ProofMaker.claims(ok.json["access_token"] as? String ?? "")["client_id"] as? String == "kiosk")
            let replay = try await post(client, "/oauth/token", [("grant_type", "client_credentials"), ("client_assertion_type", assertionType), ("client_assertion", assertion)])
            #expect(replay.json["error"] as? String == "invalid_client", "an assertion works once")
            for bad in [
                Self.kiosk.assertion(client: "kiosk", audience: "https://elsewhere.example/token", kid: "kiosk-1"),
                Self.kiosk.assertion(client: "kiosk", audience: TestHarness.issuer, kid: "kiosk-9"),
                Self.kiosk.assertion(client: "kiosk", audience: TestHarness.issuer, kid: "kiosk-1", lifetime: 3_600),
                ProofMaker().assertion(client: "kiosk", audience: TestHarness.issuer, kid: "kiosk-1"),
            ] {
                let refused = try await post(client, "/oauth/token", [("grant_type", "client_credentials"), ("client_assertion_type", assertionType), ("client_assertion", bad)])
                #expect(refused.json["error"] as? String == "invalid_client")
            }
            // A channel with keys only cannot use a secret.
            let secret = try await post(client, "/oauth/token", [("grant_type", "client_credentials"), ("client_id", "kiosk"), ("client_secret", "anything")])
            #expect(secret.json["error"] as? String == "invalid_client")
        }
    }
}
