import Channels
import CustomerLogin
import Foundation
import HTTPTypes
import Hummingbird
import Tokens

/// DPoP (RFC 9449) at the token endpoint and on the resources: proofs checked, their `jti`
/// remembered in the shared store so that a proof is accepted once, and server nonces handed out.
struct ProofOfPossession: Sendable {
    static let header = HTTPField.Name("DPoP")!
    static let nonceHeader = HTTPField.Name("DPoP-Nonce")!

    let verifier: DPoPProofVerifier
    let logins: any LoginStore
    /// The issuer without a trailing slash: `htu` is checked against the public URL.
    let baseURL: String

    /// The thumbprint of the key a token request proves, or `nil` when it sends no proof.
    /// - Throws: `OAuthError` `invalid_dpop_proof` or `use_dpop_nonce` (with a fresh nonce).
    func atTokenEndpoint(_ request: Request, path: String, channel: Channels.Channel) async throws -> String? {
        let proofs = request.headers[values: Self.header]
        guard !proofs.isEmpty else {
            if channel.requiresDPoP {
                throw OAuthError("invalid_dpop_proof", "this client must send a DPoP proof", headers: [Self.nonceHeader: verifier.makeNonce()])
            }
            return nil
        }
        guard proofs.count == 1 else { throw OAuthError("invalid_dpop_proof", "send exactly one DPoP header") }
        let proof: DPoPProof
        do {
            proof = try verifier.verify(proofs[0], method: request.method.rawValue, uri: baseURL + path, accessToken: nil, requireNonce: channel.requiresDPoP)
        } catch {
            if error.code == .useNonce {
                throw OAuthError("use_dpop_nonce", "the DPoP proof needs the server nonce", headers: [Self.nonceHeader: verifier.makeNonce()])
            }
            throw OAuthError("invalid_dpop_proof", error.reason)
        }
        try await rememberOrRefuse(proof) { OAuthError("invalid_dpop_proof", "this DPoP proof was used before") }
        return proof.jkt
    }

    /// Checks the proof of a request to a resource that carries `token` in the `DPoP` scheme.
    /// - Throws: a 401 problem with a `DPoP` challenge.
    func atResource(_ request: Request, token: String, boundKey: String) async throws {
        let proofs = request.headers[values: Self.header]
        guard proofs.count == 1 else { throw Self.challenge("invalid_dpop_proof", "send exactly one DPoP proof with a DPoP-bound token") }
        let proof: DPoPProof
        do {
            proof = try verifier.verify(proofs[0], method: request.method.rawValue, uri: baseURL + request.uri.path, accessToken: token, requireNonce: false)
        } catch {
            throw Self.challenge("invalid_dpop_proof", error.reason)
        }
        guard proof.jkt == boundKey else { throw Self.challenge("invalid_dpop_proof", "the proof is not signed with the key the token is bound to") }
        try await rememberOrRefuse(proof) { Self.challenge("invalid_dpop_proof", "this DPoP proof was used before") }
    }

    private func rememberOrRefuse(_ proof: DPoPProof, _ refusal: () -> some Error) async throws {
        let until = proof.issuedAt.addingTimeInterval(2 * Double(verifier.acceptedAge.components.seconds) + 1)
        guard try await logins.rememberOnce("dpop:\(proof.jkt):\(proof.jti)", until: until) else { throw refusal() }
    }

    static func challenge(_ error: String, _ reason: String) -> Problem {
        Problem(.unauthorized, "invalid-token", title: "The access token or its DPoP proof is not valid", detail: reason,
                headers: [.wwwAuthenticate: "DPoP realm=\"solmu\", error=\"\(error)\", algs=\"ES256 EdDSA\""])
    }
}
