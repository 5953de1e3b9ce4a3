public import Channels
public import CustomerLogin
public import Foundation
public import Tokens
import IdentityGraph

/// Token introspection (RFC 7662) and revocation (RFC 7009).
///
/// A channel learns about a token only when the token concerns it: issued to it, or meant for it
/// (its client id in `aud`). Anything else — revoked, expired, foreign, unknown — is
/// `{"active": false}`, so introspection reveals nothing about other channels' tokens.
public struct TokenIntrospection: Sendable {
    public let logins: any LoginStore
    public let inspector: AccessTokenInspector
    let now: @Sendable () -> Date

    public init(logins: any LoginStore, inspector: AccessTokenInspector, now: @escaping @Sendable () -> Date = Date.init) {
        self.logins = logins
        self.inspector = inspector
        self.now = now
    }

    /// RFC 7662 §2.2.
    /// The hint only orders the look-ups (RFC 7009 §2.1, RFC 7662 §2.1): both kinds are tried.
    public func introspect(_ token: String, hint: String?, channel: Channel) async throws -> IntrospectionResult {
        if let claims = try? inspector.inspect(token) {
            guard claims.clientID == channel.id || claims.audience.contains(channel.id),
                  try await !logins.isAccessTokenRevoked(id: claims.tokenID)
            else { return .inactive }
            return IntrospectionResult(
                active: true, scope: claims.scope.joined(separator: " "), clientID: claims.clientID, subject: claims.subject,
                audience: claims.audience, expiresAt: claims.expiresAt, issuedAt: claims.issuedAt, issuer: claims.issuer,
                tokenID: claims.tokenID, tokenType: claims.confirmationKey == nil ? "Bearer" : "DPoP",
                contextClass: claims.contextClass, actor: claims.actor, confirmationKey: claims.confirmationKey
            )
        }
        guard let refresh = OpaqueToken(received: token), let (family, isCurrent) = try await logins.refreshToken(digest: refresh.digest),
              isCurrent, family.revokedAt == nil, family.expiresAt > now(), family.clientID == channel.id
        else { return .inactive }
        return IntrospectionResult(
            active: true, scope: family.scope.joined(separator: " "), clientID: family.clientID,
            subject: family.authentication.customerID.rawValue, audience: nil, expiresAt: family.expiresAt,
            issuedAt: family.createdAt, issuer: inspector.issuer, tokenID: nil, tokenType: nil,
            contextClass: family.authentication.contextClass, actor: nil, confirmationKey: nil
        )
    }

    /// RFC 7009 §2: revokes a refresh token (its whole family) or an access token (by `jti`, until
    /// it expires) of this channel. Unknown and foreign tokens are ignored: the answer is the same.
    public func revoke(_ token: String, hint: String?, channel: Channel) async throws {
        if let claims = try? inspector.inspect(token) {
            if claims.clientID == channel.id {
                try await logins.revokeAccessToken(id: claims.tokenID, expiresAt: claims.expiresAt)
            }
            return
        }
        if let refresh = OpaqueToken(received: token), let (family, _) = try await logins.refreshToken(digest: refresh.digest),
           family.clientID == channel.id
        {
            try await logins.revokeRefreshFamily(id: family.id, at: now())
        }
    }
}

/// An RFC 7662 introspection answer.
public struct IntrospectionResult: Sendable, Equatable, Encodable {
    public var active: Bool
    public var scope: String?
    public var clientID: String?
    public var subject: String?
    public var audience: [String]?
    public var expiresAt: Date?
    public var issuedAt: Date?
    public var issuer: String?
    public var tokenID: String?
    public var tokenType: String?
    public var contextClass: String?
    public var actor: AccessTokenClaims.Actor?
    public var confirmationKey: String?

    public static let inactive = IntrospectionResult(active: false)

    init(active: Bool, scope: String? = nil, clientID: String? = nil, subject: String? = nil, audience: [String]? = nil,
         expiresAt: Date? = nil, issuedAt: Date? = nil, issuer: String? = nil, tokenID: String? = nil, tokenType: String? = nil,
         contextClass: String? = nil, actor: AccessTokenClaims.Actor? = nil, confirmationKey: String? = nil) {
        self.active = active
        self.scope = scope
        self.clientID = clientID
        self.subject = subject
        self.audience = audience
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.issuer = issuer
        self.tokenID = tokenID
        self.tokenType = tokenType
        self.contextClass = contextClass
        self.actor = actor
        self.confirmationKey = confirmationKey
    }

    enum CodingKeys: String, CodingKey {
        case active, scope, clientID = "client_id", subject = "sub", audience = "aud", expiresAt = "exp", issuedAt = "iat"
        case issuer = "iss", tokenID = "jti", tokenType = "token_type", contextClass = "acr", actor = "act", confirmation = "cnf"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(active, forKey: .active)
        guard active else { return }
        try container.encodeIfPresent(scope, forKey: .scope)
        try container.encodeIfPresent(clientID, forKey: .clientID)
        try container.encodeIfPresent(subject, forKey: .subject)
        try container.encodeIfPresent(audience, forKey: .audience)
        try container.encodeIfPresent(expiresAt.map { Int64($0.timeIntervalSince1970) }, forKey: .expiresAt)
        try container.encodeIfPresent(issuedAt.map { Int64($0.timeIntervalSince1970) }, forKey: .issuedAt)
        try container.encodeIfPresent(issuer, forKey: .issuer)
        try container.encodeIfPresent(tokenID, forKey: .tokenID)
        try container.encodeIfPresent(tokenType, forKey: .tokenType)
        try container.encodeIfPresent(contextClass, forKey: .contextClass)
        try container.encodeIfPresent(actor, forKey: .actor)
        try container.encodeIfPresent(confirmationKey.map { ["jkt": $0] }, forKey: .confirmation)
    }
}
