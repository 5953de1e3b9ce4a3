public import Channels
public import CustomerLogin
public import Foundation
public import Identifiers
public import IdentityGraph
public import Tokens

/// RFC 8693 token exchange: hand-off to another channel, delegation with an actor, and identifier
/// assertions. Denied unless one of the requesting channel's rules allows it; every exchange is
/// recorded in the link log.
public struct TokenExchange: Sendable {
    public let identities: any IdentityStore
    public let logins: any LoginStore
    public let normalizer: IdentifierNormalizer
    public let signer: TokenSigner
    public let inspector: AccessTokenInspector
    let now: @Sendable () -> Date

    /// `acr` of tokens issued for an asserted identifier: the customer did not authenticate.
    public static let assertedContextClass = "urn:solmu:acr:asserted"

    public init(
        identities: any IdentityStore, logins: any LoginStore, normalizer: IdentifierNormalizer, signer: TokenSigner,
        inspector: AccessTokenInspector, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.identities = identities
        self.logins = logins
        self.normalizer = normalizer
        self.signer = signer
        self.inspector = inspector
        self.now = now
    }

    /// Exchanges `request` for a new access token for `channel`.
    /// - Parameter confirmationKey: the DPoP key thumbprint to bind the token to, if any.
    /// - Throws: `TokenGrantError` with the OAuth error code.
    public func exchange(_ request: ExchangeRequest, channel: Channel, confirmationKey: String? = nil) async throws -> ExchangedToken {
        guard channel.grantTypes.contains(.tokenExchange) else {
            throw TokenGrantError("unauthorized_client", "the client may not use token exchange")
        }
        guard let subjectToken = request.subjectToken, let subjectType = request.subjectTokenType else {
            throw TokenGrantError("invalid_request", "subject_token and subject_token_type are required")
        }
        if let requested = request.requestedTokenType, requested != TokenTypeURI.accessToken {
            throw TokenGrantError("invalid_request", "only access tokens can be requested")
        }
        if (request.actorToken == nil) != (request.actorTokenType == nil) {
            throw TokenGrantError("invalid_request", "actor_token and actor_token_type go together")
        }
        let kind: TokenExchangeRule.SubjectKind
        switch subjectType {
        case TokenTypeURI.accessToken: kind = .accessToken
        case TokenTypeURI.identifier: kind = .identifier
        default: throw TokenGrantError("invalid_request", "unsupported subject_token_type")
        }
        let audience = request.audience ?? request.resource
        let candidates = channel.tokenExchange.filter {
            $0.subjectKinds.contains(kind) && (audience == nil || $0.audience == audience) && $0.actorRequired == (request.actorToken != nil)
        }
        guard let rule = candidates.first, audience != nil || candidates.count == 1 else {
            throw TokenGrantError("invalid_target", "no exchange rule of this client allows this audience, subject and actor")
        }

        // The subject: whom the new token is about.
        let customer: CustomerID
        var previousActor: AccessTokenClaims.Actor?
        var contextClass: String?
        var subjectExpiry: Date?
        var assertedIdentifier: Identifier?
        switch kind {
        case .accessToken:
            let claims = try await verifiedToken(subjectToken, what: "subject_token")
            let allowed = rule.subjectClients.isEmpty ? [channel.id] : rule.subjectClients
            guard allowed.contains(claims.clientID), let id = CustomerID(rawValue: claims.subject) else {
                throw TokenGrantError("invalid_grant", "the subject_token cannot be exchanged by this client")
            }
            customer = id
            previousActor = claims.actor
            contextClass = claims.contextClass
            subjectExpiry = claims.expiresAt
        case .identifier:
            let identifier: Identifier
            do {
                identifier = try normalizer.normalize(try RawIdentifier(compact: subjectToken))
            } catch {
                throw TokenGrantError("invalid_request", "subject_token is not an identifier KIND:[NAMESPACE:]VALUE: \(error.reason)")
            }
            // Unknown identifiers and kinds the rule does not cover answer alike.
            guard rule.identifierKinds.contains(identifier.kind), let resolved = try await identities.resolve(identifier) else {
                throw TokenGrantError("invalid_grant", "the subject cannot be resolved")
            }
            customer = resolved.customerID
            contextClass = Self.assertedContextClass
            assertedIdentifier = identifier
        }

        // The actor: who will act for the subject (delegation).
        var actor = previousActor
        if let actorToken = request.actorToken {
            guard request.actorTokenType == TokenTypeURI.accessToken else {
                throw TokenGrantError("invalid_request", "actor_token_type must be an access token")
            }
            let claims = try await verifiedToken(actorToken, what: "actor_token")
            guard rule.actorClients.contains(claims.clientID) else {
                throw TokenGrantError("invalid_grant", "the actor_token was not issued to a client this rule accepts")
            }
            actor = AccessTokenClaims.Actor(subject: claims.subject, clientID: claims.clientID, actor: previousActor)
        }

        // Scope and lifetime: at most what the rule allows.
        var scope = rule.scopes.sorted()
        if let requested = request.scope {
            let asked = Array(Set(requested.split(separator: " ").map(String.init))).sorted()
            guard !asked.isEmpty, Set(asked).isSubset(of: rule.scopes) else {
                throw TokenGrantError("invalid_scope", "the rule allows at most: \(rule.scopes.sorted().joined(separator: " "))")
            }
            scope = asked
        }
        var lifetime = rule.maxLifetime
        if let subjectExpiry {
            let remaining = Int(subjectExpiry.timeIntervalSince(now()))
            guard remaining > 0 else { throw TokenGrantError("invalid_grant", "the subject_token has expired") }
            lifetime = min(lifetime, .seconds(remaining))
        }

        var template = AccessTokenClaims(
            issuer: signer.issuer, subject: customer.rawValue, audience: [rule.audience], expiresAt: now(), issuedAt: now(),
            tokenID: "", scope: scope, clientID: channel.id
        )
        template.contextClass = contextClass
        template.actor = actor
        template.confirmationKey = confirmationKey
        let issued = try await signer.issueAccessToken(template, lifetime: lifetime)

        var detail = "audience=\(rule.audience) scope=\(scope.joined(separator: " "))"
        if let actor { detail += " actor=\(actor.subject)" + (actor.clientID.map { "@\($0)" } ?? "") }
        detail += " subject_token_type=\(kind.rawValue)"
        _ = try await identities.recordEvent(LinkLogRecord(
            time: issued.claims.issuedAt, actor: channel.id, action: .tokenExchanged, customerID: customer,
            reason: detail
        ), identifier: assertedIdentifier)
        return ExchangedToken(
            accessToken: issued.token, issuedTokenType: TokenTypeURI.accessToken, expiresIn: Int(lifetime.components.seconds),
            scope: scope, subject: customer.rawValue, audience: [rule.audience]
        )
    }

    private func verifiedToken(_ token: String, what: String) async throws -> AccessTokenClaims {
        let claims: AccessTokenClaims
        do {
            claims = try inspector.inspect(token)
        } catch {
            throw TokenGrantError("invalid_grant", "the \(what) is not a valid access token of this server")
        }
        guard try await !logins.isAccessTokenRevoked(id: claims.tokenID) else {
            throw TokenGrantError("invalid_grant", "the \(what) has been revoked")
        }
        return claims
    }
}
