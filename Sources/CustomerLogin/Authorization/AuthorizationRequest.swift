public import Channels
import Foundation

/// A checked OpenID Connect authentication request (`response_type=code` only; no implicit and no
/// hybrid flow, RFC 9700 §2.1.2).
public struct AuthorizationRequest: Sendable, Codable, Equatable {
    public var clientID: String
    /// The redirect URI as requested; it matched a registered one (for loopback, with any port).
    public var redirectURI: String
    public var scope: [String]
    public var state: String?
    public var nonce: String?
    /// S256 challenge; required for public channels, honoured for confidential ones.
    public var codeChallenge: String?
    public var prompt: Prompt?
    /// Seconds; a login older than this must be repeated.
    public var maxAge: Int?
    public var loginHint: String?
    /// The language of the login pages, from `ui_locales`: `en` or `fi`.
    public var locale: String

    public enum Prompt: String, Sendable, Codable, Equatable {
        /// Never show a page; fail with `login_required` when there is no session.
        case none
        /// Always ask for a fresh login, even during a session.
        case login
    }

    /// Checks the query parameters of `GET /oauth/authorize` against the channel registry.
    /// - Throws: `AuthorizationRequestError`; `.unsafe` must be shown on an error page (never
    ///   redirect to an unverified URI, RFC 6749 §4.1.2.1), `.redirectable` goes back to the client.
    public static func validate(
        _ parameters: [String: String], duplicated: Set<String>, channel lookup: (String) -> Channel?
    ) throws(AuthorizationRequestError) -> AuthorizationRequest {
        // First what decides where errors may go: the client and its redirect URI.
        if duplicated.contains("client_id") { throw .unsafe(.unknownClient, "client_id must appear once") }
        if duplicated.contains("redirect_uri") { throw .unsafe(.invalidRedirectURI, "redirect_uri must appear once") }
        guard let clientID = parameters["client_id"] else { throw .unsafe(.unknownClient, "the request has no client_id") }
        guard let channel = lookup(clientID) else { throw .unsafe(.unknownClient, "the client is not registered") }
        guard let requestedRedirect = parameters["redirect_uri"] else { throw .unsafe(.invalidRedirectURI, "the request has no redirect_uri") }
        guard RedirectURIMatcher.match(requestedRedirect, registered: channel.redirectURIs) != nil else {
            throw .unsafe(.invalidRedirectURI, "the redirect_uri is not registered for this client")
        }
        let state = parameters["state"]
        // Errors go where a code would have gone: the requested URI, which for a loopback redirect
        // carries the app's port (RFC 8252 §7.3), not the registered one without it.
        func fail(_ code: String, _ description: String) -> AuthorizationRequestError {
            .redirectable(AuthorizationErrorResponse(redirectURI: requestedRedirect, error: code, description: description, state: state))
        }

        if let duplicate = duplicated.sorted().first {
            throw fail("invalid_request", "the parameter \(duplicate.prefix(40)) appears more than once")
        }
        if let state, state.utf8.count > 1_024 { throw fail("invalid_request", "state is longer than 1024 bytes") }
        if parameters["request"] != nil { throw fail("request_not_supported", "request objects are not supported") }
        if parameters["request_uri"] != nil { throw fail("request_uri_not_supported", "request_uri is not supported") }
        guard let responseType = parameters["response_type"] else { throw fail("invalid_request", "response_type is required") }
        guard responseType == "code" else {
            throw fail("unsupported_response_type", "only response_type=code is supported")
        }
        if let mode = parameters["response_mode"], mode != "query" {
            throw fail("invalid_request", "only response_mode=query is supported")
        }
        guard channel.grantTypes.contains(.authorizationCode) else {
            throw fail("unauthorized_client", "the client may not use the authorization code flow")
        }

        var seenScopes = Set<String>()
        let scope = (parameters["scope"] ?? OpenIDScope.openid).split(separator: " ").map(String.init).filter { seenScopes.insert($0).inserted }
        guard !scope.isEmpty else { throw fail("invalid_scope", "scope is empty") }
        let unknown = Set(scope).subtracting(OpenIDScope.all)
        guard unknown.isEmpty else { throw fail("invalid_scope", "scopes not available to customers: \(unknown.sorted().joined(separator: " ").prefix(200))") }
        if scope.contains(OpenIDScope.offlineAccess), !channel.grantTypes.contains(.refreshToken) {
            throw fail("invalid_scope", "offline_access needs the refresh_token grant, which the client may not use")
        }

        var codeChallenge: String?
        if let challenge = parameters["code_challenge"] {
            guard let method = parameters["code_challenge_method"] else {
                throw fail("invalid_request", "code_challenge_method is required; only S256 is supported")
            }
            guard method == "S256" else { throw fail("invalid_request", "code_challenge_method must be S256; plain is not allowed") }
            guard PKCE.isValidChallenge(challenge) else { throw fail("invalid_request", "code_challenge must be 43 base64url characters") }
            codeChallenge = challenge
        } else if parameters["code_challenge_method"] != nil {
            throw fail("invalid_request", "code_challenge_method without code_challenge")
        } else if !channel.isConfidential {
            throw fail("invalid_request", "PKCE with S256 is required for public clients")
        }

        var prompt: Prompt?
        if let value = parameters["prompt"] {
            let values = Set(value.split(separator: " ").map(String.init))
            if values.contains("none"), values.count > 1 { throw fail("invalid_request", "prompt=none cannot be combined with other values") }
            if values == ["none"] {
                prompt = Prompt.none
            } else if values.contains("login") {
                prompt = .login
            } else if !values.isSubset(of: ["consent", "select_account"]) {
                throw fail("invalid_request", "prompt must be none or login")
            }
        }
        var maxAge: Int?
        if let value = parameters["max_age"] {
            guard let seconds = Int(value), seconds >= 0, seconds <= 31_536_000 else {
                throw fail("invalid_request", "max_age must be a number of seconds")
            }
            maxAge = seconds
        }
        if let nonce = parameters["nonce"], nonce.utf8.count > 512 { throw fail("invalid_request", "nonce is longer than 512 bytes") }
        if let hint = parameters["login_hint"], hint.utf8.count > 320 { throw fail("invalid_request", "login_hint is longer than 320 bytes") }
        let locale = Self.locale(from: parameters["ui_locales"])

        return AuthorizationRequest(
            clientID: clientID, redirectURI: requestedRedirect,
            scope: scope, state: state, nonce: parameters["nonce"], codeChallenge: codeChallenge, prompt: prompt,
            maxAge: maxAge, loginHint: parameters["login_hint"], locale: locale
        )
    }
}

extension AuthorizationRequest {
    /// The first of `fi` and `en` in a `ui_locales` list (`fi-FI en` → `fi`); `en` otherwise.
    public static func locale(from uiLocales: String?) -> String {
        for tag in (uiLocales ?? "").split(separator: " ") {
            let language = tag.split(separator: "-").first.map { $0.lowercased() } ?? ""
            if language == "fi" || language == "en" { return language }
        }
        return "en"
    }
}

/// Why an authorization request was refused.
public enum AuthorizationRequestError: Error, Sendable, Equatable {
    /// The client or its redirect URI cannot be trusted: show an error page, never redirect.
    /// The reason is for the operator's log.
    case unsafe(UnsafeAuthorizationRequest, String)
    /// Send the error back to the client's redirect URI.
    case redirectable(AuthorizationErrorResponse)
}

/// Which part of a request could not be trusted.
public enum UnsafeAuthorizationRequest: Sendable, Equatable {
    case unknownClient
    case invalidRedirectURI
}

/// An error sent to the client's redirect URI (RFC 6749 §4.1.2.1, RFC 9207 `iss`).
public struct AuthorizationErrorResponse: Sendable, Equatable {
    public var redirectURI: String
    public var error: String
    public var description: String
    public var state: String?

    public init(redirectURI: String, error: String, description: String, state: String?) {
        self.redirectURI = redirectURI
        self.error = error
        self.description = description
        self.state = state
    }
}
