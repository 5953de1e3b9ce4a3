import Foundation
import JWTKit
import Testing
@testable import Tokens

/// An independent implementation (jwt-kit) accepts our JWKS and our signatures, so relying
/// parties using ordinary JOSE libraries can verify Solmu tokens.
@Suite("Interoperability with jwt-kit")
struct JWTKitInteropTests {
    struct Payload: JWTPayload {
        var sub: SubjectClaim
        var aud: AudienceClaim
        var exp: ExpirationClaim
        var client_id: String

        func verify(using algorithm: some JWTAlgorithm) throws {
            try exp.verifyNotExpired(currentDate: Date(timeIntervalSince1970: 1_750_000_000))
        }
    }

    @Test("jwt-kit verifies our tokens against our published JWKS", arguments: SigningAlgorithm.allCases)
    func jwtKitVerifies(algorithm: SigningAlgorithm) async throws {
        let fixture = try Fixture()
        let (token, claims) = try await fixture.signer.issueAccessToken(
            subject: "customer-7", audience: [audience], clientID: "web", scope: ["read"], lifetime: .seconds(300),
            algorithm: algorithm
        )
        let collection = JWTKeyCollection()
        let jwksJSON = String(decoding: try JSONEncoder().encode(fixture.keys.jwks), as: UTF8.self)
        try await collection.add(jwksJSON: jwksJSON)
        let payload = try await collection.verify(token, as: Payload.self)
        #expect(payload.sub.value == claims.subject)
        #expect(payload.aud.value == [audience])
        #expect(payload.client_id == "web")
    }
}
