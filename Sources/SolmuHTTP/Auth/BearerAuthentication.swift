import Channels
import Hummingbird
import Tokens
import Foundation
import HTTPTypes
import Logging
import CoreMetrics
import NIOCore
import NIOFoundationEssentialsCompat
import IdentityGraph
import Identifiers

/// Checks the bearer access token of a Solmu API request (RFC 6750) and puts the caller in the
/// context. Missing or invalid tokens are 401 with a `WWW-Authenticate` challenge.
struct BearerAuthentication: RouterMiddleware {
    typealias Context = SolmuRequestContext
    let services: SolmuServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let claims = try await services.resourceAuthentication.authenticate(request, verifier: services.verifier)
        guard let channel = services.clients.channel(claims.clientID) else {
            throw Self.invalidToken("the token's channel is no longer registered")
        }
        var context = context
        context.caller = Caller(claims: claims, channel: channel)
        return try await next(request, context)
    }

    static func invalidToken(_ reason: String) -> Problem {
        ResourceAuthentication.invalidToken(reason)
    }
}

extension SolmuRequestContext {
    /// The caller, when its token carries `scope`; otherwise 403 with an `insufficient_scope`
    /// challenge (RFC 6750 §3.1).
    func requireScope(_ scope: String) throws -> Caller {
        guard let caller else {
            throw Problem(.unauthorized, "unauthorized", title: "Authentication required",
                          detail: "send an access token as Authorization: Bearer <token>",
                          headers: [.wwwAuthenticate: "Bearer realm=\"solmu\""])
        }
        guard caller.claims.scope.contains(scope) else {
            throw Problem(.forbidden, "insufficient-scope", title: "Insufficient scope",
                          detail: "this request needs the scope \(scope)",
                          extensions: ["required_scope": .string(scope)],
                          headers: [.wwwAuthenticate: "Bearer realm=\"solmu\", error=\"insufficient_scope\", scope=\"\(scope)\""])
        }
        return caller
    }
}
