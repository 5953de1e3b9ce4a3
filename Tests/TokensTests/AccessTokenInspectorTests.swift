import Foundation
import Testing
@testable import Tokens

/// The inspector reads Solmu's access tokens for exchange, introspection and revocation, whatever
/// their audience; every other rule is the verifier's.
@Suite("Inspecting access tokens")
struct AccessTokenInspectorTests {
    func code(_ fixture: Fixture, _ payload: [String: Any]) throws -> TokenError.Code? {
        let inspector = AccessTokenInspector(keys: fixture.keys, issuer: issuer, now: fixture.clock.closure)
        let token = try fixture.craft(header: fixture.validHeader(), payload: payload)
        do {
            _ = try inspector.inspect(token)
            return nil
        } catch {
            return error.code
        }
    }

    @Test("a valid token of any audience is read")
    func anyAudience() throws {
        let fixture = try Fixture()
        var payload = fixture.validPayload()
        #expect(try code(fixture, payload) == nil)
        payload["aud"] = ["webshop", "https://elsewhere.example"]
        #expect(try code(fixture, payload) == nil)
    }

    @Test("expired, nbf and iat in the future are refused beyond the leeway, as by the verifier")
    func times() throws {
        let fixture = try Fixture()
        let now = Int(fixture.clock.now.timeIntervalSince1970)
        for (claim, value, expected) in [
            ("exp", now - 60, TokenError.Code.expired), ("exp", now - 20, nil),
            ("nbf", now + 60, .notYetValid), ("nbf", now + 20, nil),
            ("iat", now + 3600, .notYetValid), ("iat", now + 20, nil),
        ] as [(String, Int, TokenError.Code?)] {
            var payload = fixture.validPayload()
            payload[claim] = value
            #expect(try code(fixture, payload) == expected, "\(claim) = now + \(value - now)")
        }
    }

    @Test("a wrong issuer or typ is refused")
    func issuerAndType() throws {
        let fixture = try Fixture()
        var payload = fixture.validPayload()
        payload["iss"] = "https://sso.example.com/"
        #expect(try code(fixture, payload) == .wrongIssuer)
        var header = fixture.validHeader()
        header["typ"] = "JWT"
        let inspector = AccessTokenInspector(keys: fixture.keys, issuer: issuer, now: fixture.clock.closure)
        #expect(throws: TokenError.self) { try inspector.inspect(try fixture.craft(header: header, payload: fixture.validPayload())) }
    }
}
