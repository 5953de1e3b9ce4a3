import Foundation
import Hummingbird
import HummingbirdTesting
import IdentityGraph
import SolmuHTTP
import Testing
import Tokens
import NIOFoundationEssentialsCompat
import NIOCore

/// Every kind of bad input gets a precise 4xx and leaves the store exactly as it was.
@Suite("Bad input")
struct BadInputTests {
    let harness = try! TestHarness()

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var method: HTTPRequest.Method
        var path: String
        var body: String?
        var contentType = "application/json"
        var status: Int
        var problem: String
        var testDescription: String { name }
    }

    static let customer = "cus_aaaaaaaaaaaaaaaaaaaaaaaaaa"

    static let cases: [Case] = [
        Case(name: "malformed JSON", method: .post, path: "/v1/customers", body: #"{"identifiers": [}"#, status: 400, problem: "invalid-request"),
        Case(name: "JSON of the wrong shape", method: .post, path: "/v1/customers", body: #"{"identifiers": "email"}"#, status: 400, problem: "invalid-request"),
        Case(name: "missing identifiers", method: .post, path: "/v1/customers", body: #"{"profile": {}}"#, status: 400, problem: "invalid-request"),
        Case(name: "no identifiers", method: .post, path: "/v1/customers", body: #"{"identifiers": []}"#, status: 400, problem: "invalid-request"),
        Case(name: "unknown kind", method: .post, path: "/v1/customers", body: #"{"identifiers":[{"kind":"fax","value":"123"}]}"#, status: 400, problem: "invalid-identifier"),
        Case(name: "invalid e-mail", method: .post, path: "/v1/customers", body: #"{"identifiers":[{"kind":"email","value":"anna@@example.com"}]}"#, status: 400, problem: "invalid-identifier"),
        Case(name: "phone with letters", method: .post, path: "/v1/customers", body: #"{"identifiers":[{"kind":"phone","value":"040 CALL ME"}]}"#, status: 400, problem: "invalid-identifier"),
        Case(name: "card failing Luhn", method: .post, path: "/v1/customers", body: #"{"identifiers":[{"kind":"loyalty_card","namespace":"plussa","value":"6012345678901235"}]}"#, status: 400, problem: "invalid-identifier"),
        Case(name: "missing namespace", method: .post, path: "/v1/customers", body: #"{"identifiers":[{"kind":"loyalty_card","value":"6012345678901234"}]}"#, status: 400, problem: "invalid-identifier"),
        Case(name: "unknown assurance", method: .post, path: "/v1/customers", body: #"{"identifiers":[{"kind":"email","value":"a@example.com","assurance":"certain"}]}"#, status: 400, problem: "invalid-request"),
        Case(name: "assurance above the channel's", method: .post, path: "/v1/customers", body: #"{"identifiers":[{"kind":"email","value":"a@example.com","assurance":"verified"}]}"#, status: 403, problem: "forbidden"),
        Case(name: "same identifier twice", method: .post, path: "/v1/customers", body: #"{"identifiers":[{"kind":"phone","value":"0401234567"},{"kind":"phone","value":"+358401234567"}]}"#, status: 400, problem: "invalid-request"),
        Case(name: "blocked value", method: .post, path: "/v1/customers", body: #"{"identifiers":[{"kind":"email","value":"TEST@example.com"}]}"#, status: 422, problem: "blocked-identifier"),
        Case(name: "limit exceeded", method: .post, path: "/v1/customers", body: "{\"identifiers\":[" + (0..<6).map { "{\"kind\":\"email\",\"value\":\"p\($0)@example.com\"}" }.joined(separator: ",") + "]}", status: 422, problem: "limit-exceeded"),
        Case(name: "unknown profile field", method: .post, path: "/v1/customers", body: #"{"identifiers":[{"kind":"email","value":"a@example.com"}],"profile":{"shoe_size":42}}"#, status: 400, problem: "invalid-request"),
        Case(name: "invalid birthdate", method: .post, path: "/v1/customers", body: #"{"identifiers":[{"kind":"email","value":"a@example.com"}],"profile":{"birthdate":"1990-13-01"}}"#, status: 400, problem: "invalid-profile"),
        Case(name: "wrong media type", method: .post, path: "/v1/customers", body: #"{"identifiers":[{"kind":"email","value":"a@example.com"}]}"#, contentType: "text/plain", status: 415, problem: "unsupported-media-type"),
        Case(name: "oversized body", method: .post, path: "/v1/customers", body: "{\"identifiers\":[],\"pad\":\"" + String(repeating: "x", count: 2 << 20) + "\"}", status: 413, problem: "payload-too-large"),
        Case(name: "link to a malformed customer id", method: .post, path: "/v1/links", body: #"{"customer_id":"cus_1","identifier":{"kind":"email","value":"a@example.com"}}"#, status: 400, problem: "invalid-request"),
        Case(name: "link to an unknown customer", method: .post, path: "/v1/links", body: "{\"customer_id\":\"\(customer)\",\"identifier\":{\"kind\":\"email\",\"value\":\"a@example.com\"}}", status: 404, problem: "not-found"),
        Case(name: "link a kind the channel may not link", method: .post, path: "/v1/links", body: "{\"customer_id\":\"\(customer)\",\"identifier\":{\"kind\":\"receipt\",\"namespace\":\"s1\",\"value\":\"1-2\"}}", status: 403, problem: "forbidden"),
        Case(name: "overlong reason", method: .post, path: "/v1/links", body: "{\"customer_id\":\"\(customer)\",\"identifier\":{\"kind\":\"email\",\"value\":\"a@example.com\"},\"reason\":\"\(String(repeating: "r", count: 501))\"}", status: 400, problem: "invalid-request"),
        Case(name: "resolve without value", method: .get, path: "/v1/resolve?kind=email", status: 400, problem: "invalid-request"),
        Case(name: "resolve invalid value", method: .get, path: "/v1/resolve?kind=phone&value=12", status: 400, problem: "invalid-identifier"),
        Case(name: "unknown route", method: .get, path: "/v1/nothing-here", status: 404, problem: "not-found"),
    ]

    @Test(arguments: cases)
    func refusedWithAPreciseProblemAndNothingStored(testCase: Case) async throws {
        let token = try await harness.token("webshop")
        let before = try await harness.store.statistics()
        try await harness.test { client in
            let response = try await client.json(testCase.method, testCase.path, token: token, body: testCase.body, contentType: testCase.contentType)
            #expect(Int(response.status.code) == testCase.status, "\(response.text)")
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.json["type"] as? String == "urn:solmu:problem:\(testCase.problem)", "\(response.text)")
            #expect(response.json["status"] as? Int == testCase.status)
            #expect((response.json["detail"] as? String)?.isEmpty == false)
            // Error bodies never repeat personal data from the request.
            for secret in ["anna@@example.com", "CALL ME", "6012345678901235", "0401234567", "TEST@example.com"] {
                #expect(!response.text.contains(secret))
            }
        }
        #expect(try await harness.store.statistics() == before)
    }

    @Test func missingInvalidExpiredAndForeignTokensAre401() async throws {
        let anHourAgo = TokenSigner(keys: harness.keys, issuer: TestHarness.issuer, now: { Date().addingTimeInterval(-3_600) })
        let expired = try await anHourAgo.issueAccessToken(
            subject: "webshop", audience: [harness.services.apiAudience], clientID: "webshop", scope: ["identity:resolve"], lifetime: .seconds(60)
        ).token
        let otherIssuer = try await TokenSigner(keys: harness.keys, issuer: "https://evil.example").issueAccessToken(
            subject: "webshop", audience: [harness.services.apiAudience], clientID: "webshop", scope: ["identity:resolve"], lifetime: .seconds(60)
        ).token
        let wrongAudience = try await harness.token("webshop", audience: ["https://elsewhere.example"])
        let valid = try await harness.token("webshop")
        var characters = Array(valid)
        let middle = characters.count / 2
        characters[middle] = characters[middle] == "A" ? "B" : "A"
        let tampered = String(characters)

        try await harness.test { client in
            let missing = try await client.json(.get, "/v1/resolve?kind=email&value=a%40example.com", token: nil)
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate] == "Bearer realm=\"solmu\"")

            for token in [expired, otherIssuer, wrongAudience, tampered, "not.a.jwt", "abc"] {
                let response = try await client.json(.get, "/v1/resolve?kind=email&value=a%40example.com", token: token)
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.contains("error=\"invalid_token\"") == true)
                #expect(response.json["type"] as? String == "urn:solmu:problem:invalid-token")
            }
            let basic = try await client.execute(uri: "/v1/resolve?kind=email&value=a%40example.com", method: .get,
                                                 headers: [.authorization: "Basic d2Vic2hvcDp4"])
            #expect(basic.status == .unauthorized)
        }
    }

    @Test func aMissingScopeIs403WithTheScopeNamed() async throws {
        let marketing = try await harness.token("marketing")
        let before = try await harness.store.statistics()
        try await harness.test { client in
            let response = try await client.json(.post, "/v1/customers", token: marketing, body: #"{"identifiers":[{"kind":"email","value":"a@example.com"}]}"#)
            #expect(response.status == .forbidden)
            #expect(response.json["required_scope"] as? String == "identity:link")
            #expect(response.headers[.wwwAuthenticate]?.contains("insufficient_scope") == true)
            let read = try await client.json(.get, "/v1/link-log", token: marketing)
            #expect(read.status == .forbidden)
        }
        #expect(try await harness.store.statistics() == before)
    }
}
