public import Foundation

/// The claims of an OpenID Connect ID token (Core §2) as Solmu issues them.
public struct IDTokenClaims: Sendable, Codable, Equatable {
    public var issuer: String
    /// The customer id.
    public var subject: String
    /// The client id of the channel.
    public var audience: String
    public var expiresAt: Date
    public var issuedAt: Date
    public var authTime: Date
    public var nonce: String?
    public var contextClass: String
    public var methods: [String]
    /// Left half of the hash of the access token (Core §3.1.3.6).
    public var accessTokenHash: String?
    /// The session id, for front- and back-channel logout.
    public var sessionID: String?

    public init(
        issuer: String, subject: String, audience: String, expiresAt: Date, issuedAt: Date, authTime: Date, nonce: String?,
        contextClass: String, methods: [String], accessTokenHash: String?, sessionID: String?
    ) {
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.authTime = authTime
        self.nonce = nonce
        self.contextClass = contextClass
        self.methods = methods
        self.accessTokenHash = accessTokenHash
        self.sessionID = sessionID
    }

    enum CodingKeys: String, CodingKey {
        case issuer = "iss", subject = "sub", audience = "aud", expiresAt = "exp", issuedAt = "iat", authTime = "auth_time"
        case nonce, contextClass = "acr", methods = "amr", accessTokenHash = "at_hash", sessionID = "sid"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try container.decode(String.self, forKey: .issuer)
        subject = try container.decode(String.self, forKey: .subject)
        if let single = try? container.decode(String.self, forKey: .audience) {
            audience = single
        } else {
            audience = try container.decode([String].self, forKey: .audience).first ?? ""
        }
        expiresAt = Date(timeIntervalSince1970: try container.decode(Double.self, forKey: .expiresAt))
        issuedAt = Date(timeIntervalSince1970: try container.decode(Double.self, forKey: .issuedAt))
        authTime = Date(timeIntervalSince1970: try container.decode(Double.self, forKey: .authTime))
        nonce = try container.decodeIfPresent(String.self, forKey: .nonce)
        contextClass = try container.decodeIfPresent(String.self, forKey: .contextClass) ?? ""
        methods = try container.decodeIfPresent([String].self, forKey: .methods) ?? []
        accessTokenHash = try container.decodeIfPresent(String.self, forKey: .accessTokenHash)
        sessionID = try container.decodeIfPresent(String.self, forKey: .sessionID)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(issuer, forKey: .issuer)
        try container.encode(subject, forKey: .subject)
        try container.encode(audience, forKey: .audience)
        try container.encode(Int64(expiresAt.timeIntervalSince1970), forKey: .expiresAt)
        try container.encode(Int64(issuedAt.timeIntervalSince1970), forKey: .issuedAt)
        try container.encode(Int64(authTime.timeIntervalSince1970), forKey: .authTime)
        try container.encodeIfPresent(nonce, forKey: .nonce)
        try container.encode(contextClass, forKey: .contextClass)
        try container.encode(methods, forKey: .methods)
        try container.encodeIfPresent(accessTokenHash, forKey: .accessTokenHash)
        try container.encodeIfPresent(sessionID, forKey: .sessionID)
    }
}

/// The claims of a back-channel logout token (OpenID Connect Back-Channel Logout 1.0 §2.4).
public struct LogoutTokenClaims: Sendable, Codable, Equatable {
    public var issuer: String
    public var subject: String
    public var audience: String
    public var issuedAt: Date
    public var expiresAt: Date
    public var tokenID: String
    public var sessionID: String

    public init(issuer: String, subject: String, audience: String, issuedAt: Date, expiresAt: Date, tokenID: String, sessionID: String) {
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.tokenID = tokenID
        self.sessionID = sessionID
    }

    static let event = "http://schemas.openid.net/event/backchannel-logout"

    enum CodingKeys: String, CodingKey {
        case issuer = "iss", subject = "sub", audience = "aud", issuedAt = "iat", expiresAt = "exp", tokenID = "jti", sessionID = "sid", events
    }

    struct Empty: Codable {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try container.decode(String.self, forKey: .issuer)
        subject = try container.decode(String.self, forKey: .subject)
        audience = try container.decode(String.self, forKey: .audience)
        issuedAt = Date(timeIntervalSince1970: try container.decode(Double.self, forKey: .issuedAt))
        expiresAt = Date(timeIntervalSince1970: try container.decode(Double.self, forKey: .expiresAt))
        tokenID = try container.decode(String.self, forKey: .tokenID)
        sessionID = try container.decode(String.self, forKey: .sessionID)
        let events = try container.decode([String: Empty].self, forKey: .events)
        guard events[Self.event] != nil else {
            throw DecodingError.dataCorruptedError(forKey: .events, in: container, debugDescription: "not a back-channel logout event")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(issuer, forKey: .issuer)
        try container.encode(subject, forKey: .subject)
        try container.encode(audience, forKey: .audience)
        try container.encode(Int64(issuedAt.timeIntervalSince1970), forKey: .issuedAt)
        try container.encode(Int64(expiresAt.timeIntervalSince1970), forKey: .expiresAt)
        try container.encode(tokenID, forKey: .tokenID)
        try container.encode(sessionID, forKey: .sessionID)
        try container.encode([Self.event: Empty()], forKey: .events)
    }
}
