public import Channels
public import Crypto
public import Foundation
public import Identifiers
public import IdentityGraph
import NIOPosix
public import Tokens

/// Customer login and the OpenID Connect flows: the authorization endpoint's decisions, one-time
/// codes, passwords, sessions and single sign-on, the code and refresh grants, userinfo and logout.
///
/// It calls only protocols (`IdentityStore`, `LoginStore`) and the token signer; the HTTP layer
/// turns its answers into pages, redirects and JSON.
public struct LoginService: Sendable {
    public let identities: any IdentityStore
    public let store: any LoginStore
    public let normalizer: IdentifierNormalizer
    public let channels: ClientAuthenticator
    public let signer: TokenSigner
    public let issuer: String
    public let settings: LoginSettings
    /// HMAC key of one-time codes and rate-limit keys.
    let secretKey: SymmetricKey
    let now: @Sendable () -> Date

    public init(
        identities: any IdentityStore, store: any LoginStore, normalizer: IdentifierNormalizer, channels: ClientAuthenticator,
        signer: TokenSigner, issuer: String, secretKey: SymmetricKey, settings: LoginSettings = LoginSettings(),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.identities = identities
        self.store = store
        self.normalizer = normalizer
        self.channels = channels
        self.signer = signer
        self.issuer = issuer
        self.secretKey = secretKey
        self.settings = settings
        self.now = now
    }

    /// The audience of customer access tokens: the issuer itself (its userinfo endpoint accepts
    /// them), never the channel API's `<issuer>/v1`.
    public var customerTokenAudience: String { issuer }

    // MARK: - Authorization endpoint

    /// Decides what `GET /oauth/authorize` does: single sign-on straight back to the client, an
    /// error redirect, or the login page.
    public func authorize(_ parameters: [String: String], duplicated: Set<String>, sessionCookie: String?) async throws -> AuthorizeOutcome {
        let request = try AuthorizationRequest.validate(parameters, duplicated: duplicated, channel: channels.channel)
        let time = now()
        if let session = try await liveSession(cookie: sessionCookie, at: time), request.prompt != .login,
           request.maxAge.map({ time.timeIntervalSince(session.authentication.time) <= Double($0) }) ?? true
        {
            return .redirect(try await issueCode(for: request, session: session, at: time))
        }
        if request.prompt == AuthorizationRequest.Prompt.none {
            return .redirect(Self.errorRedirect(AuthorizationErrorResponse(
                redirectURI: request.redirectURI, error: "login_required", description: "no session; the customer must log in", state: request.state
            ), issuer: issuer))
        }
        let pending = PendingAuthorization(
            id: OpaqueToken().value, request: request, createdAt: time, expiresAt: time.adding(settings.pendingLifetime)
        )
        try await store.savePendingAuthorization(pending)
        return .login(pending, clientName: channels.channel(request.clientID)?.name ?? request.clientID)
    }

    /// The pending request, or `.loginExpired`.
    public func pending(_ id: String) async throws -> PendingAuthorization {
        guard id.utf8.count <= 64, let pending = try await store.pendingAuthorization(id, now: now()) else {
            throw LoginFailure.loginExpired
        }
        return pending
    }

    /// The redirect that carries an error back to the client (RFC 6749 §4.1.2.1, RFC 9207).
    public static func errorRedirect(_ error: AuthorizationErrorResponse, issuer: String) -> String {
        var parameters = [("error", error.error), ("error_description", error.description)]
        if let state = error.state { parameters.append(("state", state)) }
        parameters.append(("iss", issuer))
        return append(parameters, to: error.redirectURI)
    }

    // MARK: - One-time codes

    /// Sends a one-time code to the e-mail address or phone number the customer typed.
    public func sendCode(pendingID: String, input: String, clientAddress: String?) async throws -> SentCode {
        let pending = try await pending(pendingID)
        let identifier = try loginIdentifier(input)
        let time = now()
        if case let .limited(retryAfter) = try await store.rateLimit(
            "otp:identifier:" + keyedHash(identifier.compact), limit: settings.codesPerIdentifier, window: settings.codeRateWindow, now: time
        ) {
            throw LoginFailure.rateLimited(retryAfter: retryAfter)
        }
        if let clientAddress, case let .limited(retryAfter) = try await store.rateLimit(
            "otp:address:" + keyedHash(clientAddress), limit: settings.codesPerAddress, window: settings.codeRateWindow, now: time
        ) {
            throw LoginFailure.rateLimited(retryAfter: retryAfter)
        }
        let code = OneTimeCode.generate()
        let challengeID = OpaqueToken().value
        try await store.saveChallenge(OneTimeCodeChallenge(
            id: challengeID, identifier: identifier, codeDigest: OneTimeCode.digest(code, challengeID: challengeID, key: secretKey),
            pendingAuthorizationID: pending.id, createdAt: time, expiresAt: time.adding(OneTimeCode.lifetime)
        ))
        let payload = OneTimeCodePayload(
            code: code, channel: identifier.kind == .email ? "email" : "sms", locale: pending.request.locale,
            client: channels.channel(pending.request.clientID)?.name ?? pending.request.clientID, expiresInSeconds: Int(OneTimeCode.lifetime.components.seconds)
        )
        try await store.enqueue(OutboxMessage(
            id: OpaqueToken().value, kind: .oneTimeCode, destination: identifier.value, payload: payload.json,
            createdAt: time, nextAttemptAt: time
        ))
        return SentCode(challengeID: challengeID, maskedDestination: Self.mask(identifier))
    }

    /// Checks a one-time code. A correct code proves the identifier: its customer logs in and the
    /// link becomes `verified`; an unknown identifier signs a new customer up.
    public func verifyCode(pendingID: String, challengeID: String, code: String) async throws -> Authentication {
        let pending = try await pending(pendingID)
        guard challengeID.utf8.count <= 64, let challenge = try await store.challenge(challengeID),
              challenge.pendingAuthorizationID == pending.id
        else { throw LoginFailure.loginExpired }
        let time = now()
        guard !challenge.consumed, challenge.expiresAt > time else { throw LoginFailure.codeExpired }
        guard challenge.attempts < OneTimeCode.maxAttempts else { throw LoginFailure.tooManyAttempts }
        guard OneTimeCode.matches(code, digest: challenge.codeDigest, challengeID: challenge.id, key: secretKey) else {
            let attempts = try await store.recordFailedAttempt(challenge: challenge.id)
            let remaining = OneTimeCode.maxAttempts - attempts
            throw remaining > 0 ? LoginFailure.wrongCode(remaining: remaining) : LoginFailure.tooManyAttempts
        }
        guard try await store.consumeChallenge(challenge.id) else { throw LoginFailure.codeExpired }
        let customer = try await proveIdentifier(challenge.identifier, channel: pending.request.clientID, at: time)
        return Authentication(
            customerID: customer, time: time, methods: challenge.identifier.kind == .phone ? ["otp", "sms"] : ["otp"],
            contextClass: Self.acrVerified
        )
    }

    /// Links the proven identifier as `verified` to its customer, or creates the customer.
    private func proveIdentifier(_ identifier: Identifier, channel: String, at time: Date) async throws -> CustomerID {
        let context = ChangeContext(actor: channel, reason: "identifier proven by a one-time code", time: time)
        do {
            if let existing = try await identities.resolve(identifier) {
                _ = try await identities.link(identifier, to: existing.customerID, assurance: .verified, context: context)
                return existing.customerID
            }
            return try await identities.createCustomer(NewCustomer(identifiers: [.init(identifier: identifier, assurance: .verified)]), context: context).id
        } catch let error as IdentityGraphError {
            // A sign-up that raced another one for the same identifier: the other one won.
            if case .conflict = error, let existing = try await identities.resolve(identifier) {
                return existing.customerID
            }
            throw LoginFailure.refused(error.description)
        }
    }

    // MARK: - Passwords

    /// Logs in with a password. Unknown identifiers and customers without a password cost the
    /// same scrypt work as a wrong password, so that the answer does not reveal which it was.
    public func passwordLogin(pendingID: String, input: String, password: String) async throws -> Authentication {
        _ = try await pending(pendingID)
        let identifier = try loginIdentifier(input)
        let time = now()
        guard let customer = try await identities.resolve(identifier)?.customerID,
              let record = try await store.password(of: customer), let hash = try? SecretHash(phc: record.hash)
        else {
            _ = await verifyOffLoop(Self.decoyHash, password)
            throw LoginFailure.wrongPassword
        }
        if let lockedUntil = record.lockedUntil, lockedUntil > time {
            throw LoginFailure.locked(retryAfter: .seconds(max(1, Int(lockedUntil.timeIntervalSince(time).rounded(.up)))))
        }
        guard await verifyOffLoop(hash, password) else {
            let failures = record.failures + 1
            var lockedUntil: Date?
            if failures >= settings.passwordFailuresBeforeLockout {
                let doublings = min(failures - settings.passwordFailuresBeforeLockout, 16)
                let seconds = min(settings.passwordLockout.components.seconds << doublings, settings.passwordMaximumLockout.components.seconds)
                lockedUntil = time.addingTimeInterval(TimeInterval(seconds))
            }
            _ = try await store.recordPasswordFailure(customer, lockedUntil: lockedUntil)
            if let lockedUntil { throw LoginFailure.locked(retryAfter: .seconds(Int(lockedUntil.timeIntervalSince(time)))) }
            throw LoginFailure.wrongPassword
        }
        try await store.resetPasswordFailures(customer)
        return Authentication(customerID: customer, time: time, methods: ["pwd"], contextClass: Self.acrPassword)
    }

    /// Sets or replaces the password of the customer of a live session.
    public func setPassword(sessionCookie: String?, password: String, confirmation: String) async throws {
        guard let session = try await liveSession(cookie: sessionCookie, at: now()) else { throw LoginFailure.loginExpired }
        guard password == confirmation else { throw LoginFailure.passwordsDiffer }
        guard password.count >= settings.passwordMinimumLength, password.utf8.count <= 1_024 else {
            throw LoginFailure.passwordTooShort(minimum: settings.passwordMinimumLength)
        }
        let hash = try await NIOThreadPool.singleton.runIfActive { try SecretHash.make(secret: password) }
        try await store.setPassword(hash.description, for: session.authentication.customerID)
    }

    /// Whether the customer has a password (the set-password page is offered only when not).
    public func hasPassword(_ customer: CustomerID) async throws -> Bool {
        try await store.password(of: customer) != nil
    }

    // MARK: - Sessions and codes

    /// Creates the session for a finished login and sends the browser back to the client with a code.
    public func completeLogin(pendingID: String, authentication: Authentication) async throws -> CompletedLogin {
        let pending = try await pending(pendingID)
        let (session, cookie) = try await createSession(authentication)
        return CompletedLogin(redirect: try await issueCode(for: pending.request, session: session, at: now()), sessionCookie: cookie)
    }

    /// Creates a session; returns it and the cookie value.
    public func createSession(_ authentication: Authentication) async throws -> (LoginSession, String) {
        let cookie = OpaqueToken()
        let time = now()
        let session = LoginSession(id: OpaqueToken().value, authentication: authentication, createdAt: time, lastSeenAt: time)
        try await store.createSession(session, cookieDigest: cookie.digest)
        return (session, cookie.value)
    }

    /// Continues a pending request with the current session (after the optional set-password step).
    public func continueWithSession(pendingID: String, sessionCookie: String?) async throws -> String {
        let pending = try await pending(pendingID)
        let time = now()
        guard let session = try await liveSession(cookie: sessionCookie, at: time) else { throw LoginFailure.loginExpired }
        return try await issueCode(for: pending.request, session: session, at: time)
    }

    /// The session behind a cookie, when it is within both timeouts; touches it.
    public func liveSession(cookie: String?, at time: Date) async throws -> LoginSession? {
        guard let cookie, let token = OpaqueToken(received: cookie), let session = try await store.session(cookieDigest: token.digest) else {
            return nil
        }
        guard session.endedAt == nil,
              time.timeIntervalSince(session.lastSeenAt) < settings.sessionIdleTimeout.seconds,
              time.timeIntervalSince(session.createdAt) < settings.sessionAbsoluteTimeout.seconds
        else { return nil }
        try await store.touchSession(cookieDigest: token.digest, at: time)
        return session
    }

    private func issueCode(for request: AuthorizationRequest, session: LoginSession, at time: Date) async throws -> String {
        let code = OpaqueToken()
        try await store.saveCode(AuthorizationCodeGrant(
            request: request, authentication: session.authentication, sessionID: session.id, createdAt: time,
            expiresAt: time.adding(settings.codeLifetime)
        ), digest: code.digest)
        try await store.addChannel(request.clientID, toSession: session.id, at: time)
        var parameters = [("code", code.value)]
        if let state = request.state { parameters.append(("state", state)) }
        parameters.append(("iss", issuer))
        return Self.append(parameters, to: request.redirectURI)
    }

    // MARK: - Helpers

    /// An e-mail address when the input has an `@`, a phone number otherwise.
    func loginIdentifier(_ input: String) throws -> Identifier {
        let kind: IdentifierKind = input.contains("@") || input.contains("＠") ? .email : .phone
        do {
            return try normalizer.normalize(kind: kind, namespace: nil, value: input)
        } catch {
            throw LoginFailure.invalidIdentifier
        }
    }

    func keyedHash(_ text: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: secretKey)).base64URL
    }

    private func verifyOffLoop(_ hash: SecretHash, _ password: String) async -> Bool {
        (try? await NIOThreadPool.singleton.runIfActive { hash.verify(password) }) ?? false
    }

    /// A hash nobody knows the secret of, verified when there is nothing to verify.
    private static let decoyHash = try! SecretHash.make(secret: OpaqueToken().value)

    public static let acrVerified = "urn:solmu:acr:verified"
    public static let acrPassword = "urn:solmu:acr:password"

    /// The masked destination of what the customer typed, or an empty string when it is not valid.
    public func maskedDestination(_ input: String) -> String {
        (try? loginIdentifier(input)).map(Self.mask) ?? ""
    }

    /// `a***@example.com`, `+358*****567`.
    public static func mask(_ identifier: Identifier) -> String {
        let value = identifier.value
        if identifier.kind == .email, let at = value.firstIndex(of: "@") {
            return String(value[..<at].prefix(1)) + "***" + value[at...]
        }
        let digits = Array(value)
        guard digits.count > 7 else { return String(repeating: "*", count: digits.count) }
        return String(digits.prefix(4)) + String(repeating: "*", count: digits.count - 7) + String(digits.suffix(3))
    }

    static func append(_ parameters: [(String, String)], to uri: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let query = parameters.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        return uri + (uri.contains("?") ? "&" : "?") + query
    }
}

/// The content of a one-time-code message, for the sender to render.
struct OneTimeCodePayload: Codable {
    var code: String
    var channel: String
    var locale: String
    var client: String
    var expiresInSeconds: Int

    enum CodingKeys: String, CodingKey {
        case code, channel, locale, client
        case expiresInSeconds = "expires_in_seconds"
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension Date {
    func adding(_ duration: Duration) -> Date {
        addingTimeInterval(duration.seconds)
    }
}

extension Duration {
    var seconds: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
