import CustomerLogin
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization
import Tokens

/// Authenticates a request to a protected resource (the Solmu API, userinfo): the access token in
/// the `Bearer` or `DPoP` scheme (RFC 6750, RFC 9449), its proof of possession when it is bound
/// to a key, and revocation (RFC 7009).
struct ResourceAuthentication: Sendable {
    let proofOfPossession: ProofOfPossession
    let revocations: RevocationCache

    /// The verified claims of the request's access token.
    /// - Throws: a 401 `Problem` with the challenge RFC 6750 / RFC 9449 prescribe.
    func authenticate(_ request: Request, verifier: AccessTokenVerifier) async throws -> AccessTokenClaims {
        guard let authorization = request.headers[.authorization] else {
            throw Problem(.unauthorized, "unauthorized", title: "Authentication required",
                          detail: "send an access token as Authorization: Bearer <token> (or DPoP <token> with a proof)",
                          headers: [.wwwAuthenticate: "Bearer realm=\"solmu\""])
        }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        let scheme = parts.first?.lowercased() ?? ""
        guard parts.count == 2, scheme == "bearer" || scheme == "dpop" else {
            throw Self.invalidToken("the Authorization header must use the Bearer or DPoP scheme")
        }
        let token = String(parts[1])
        let claims: AccessTokenClaims
        do {
            claims = try await verifier.verify(token)
        } catch let error as TokenError {
            throw Self.invalidToken(error.reason)
        } catch {
            throw Self.invalidToken("the token could not be verified")
        }
        if let bound = claims.confirmationKey {
            guard scheme == "dpop" else {
                throw ProofOfPossession.challenge("invalid_token", "this token is bound to a DPoP key: send it in the DPoP scheme with a proof")
            }
            try await proofOfPossession.atResource(request, token: token, boundKey: bound)
        } else if scheme == "dpop" {
            throw Self.invalidToken("the token is not bound to a DPoP key; send it in the Bearer scheme")
        }
        guard try await !revocations.isRevoked(claims.tokenID) else {
            throw Self.invalidToken("the token has been revoked")
        }
        return claims
    }

    static func invalidToken(_ reason: String) -> Problem {
        Problem(.unauthorized, "invalid-token", title: "The access token is not valid", detail: reason,
                headers: [.wwwAuthenticate: "Bearer realm=\"solmu\", error=\"invalid_token\", error_description=\"\(reason.replacingOccurrences(of: "\"", with: "'"))\""])
    }
}

/// Whether an access token was revoked, from the shared store, remembered for a second: every
/// request with a revoked token is refused within a second of the revocation, on every instance,
/// without a database read per request.
final class RevocationCache: Sendable {
    private let logins: any LoginStore
    private let entries = Mutex<[String: (revoked: Bool, checked: ContinuousClock.Instant)]>([:])
    private let freshness: Duration
    private let capacity: Int

    init(logins: any LoginStore, freshness: Duration = .seconds(1), capacity: Int = 100_000) {
        self.logins = logins
        self.freshness = freshness
        self.capacity = capacity
    }

    func isRevoked(_ tokenID: String) async throws -> Bool {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[tokenID] }), now - entry.checked < freshness {
            return entry.revoked
        }
        let revoked = try await logins.isAccessTokenRevoked(id: tokenID)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[tokenID] = (revoked, now)
        }
        return revoked
    }
}
