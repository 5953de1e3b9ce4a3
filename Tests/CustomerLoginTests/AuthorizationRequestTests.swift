import Channels
import CustomerLogin
import Crypto
import Foundation
import Identifiers
import IdentityGraph
import Testing

struct AuthorizationRequestTests {
    static let app = Channel(
        id: "app", name: "App", clientType: .public, grantTypes: [.authorizationCode, .refreshToken], scopes: [],
        linkAssurance: [:], visibleKinds: [], redirectURIs: ["com.example.app:/cb", "http://127.0.0.1/cb", "https://app.example.com/cb?x=1"],
        accessTokenLifetime: .seconds(600)
    )
    static let challenge = String(repeating: "a", count: 43)

    func validate(_ parameters: [String: String], duplicated: Set<String> = []) throws(AuthorizationRequestError) -> AuthorizationRequest {
        try AuthorizationRequest.validate(parameters, duplicated: duplicated) { $0 == "app" ? Self.app : nil }
    }

    var valid: [String: String] {
        ["response_type": "code", "client_id": "app", "redirect_uri": "com.example.app:/cb", "scope": "openid email",
         "state": "s", "nonce": "n", "code_challenge": Self.challenge, "code_challenge_method": "S256"]
    }

    @Test func aValidRequest() throws {
        let request = try validate(valid)
        #expect(request.scope == ["openid", "email"])
        #expect(request.codeChallenge == Self.challenge)
        #expect(request.locale == "en")
        #expect(try validate(valid.merging(["ui_locales": "sv fi-FI en"]) { $1 }).locale == "fi")
    }

    @Test(arguments: [
        ["client_id": "nobody"], ["client_id": ""], ["redirect_uri": "com.example.app:/cb/"], ["redirect_uri": "COM.example.app:/cb"],
        ["redirect_uri": "com.example.app:/cb#x"], ["redirect_uri": "https://app.example.com/cb"], ["redirect_uri": "http://localhost/cb"],
        ["redirect_uri": "http://127.0.0.1:80800/cb"], ["redirect_uri": "http://127.0.0.1:8080/cb/other"],
    ])
    func untrustedClientsOrRedirectsAreNeverRedirectedTo(change: [String: String]) {
        var parameters = valid.merging(change) { $1 }
        if change["client_id"] == "" { parameters["client_id"] = nil }
        #expect(throws: AuthorizationRequestError.self) { try validate(parameters) }
        do {
            _ = try validate(parameters)
        } catch {
            guard case .unsafe = error else { Issue.record("\(change) must not redirect: \(error)"); return }
        }
    }

    @Test func loopbackRedirectsMayUseAnyPort() throws {
        #expect(try validate(valid.merging(["redirect_uri": "http://127.0.0.1:51234/cb"]) { $1 }).redirectURI == "http://127.0.0.1:51234/cb")
        #expect(try validate(valid.merging(["redirect_uri": "https://app.example.com/cb?x=1"]) { $1 }).redirectURI == "https://app.example.com/cb?x=1")
    }

    @Test(arguments: [
        (["response_type": "token"], "unsupported_response_type"),
        (["response_type": "code id_token"], "unsupported_response_type"),
        (["scope": "openid admin"], "invalid_scope"),
        (["code_challenge_method": "plain"], "invalid_request"),
        (["code_challenge": "short"], "invalid_request"),
        (["prompt": "none login"], "invalid_request"),
        (["max_age": "-1"], "invalid_request"),
        (["request": "eyJ..."], "request_not_supported"),
        (["response_mode": "fragment"], "invalid_request"),
    ])
    func errorsGoBackWithState(change: [String: String], code: String) {
        do {
            _ = try validate(valid.merging(change) { $1 })
            Issue.record("expected \(code)")
        } catch {
            guard case let .redirectable(response) = error else { Issue.record("expected a redirectable error"); return }
            #expect(response.error == code)
            #expect(response.state == "s")
            #expect(response.redirectURI == "com.example.app:/cb")
        }
    }

    @Test func errorsGoBackToTheLoopbackPortTheAppSent() {
        // RFC 8252 §7.3: an app listening on an ephemeral port receives its errors there too.
        var request = valid.merging(["redirect_uri": "http://127.0.0.1:51234/cb"]) { $1 }
        request["code_challenge_method"] = "plain"
        do {
            _ = try validate(request)
            Issue.record("expected invalid_request")
        } catch {
            guard case let .redirectable(response) = error else { Issue.record("expected a redirectable error"); return }
            #expect(response.redirectURI == "http://127.0.0.1:51234/cb" && response.error == "invalid_request")
        }
    }

    @Test func publicClientsNeedPKCEAndParametersAppearOnce() {
        var noPKCE = valid
        noPKCE["code_challenge"] = nil
        noPKCE["code_challenge_method"] = nil
        #expect(throws: AuthorizationRequestError.self) { try validate(noPKCE) }
        #expect(throws: AuthorizationRequestError.self) { try validate(valid, duplicated: ["scope"]) }
        do { _ = try validate(valid, duplicated: ["redirect_uri"]) } catch {
            guard case .unsafe = error else { Issue.record("a repeated redirect_uri must not redirect"); return }
        }
    }
}

struct PKCEAndCodesTests {
    @Test func rfc7636AppendixBExample() {
        // RFC 7636 Appendix B.
        #expect(PKCE.verify(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
        #expect(!PKCE.verify(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK", challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
        #expect(!PKCE.verify(verifier: "short", challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
    }

    @Test func oneTimeCodesAreSixDigitsAndStoredKeyed() {
        let key = SymmetricKey(size: .bits256)
        var seen = Set<String>()
        for _ in 0..<2_000 {
            let code = OneTimeCode.generate()
            #expect(code.count == 6 && code.allSatisfy(\.isNumber))
            seen.insert(code)
        }
        #expect(seen.count > 1_900)
        let digest = OneTimeCode.digest("012345", challengeID: "c1", key: key)
        #expect(!digest.contains("012345"))
        #expect(OneTimeCode.matches("012 345", digest: digest, challengeID: "c1", key: key))
        #expect(!OneTimeCode.matches("012346", digest: digest, challengeID: "c1", key: key))
        #expect(!OneTimeCode.matches("012345", digest: digest, challengeID: "c2", key: key), "a code belongs to its challenge")
        #expect(!OneTimeCode.matches("12345", digest: digest, challengeID: "c1", key: key))
        #expect(!OneTimeCode.matches("０１２３４５", digest: digest, challengeID: "c1", key: key))
    }

    @Test func opaqueTokensAreRandomAndStoredAsDigests() {
        let token = OpaqueToken()
        #expect(token.value.count == 43)
        #expect(OpaqueToken(received: token.value) == token)
        #expect(OpaqueToken(received: token.value + "x") == nil)
        #expect(OpaqueToken(received: String(token.value.dropLast()) + "!") == nil)
        #expect(token.digest != token.value)
        #expect(OpaqueToken().value != token.value)
    }

    @Test func masking() {
        #expect(LoginService.mask(Identifier(trustedKind: .email, namespace: nil, value: "anna@example.com")) == "a***@example.com")
        #expect(LoginService.mask(Identifier(trustedKind: .phone, namespace: nil, value: "+358401234567")) == "+358******567")
    }
}
