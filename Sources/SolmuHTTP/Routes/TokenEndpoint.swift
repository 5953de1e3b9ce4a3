import Channels
import CustomerLogin
import TokenLifecycle
import Foundation
import Hummingbird
import Logging
import Tokens
import HTTPTypes
import CoreMetrics
import NIOCore
import NIOFoundationEssentialsCompat
import IdentityGraph
import Identifiers

/// `POST /oauth/token` (RFC 6749 §3.2): `client_credentials` for channels, the customer grants
/// `authorization_code` and `refresh_token`, and token exchange (RFC 8693); with introspection
/// (RFC 7662) and revocation (RFC 7009) beside it. Confidential channels authenticate with
/// `client_secret_basic`, `client_secret_post` or `private_key_jwt`; public ones name themselves
/// with `client_id`. A `DPoP` proof binds the issued tokens to the client's key (RFC 9449).
struct TokenEndpoint: Sendable {
    let services: SolmuServices

    func register(on router: Router<SolmuRequestContext>) {
        router.post("/oauth/token") { request, context in
            try await handle(request, context: context)
        }
        router.post("/oauth/introspect") { request, context in
            try await introspect(request)
        }
        router.post("/oauth/revoke") { request, context in
            try await revoke(request)
        }
    }

    /// The form body of a token-endpoint-style request.
    private func form(_ request: inout Request) async throws -> FormParameters {
        guard let contentType = request.headers[.contentType], let mediaType = MediaType(from: contentType),
              mediaType.isType(.applicationUrlEncoded)
        else {
            throw OAuthError.invalidRequest("the body must be application/x-www-form-urlencoded")
        }
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: 64 * 1024)
        } catch {
            throw OAuthError.invalidRequest("the body is larger than 64 KiB")
        }
        return try FormParameters(String(buffer: body))
    }

    /// RFC 7662: confidential channels only.
    private func introspect(_ request: Request) async throws -> Response {
        var request = request
        let form = try await form(&request)
        let channel = try await authenticateClient(request, form: form, endpoint: "/oauth/introspect")
        guard channel.isConfidential else {
            throw OAuthError("unauthorized_client", "only confidential clients may introspect tokens", status: .badRequest)
        }
        guard let token = form["token"] else { throw OAuthError.invalidRequest("token is required") }
        let result = try await services.introspection.introspect(token, hint: form["token_type_hint"], channel: channel)
        return try JSONCoding.response(result, headers: [.cacheControl: "no-store"])
    }

    /// RFC 7009: the answer is 200 whether or not the token was known.
    private func revoke(_ request: Request) async throws -> Response {
        var request = request
        let form = try await form(&request)
        let channel = try await authenticateClient(request, form: form, endpoint: "/oauth/revoke")
        guard let token = form["token"] else { throw OAuthError.invalidRequest("token is required") }
        try await services.introspection.revoke(token, hint: form["token_type_hint"], channel: channel)
        return Response(status: .ok, headers: [.cacheControl: "no-store"])
    }

    private func handle(_ request: Request, context: SolmuRequestContext) async throws -> Response {
        var request = request
        let form = try await form(&request)
        let channel = try await authenticateClient(request, form: form, endpoint: "/oauth/token")
        let boundKey = try await services.proofOfPossession.atTokenEndpoint(request, path: "/oauth/token", channel: channel)
        var response = try await grant(form, channel: channel, boundKey: boundKey)
        if boundKey != nil {
            // The nonce to use in the next proof (RFC 9449 §8).
            response.headers[ProofOfPossession.nonceHeader] = services.proofOfPossession.verifier.makeNonce()
        }
        return response
    }

    private func grant(_ form: FormParameters, channel: Channels.Channel, boundKey: String?) async throws -> Response {

        guard let grant = form["grant_type"] else {
            throw OAuthError.invalidRequest("grant_type is required")
        }
        switch GrantType(rawValue: grant) {
        case .clientCredentials:
            return try await clientCredentials(channel: channel, form: form, boundKey: boundKey)
        case .authorizationCode:
            guard channel.grantTypes.contains(.authorizationCode) else {
                throw OAuthError.unauthorizedClient("the channel may not use authorization_code")
            }
            guard let code = form["code"] else { throw OAuthError.invalidRequest("code is required") }
            return try await tokens {
                try await services.login.redeemCode(
                    channel: channel, code: code, redirectURI: form["redirect_uri"], verifier: form["code_verifier"], confirmationKey: boundKey
                )
            }
        case .refreshToken:
            guard let refreshToken = form["refresh_token"] else { throw OAuthError.invalidRequest("refresh_token is required") }
            return try await tokens {
                try await services.login.refresh(channel: channel, refreshToken: refreshToken, scope: form["scope"], confirmationKey: boundKey)
            }
        case .tokenExchange:
            let exchangeRequest = ExchangeRequest(
                subjectToken: form["subject_token"], subjectTokenType: form["subject_token_type"], actorToken: form["actor_token"],
                actorTokenType: form["actor_token_type"], audience: form["audience"], resource: form["resource"], scope: form["scope"],
                requestedTokenType: form["requested_token_type"]
            )
            let exchanged: ExchangedToken
            do {
                exchanged = try await services.exchange.exchange(exchangeRequest, channel: channel, confirmationKey: boundKey)
            } catch let error as TokenGrantError {
                throw OAuthError(error.code, error.description)
            }
            services.metrics.tokensIssued.increment()
            return try JSONCoding.response(
                ExchangeResponse(accessToken: exchanged.accessToken, issuedTokenType: exchanged.issuedTokenType, tokenType: boundKey == nil ? "Bearer" : "DPoP",
                                 expiresIn: exchanged.expiresIn, scope: exchanged.scope.joined(separator: " ")),
                headers: [.cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"]
            )
        case .none:
            throw OAuthError.unsupportedGrantType("unknown grant_type")
        }
    }

    /// Runs a customer grant and answers RFC 6749 §5.1, or §5.2 on refusal.
    private func tokens(_ grant: () async throws -> IssuedTokens) async throws -> Response {
        let issued: IssuedTokens
        do {
            issued = try await grant()
        } catch let error as TokenGrantError {
            throw OAuthError(error.code, error.description)
        }
        services.metrics.tokensIssued.increment()
        return try JSONCoding.response(
            TokenResponse(accessToken: issued.accessToken, tokenType: issued.tokenType, expiresIn: issued.expiresIn,
                          scope: issued.scope.joined(separator: " "), idToken: issued.idToken, refreshToken: issued.refreshToken),
            headers: [.cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"]
        )
    }

    /// RFC 6749 §4.4.
    private func clientCredentials(channel: Channels.Channel, form: FormParameters, boundKey: String?) async throws -> Response {
        guard channel.grantTypes.contains(.clientCredentials) else {
            throw OAuthError.unauthorizedClient("the channel may not use client_credentials")
        }
        let scopes = try grantedScopes(requested: form["scope"], allowed: channel.scopes)
        var template = AccessTokenClaims(
            issuer: services.issuer, subject: channel.id, audience: [services.apiAudience], expiresAt: Date(), issuedAt: Date(),
            tokenID: "", scope: scopes, clientID: channel.id
        )
        template.confirmationKey = boundKey
        let issued = try await services.signer.issueAccessToken(template, lifetime: channel.accessTokenLifetime)
        services.metrics.tokensIssued.increment()
        return try JSONCoding.response(
            TokenResponse(accessToken: issued.token, tokenType: boundKey == nil ? "Bearer" : "DPoP", expiresIn: Int(channel.accessTokenLifetime.components.seconds), scope: scopes.joined(separator: " "), idToken: nil, refreshToken: nil),
            headers: [.cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"]
        )
    }

    /// The requested scopes when all are allowed; all allowed scopes when none were requested.
    private func grantedScopes(requested: String?, allowed: Set<String>) throws(OAuthError) -> [String] {
        guard let requested else { return allowed.sorted() }
        let scopes = Set(requested.split(separator: " ").map(String.init))
        guard !scopes.isEmpty else { throw .invalidScope("scope is empty") }
        let unknown = scopes.subtracting(allowed)
        guard unknown.isEmpty else {
            throw .invalidScope("the channel may not be granted: \(unknown.sorted().map(Self.safeScope).joined(separator: " "))")
        }
        return scopes.sorted()
    }

    private static func safeScope(_ scope: String) -> String {
        scope.count <= 64 && scope.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "\"" && $0 != "\\" }) ? scope : "(unprintable)"
    }

    /// RFC 6749 §2.3.1: HTTP Basic with form-urlencoded id and secret, or both in the body;
    /// never both methods at once.
    /// - Parameter endpoint: the path of the endpoint, an accepted audience of client assertions.
    private func authenticateClient(_ request: Request, form: FormParameters, endpoint: String) async throws -> Channels.Channel {
        let clientID: String
        let secret: String
        let usedBasic: Bool
        if let authorization = request.headers[.authorization] {
            guard form["client_secret"] == nil, form["client_assertion"] == nil else {
                throw OAuthError.invalidRequest("use one client authentication method, not both")
            }
            guard let (id, password) = Self.basicCredentials(authorization) else {
                throw OAuthError.invalidClient(usedBasic: true)
            }
            if let bodyID = form["client_id"], bodyID != id {
                throw OAuthError.invalidRequest("client_id in the body differs from the authenticated client")
            }
            (clientID, secret, usedBasic) = (id, password, true)
        } else if let assertionType = form["client_assertion_type"] {
            return try await authenticateAssertion(form, type: assertionType, endpoint: endpoint)
        } else if let id = form["client_id"], let password = form["client_secret"] {
            (clientID, secret, usedBasic) = (id, password, false)
        } else if let id = form["client_id"] {
            // A public client (RFC 6749 §2.3, token_endpoint_auth_method "none") only names itself.
            guard let channel = services.clients.channel(id), !channel.isConfidential else {
                throw OAuthError.invalidClient(usedBasic: false)
            }
            return channel
        } else {
            throw OAuthError.invalidClient(usedBasic: false)
        }
        do {
            return try await services.clients.authenticate(clientID: clientID, secret: secret)
        } catch {
            services.logger.notice("client authentication failed", metadata: ["reason": "\(error)"])
            throw OAuthError.invalidClient(usedBasic: usedBasic)
        }
    }

    /// `private_key_jwt` (RFC 7523 §2.2, OpenID Connect Core §9): a JWT signed with a key the
    /// channel registered in policy. Each assertion is accepted once.
    private func authenticateAssertion(_ form: FormParameters, type: String, endpoint: String) async throws -> Channels.Channel {
        guard type == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" else {
            throw OAuthError.invalidRequest("client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        }
        guard let assertion = form["client_assertion"] else { throw OAuthError.invalidRequest("client_assertion is required") }
        guard form["client_secret"] == nil else { throw OAuthError.invalidRequest("use one client authentication method, not both") }
        guard let clientID = form["client_id"] ?? Self.unverifiedIssuer(assertion),
              let channel = services.clients.channel(clientID), let keys = services.channelKeys[clientID]
        else {
            throw OAuthError.invalidClient(usedBasic: false)
        }
        let base = services.issuer.hasSuffix("/") ? String(services.issuer.dropLast()) : services.issuer
        do {
            let verified = try services.clientAssertions.verify(assertion, clientID: clientID, keys: keys, audiences: [services.issuer, base + "/oauth/token", base + endpoint])
            guard try await services.login.store.rememberOnce("assertion:\(clientID):\(verified.jti)", until: verified.expiresAt) else {
                services.logger.notice("client assertion replayed", metadata: ["client_id": "\(clientID)"])
                throw OAuthError.invalidClient(usedBasic: false)
            }
            return channel
        } catch let error as ClientAssertionError {
            services.logger.notice("client assertion refused", metadata: ["client_id": "\(clientID)", "reason": "\(error.reason)"])
            throw OAuthError.invalidClient(usedBasic: false)
        }
    }

    /// The `iss` of a JWT, read without verifying it: only to find whose keys verify it.
    static func unverifiedIssuer(_ jwt: String) -> String? {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].utf8.count <= 8_192 else { return nil }
        guard let bytes = Base64URL.decode(parts[1].utf8),
              let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        else { return nil }
        return object["iss"] as? String
    }

    /// Decodes `Basic base64(urlencode(id) ":" urlencode(secret))`.
    static func basicCredentials(_ header: String) -> (String, String)? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
              let decoded = String(data: data, encoding: .utf8),
              let colon = decoded.firstIndex(of: ":"),
              let id = FormParameters.decode(decoded[..<colon]),
              let secret = FormParameters.decode(decoded[decoded.index(after: colon)...]),
              !id.isEmpty
        else { return nil }
        return (id, secret)
    }
}

/// RFC 8693 §2.2.1.
struct ExchangeResponse: Encodable {
    var accessToken: String
    var issuedTokenType: String
    var tokenType: String
    var expiresIn: Int
    var scope: String

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case issuedTokenType = "issued_token_type"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case scope
    }
}

/// RFC 6749 §5.1.
struct TokenResponse: Encodable {
    var accessToken: String
    var tokenType: String
    var expiresIn: Int
    var scope: String
    var idToken: String?
    var refreshToken: String?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case scope
        case idToken = "id_token"
        case refreshToken = "refresh_token"
    }
}
