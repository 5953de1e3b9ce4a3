public import Foundation

/// The claims of a JWT access token (RFC 9068 §2.2).
///
/// JSON names: `iss`, `sub`, `aud`, `exp`, `iat`, `jti`, `scope`, `client_id`. Dates are NumericDate
/// (seconds since the epoch; written as whole seconds). A single audience is written as a string,
/// several as an array; both forms are read. `scope` is one space-separated string and is left out
/// when empty.
public struct AccessTokenClaims: Sendable, Codable, Equatable {
    /// `iss`: the issuer identifier of this server.
    public var issuer: String
    /// `sub`: the customer (or, for client credentials, the client) the token is about.
    public var subject: String
    /// `aud`: the resource servers the token is for.
    public var audience: [String]
    /// `exp`: the end of validity.
    public var expiresAt: Date
    /// `iat`: the time of issue.
    public var issuedAt: Date
    /// `jti`: a unique id, 128 random bits in base64url.
    public var tokenID: String
    /// `scope`: the granted scopes.
    public var scope: [String]
    /// `client_id`: the OAuth client the token was issued to.
    public var clientID: String
    /// `acr`: how strongly the subject was authenticated (customer tokens).
    public var contextClass: String?
    /// `act` (RFC 8693 §4.1): who acts for the subject; nested when delegation is chained.
    public var actor: Actor?
    /// `cnf.jkt` (RFC 9449 §6): the thumbprint of the DPoP key the token is bound to.
    public var confirmationKey: String?

    /// An `act` claim: the acting party, and whoever acted before it.
    public final class Actor: Sendable, Codable, Equatable {
        public let subject: String
        public let clientID: String?
        public let actor: Actor?

        public init(subject: String, clientID: String?, actor: Actor?) {
            self.subject = subject
            self.clientID = clientID
            self.actor = actor
        }

        /// How many actors deep the chain is.
        public var depth: Int { 1 + (actor?.depth ?? 0) }

        public static func == (lhs: Actor, rhs: Actor) -> Bool {
            lhs.subject == rhs.subject && lhs.clientID == rhs.clientID && lhs.actor == rhs.actor
        }

        enum CodingKeys: String, CodingKey {
            case subject = "sub", clientID = "client_id", actor = "act"
        }
    }

    /// Creates claims.
    public init(
        issuer: String, subject: String, audience: [String], expiresAt: Date, issuedAt: Date,
        tokenID: String, scope: [String], clientID: String
    ) {
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.tokenID = tokenID
        self.scope = scope
        self.clientID = clientID
    }

    private enum CodingKeys: String, CodingKey {
        case issuer = "iss"
        case subject = "sub"
        case audience = "aud"
        case expiresAt = "exp"
        case issuedAt = "iat"
        case tokenID = "jti"
        case scope
        case clientID = "client_id"
        case contextClass = "acr"
        case actor = "act"
        case confirmation = "cnf"
    }

    private struct Confirmation: Codable {
        var jkt: String
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try container.decode(String.self, forKey: .issuer)
        subject = try container.decode(String.self, forKey: .subject)
        if let single = try? container.decode(String.self, forKey: .audience) {
            audience = [single]
        } else {
            audience = try container.decode([String].self, forKey: .audience)
        }
        expiresAt = try NumericDate.decode(container, forKey: .expiresAt)
        issuedAt = try NumericDate.decode(container, forKey: .issuedAt)
        tokenID = try container.decode(String.self, forKey: .tokenID)
        scope = try container.decodeIfPresent(String.self, forKey: .scope)?
            .split(separator: " ", omittingEmptySubsequences: true).map(String.init) ?? []
        clientID = try container.decode(String.self, forKey: .clientID)
        contextClass = try container.decodeIfPresent(String.self, forKey: .contextClass)
        actor = try container.decodeIfPresent(Actor.self, forKey: .actor)
        confirmationKey = try container.decodeIfPresent(Confirmation.self, forKey: .confirmation)?.jkt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(issuer, forKey: .issuer)
        try container.encode(subject, forKey: .subject)
        if audience.count == 1 {
            try container.encode(audience[0], forKey: .audience)
        } else {
            try container.encode(audience, forKey: .audience)
        }
        try NumericDate.encode(expiresAt, to: &container, forKey: .expiresAt)
        try NumericDate.encode(issuedAt, to: &container, forKey: .issuedAt)
        try container.encode(tokenID, forKey: .tokenID)
        if !scope.isEmpty {
            try container.encode(scope.joined(separator: " "), forKey: .scope)
        }
        try container.encode(clientID, forKey: .clientID)
        try container.encodeIfPresent(contextClass, forKey: .contextClass)
        try container.encodeIfPresent(actor, forKey: .actor)
        try container.encodeIfPresent(confirmationKey.map(Confirmation.init(jkt:)), forKey: .confirmation)
    }
}

extension AccessTokenClaims {
    /// The claims as `JSONEncoder` with sorted keys and unescaped slashes encodes them (the
    /// `Encodable` conformance above), written by hand: every access token is signed over this.
    var json: [UInt8] {
        var writer = JSONWriter(capacity: 320)
        var separator = false
        func key(_ name: StaticString) {
            writer.raw(separator ? "," : "{")
            separator = true
            writer.raw("\"")
            writer.raw(name)
            writer.raw("\":")
        }
        if let contextClass {
            key("acr")
            writer.string(contextClass)
        }
        if let actor {
            key("act")
            actor.write(to: &writer)
        }
        key("aud")
        if audience.count == 1 {
            writer.string(audience[0])
        } else {
            writer.raw("[")
            for (index, value) in audience.enumerated() {
                if index > 0 { writer.raw(",") }
                writer.string(value)
            }
            writer.raw("]")
        }
        key("client_id")
        writer.string(clientID)
        if let confirmationKey {
            key("cnf")
            writer.raw("{\"jkt\":")
            writer.string(confirmationKey)
            writer.raw("}")
        }
        key("exp")
        writer.integer(NumericDate.seconds(expiresAt))
        key("iat")
        writer.integer(NumericDate.seconds(issuedAt))
        key("iss")
        writer.string(issuer)
        key("jti")
        writer.string(tokenID)
        if !scope.isEmpty {
            key("scope")
            writer.string(scope.joined(separator: " "))
        }
        key("sub")
        writer.string(subject)
        writer.raw("}")
        return writer.bytes
    }
}

extension AccessTokenClaims.Actor {
    /// `{"act"?,"client_id"?,"sub"}`, as its `Codable` conformance encodes it with sorted keys.
    func write(to writer: inout JSONWriter) {
        writer.raw("{")
        if let actor {
            writer.raw("\"act\":")
            actor.write(to: &writer)
            writer.raw(",")
        }
        if let clientID {
            writer.raw("\"client_id\":")
            writer.string(clientID)
            writer.raw(",")
        }
        writer.raw("\"sub\":")
        writer.string(subject)
        writer.raw("}")
    }
}
