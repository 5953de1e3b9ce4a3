import Foundation

/// What `GET /oauth/authorize` should do.
public enum AuthorizeOutcome: Sendable, Equatable {
    /// Redirect the browser (to the client with a code or an error).
    case redirect(String)
    /// Show the login page for this pending request.
    case login(PendingAuthorization, clientName: String)
}

/// Why a login step did not succeed; the page shows the matching message.
public enum LoginFailure: Error, Sendable, Equatable {
    case loginExpired
    case invalidIdentifier
    case rateLimited(retryAfter: Duration)
    case wrongCode(remaining: Int)
    case codeExpired
    case tooManyAttempts
    case wrongPassword
    case locked(retryAfter: Duration)
    case passwordTooShort(minimum: Int)
    case passwordsDiffer
    /// The identifier cannot be linked (blocked, or at a policy limit); the detail is for logs.
    case refused(String)
}

/// A one-time code that went out.
public struct SentCode: Sendable, Equatable {
    public var challengeID: String
    /// The destination with most of it hidden (`a***@example.com`).
    public var maskedDestination: String
}

/// A finished login: where to send the browser and the session cookie to set.
public struct CompletedLogin: Sendable, Equatable {
    public var redirect: String
    /// A new session cookie value, when a session was created.
    public var sessionCookie: String?
}

/// Tokens from the token endpoint (RFC 6749 §5.1 plus `id_token`).
public struct IssuedTokens: Sendable, Equatable {
    public var accessToken: String
    /// `Bearer`, or `DPoP` for a token bound to a DPoP key (RFC 9449 §5).
    public var tokenType: String = "Bearer"
    public var expiresIn: Int
    public var scope: [String]
    public var idToken: String?
    public var refreshToken: String?
}

/// An OAuth error of the token endpoint.
public struct TokenGrantError: Error, Sendable, Equatable {
    public var code: String
    public var description: String

    public init(_ code: String, _ description: String) {
        self.code = code
        self.description = description
    }

    static func invalidGrant(_ description: String) -> TokenGrantError { TokenGrantError("invalid_grant", description) }
}
