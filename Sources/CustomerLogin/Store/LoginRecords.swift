public import Foundation
public import Identifiers
public import IdentityGraph

/// An authorization request waiting for the customer to log in. The login pages carry only its
/// id; everything the client asked for stays on the server.
public struct PendingAuthorization: Sendable, Codable, Equatable {
    public var id: String
    public var request: AuthorizationRequest
    public var createdAt: Date
    public var expiresAt: Date

    public init(id: String, request: AuthorizationRequest, createdAt: Date, expiresAt: Date) {
        self.id = id
        self.request = request
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A one-time code sent to an identifier, waiting to be entered.
public struct OneTimeCodeChallenge: Sendable, Equatable {
    public var id: String
    public var identifier: Identifier
    public var codeDigest: String
    /// The login flow the code belongs to; a code only works inside its own flow.
    public var pendingAuthorizationID: String
    public var createdAt: Date
    public var expiresAt: Date
    public var attempts: Int
    public var consumed: Bool

    public init(id: String, identifier: Identifier, codeDigest: String, pendingAuthorizationID: String, createdAt: Date, expiresAt: Date, attempts: Int = 0, consumed: Bool = false) {
        self.id = id
        self.identifier = identifier
        self.codeDigest = codeDigest
        self.pendingAuthorizationID = pendingAuthorizationID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.attempts = attempts
        self.consumed = consumed
    }
}

/// How a customer authenticated (OpenID Connect `auth_time`, `amr`, `acr`).
public struct Authentication: Sendable, Codable, Equatable {
    public var customerID: CustomerID
    public var time: Date
    /// RFC 8176 values: `otp` (with `email` or `sms`), `pwd`.
    public var methods: [String]
    public var contextClass: String

    public init(customerID: CustomerID, time: Date, methods: [String], contextClass: String) {
        self.customerID = customerID
        self.time = time
        self.methods = methods
        self.contextClass = contextClass
    }
}

/// A customer's single sign-on session, behind the session cookie.
public struct LoginSession: Sendable, Equatable {
    /// The public session id (`sid` in ID and logout tokens); not the cookie value.
    public var id: String
    public var authentication: Authentication
    public var createdAt: Date
    public var lastSeenAt: Date
    public var endedAt: Date?
    /// The channels that received tokens in this session, in order.
    public var channels: [String]

    public init(id: String, authentication: Authentication, createdAt: Date, lastSeenAt: Date, endedAt: Date? = nil, channels: [String] = []) {
        self.id = id
        self.authentication = authentication
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.endedAt = endedAt
        self.channels = channels
    }
}

/// An issued authorization code (stored by digest).
public struct AuthorizationCodeGrant: Sendable, Equatable {
    public var request: AuthorizationRequest
    public var authentication: Authentication
    public var sessionID: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(request: AuthorizationRequest, authentication: Authentication, sessionID: String, createdAt: Date, expiresAt: Date) {
        self.request = request
        self.authentication = authentication
        self.sessionID = sessionID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// What redeeming a code found.
public enum CodeRedemption: Sendable, Equatable {
    case redeemed(AuthorizationCodeGrant)
    /// Used before: refuse, and revoke what it issued (RFC 6749 §4.1.2).
    case replayed(AuthorizationCodeGrant, accessTokenIDs: [String], refreshFamilyIDs: [String])
    case unknown
}

/// A chain of refresh tokens, each replacing the one before (RFC 9700 §4.14.2).
public struct RefreshFamily: Sendable, Equatable {
    public var id: String
    public var clientID: String
    public var scope: [String]
    public var authentication: Authentication
    public var sessionID: String?
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?
    /// The DPoP key (RFC 7638 thumbprint) the family is bound to: every refresh must prove it.
    public var confirmationKey: String?

    public init(id: String, clientID: String, scope: [String], authentication: Authentication, sessionID: String?, createdAt: Date, expiresAt: Date, revokedAt: Date? = nil, confirmationKey: String? = nil) {
        self.confirmationKey = confirmationKey
        self.id = id
        self.clientID = clientID
        self.scope = scope
        self.authentication = authentication
        self.sessionID = sessionID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}

/// What presenting a refresh token found.
public enum RefreshRotation: Sendable, Equatable {
    /// The token was current; the new one replaces it.
    case rotated(RefreshFamily)
    /// The token was already rotated: someone replays it. The whole family is now revoked.
    case reused(RefreshFamily)
    /// Unknown, expired, or from a revoked family.
    case invalid
}

/// A stored password and its lockout state.
public struct PasswordRecord: Sendable, Equatable {
    public var customerID: CustomerID
    /// PHC scrypt string.
    public var hash: String
    public var failures: Int
    public var lockedUntil: Date?

    public init(customerID: CustomerID, hash: String, failures: Int = 0, lockedUntil: Date? = nil) {
        self.customerID = customerID
        self.hash = hash
        self.failures = failures
        self.lockedUntil = lockedUntil
    }
}

/// A rate limit's answer.
public enum RateLimitDecision: Sendable, Equatable {
    case allowed
    case limited(retryAfter: Duration)
}

/// A message waiting to be delivered: a one-time code to a customer, or a back-channel logout
/// token to a channel.
public struct OutboxMessage: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case oneTimeCode = "one_time_code"
        case backchannelLogout = "backchannel_logout"
    }

    public var id: String
    public var kind: Kind
    /// Where: an e-mail address or phone number, or the channel's back-channel logout URI.
    public var destination: String
    /// The message body (JSON), already rendered.
    public var payload: String
    public var createdAt: Date
    public var attempts: Int
    public var nextAttemptAt: Date

    public init(id: String, kind: Kind, destination: String, payload: String, createdAt: Date, attempts: Int = 0, nextAttemptAt: Date) {
        self.id = id
        self.kind = kind
        self.destination = destination
        self.payload = payload
        self.createdAt = createdAt
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
    }
}
