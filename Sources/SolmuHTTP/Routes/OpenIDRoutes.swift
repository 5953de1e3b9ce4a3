import Channels
import CustomerLogin
import Foundation
import HTTPTypes
import Hummingbird
import IdentityGraph
import Logging
import NIOCore
import Tokens

/// The customer-facing OpenID Connect surface: the authorization endpoint, the login pages, the
/// userinfo endpoint and logout. Thin: every decision is `LoginService`'s.
struct OpenIDRoutes: Sendable {
    let services: SolmuServices
    var login: LoginService { services.login }
    var pages: LoginPages { services.pages }
    var browser: BrowserSecurity { services.browser }

    func register(on router: Router<SolmuRequestContext>) {
        router.get("/oauth/authorize") { request, context in try await authorize(request, context) }
        router.get("/login") { request, context in try await showLogin(request, password: false) }
        router.get("/login/password") { request, context in try await showLogin(request, password: true) }
        router.post("/login/start") { request, context in try await start(request, context) }
        router.post("/login/code") { request, context in try await code(request, context) }
        router.post("/login/password") { request, context in try await password(request, context) }
        router.post("/login/set-password") { request, context in try await setPassword(request, context) }
        router.get("/oauth/userinfo") { request, context in try await userinfo(request) }
        router.post("/oauth/userinfo") { request, context in try await userinfo(request) }
        router.get("/oauth/logout") { request, context in try await logout(request, form: nil) }
        router.post("/oauth/logout") { request, context in
            var request = request
            let form = await request.formBody()
            return try await logout(request, form: form)
        }
    }

    // MARK: - Authorization endpoint

    private func authorize(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        let query = QueryParameters(request.uri.query)
        let locale = AuthorizationRequest.locale(from: query.values["ui_locales"])
        do {
            switch try await login.authorize(query.values, duplicated: query.duplicated, sessionCookie: request.cookie(BrowserSecurity.sessionCookie)) {
            case let .redirect(location):
                return Response(status: .found, headers: [.location: location, .cacheControl: "no-store"])
            case let .login(pending, clientName):
                return identifierPage(request, pending: pending, clientName: clientName, hint: pending.request.loginHint, message: nil)
            }
        } catch let error as AuthorizationRequestError {
            switch error {
            case let .unsafe(part, reason):
                services.logger.notice("authorization request refused", metadata: ["reason": "\(reason)"])
                let message: LoginMessage = part == .invalidRedirectURI ? .invalidRedirectURI : .unknownClient
                return BrowserSecurity.page(pages.render(.error(ErrorPageModel(message: message)), locale: locale), status: .badRequest)
            case let .redirectable(response):
                return Response(status: .found, headers: [.location: LoginService.errorRedirect(response, issuer: services.issuer), .cacheControl: "no-store"])
            }
        }
    }

    // MARK: - Login pages

    private func showLogin(_ request: Request, password: Bool) async throws -> Response {
        let query = QueryParameters(request.uri.query)
        guard let pending = try? await login.pending(query.values["request_id"] ?? "") else {
            return errorPage(.loginExpired, locale: "en")
        }
        let name = clientName(pending)
        if password {
            let (csrf, cookies) = csrfFor(request, pending: pending)
            return BrowserSecurity.page(pages.render(.password(PasswordForm(
                requestID: pending.id, csrf: csrf, clientName: name, identifier: pending.request.loginHint, message: nil
            )), locale: pending.request.locale), cookies: cookies, formTarget: pending.request.redirectURI)
        }
        return identifierPage(request, pending: pending, clientName: name, hint: pending.request.loginHint, message: nil)
    }

    private func start(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        var request = request
        guard let (form, pending) = await checkedForm(&request) else { return errorPage(.invalidForm, locale: "en") }
        let input = form["identifier"] ?? ""
        do {
            let sent = try await login.sendCode(pendingID: pending.id, input: input, clientAddress: context.remoteAddress)
            let (csrf, cookies) = csrfFor(request, pending: pending)
            return BrowserSecurity.page(pages.render(.code(CodeForm(
                requestID: pending.id, csrf: csrf, clientName: clientName(pending), challengeID: sent.challengeID,
                maskedDestination: sent.maskedDestination, identifier: input, message: .codeSent
            )), locale: pending.request.locale), cookies: cookies, formTarget: pending.request.redirectURI)
        } catch let failure as LoginFailure {
            return identifierPage(request, pending: pending, clientName: clientName(pending), hint: input, message: message(failure), failure: failure)
        }
    }

    private func code(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        var request = request
        guard let (form, pending) = await checkedForm(&request) else { return errorPage(.invalidForm, locale: "en") }
        let input = form["identifier"] ?? ""
        let challengeID = form["challenge_id"] ?? ""
        do {
            let authentication = try await login.verifyCode(pendingID: pending.id, challengeID: challengeID, code: form["code"] ?? "")
            if try await login.hasPassword(authentication.customerID) {
                let completed = try await login.completeLogin(pendingID: pending.id, authentication: authentication)
                return BrowserSecurity.redirect(completed.redirect, cookies: completed.sessionCookie.map { [BrowserSecurity.setCookie(BrowserSecurity.sessionCookie, $0)] } ?? [])
            }
            // Offer a password once; the session exists already, the code is issued after this step.
            let (_, cookie) = try await login.createSession(authentication)
            let (csrf, cookies) = csrfFor(request, pending: pending)
            return BrowserSecurity.page(pages.render(.setPassword(SetPasswordForm(
                requestID: pending.id, csrf: csrf, clientName: clientName(pending), message: nil
            )), locale: pending.request.locale), cookies: cookies + [BrowserSecurity.setCookie(BrowserSecurity.sessionCookie, cookie)],
               formTarget: pending.request.redirectURI)
        } catch let failure as LoginFailure {
            switch failure {
            case .wrongCode:
                let (csrf, cookies) = csrfFor(request, pending: pending)
                return BrowserSecurity.page(pages.render(.code(CodeForm(
                    requestID: pending.id, csrf: csrf, clientName: clientName(pending), challengeID: challengeID,
                    maskedDestination: login.maskedDestination(input), identifier: input, message: message(failure)
                )), locale: pending.request.locale), status: .badRequest, cookies: cookies, formTarget: pending.request.redirectURI)
            case .loginExpired:
                return errorPage(.loginExpired, locale: pending.request.locale)
            default:
                return identifierPage(request, pending: pending, clientName: clientName(pending), hint: input, message: message(failure), failure: failure)
            }
        }
    }

    private func password(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        var request = request
        guard let (form, pending) = await checkedForm(&request) else { return errorPage(.invalidForm, locale: "en") }
        let input = form["identifier"] ?? ""
        do {
            let authentication = try await login.passwordLogin(pendingID: pending.id, input: input, password: form["password"] ?? "")
            let completed = try await login.completeLogin(pendingID: pending.id, authentication: authentication)
            return BrowserSecurity.redirect(completed.redirect, cookies: completed.sessionCookie.map { [BrowserSecurity.setCookie(BrowserSecurity.sessionCookie, $0)] } ?? [])
        } catch let failure as LoginFailure {
            if case .loginExpired = failure { return errorPage(.loginExpired, locale: pending.request.locale) }
            let (csrf, cookies) = csrfFor(request, pending: pending)
            var response = BrowserSecurity.page(pages.render(.password(PasswordForm(
                requestID: pending.id, csrf: csrf, clientName: clientName(pending), identifier: input, message: message(failure)
            )), locale: pending.request.locale), status: status(failure), cookies: cookies, formTarget: pending.request.redirectURI)
            if case let .locked(retryAfter) = failure { response.headers[.retryAfter] = "\(retryAfter.components.seconds)" }
            return response
        }
    }

    private func setPassword(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        var request = request
        guard let (form, pending) = await checkedForm(&request) else { return errorPage(.invalidForm, locale: "en") }
        let cookie = request.cookie(BrowserSecurity.sessionCookie)
        do {
            if form["skip"] == nil {
                try await login.setPassword(sessionCookie: cookie, password: form["password"] ?? "", confirmation: form["password_confirmation"] ?? "")
            }
            return BrowserSecurity.redirect(try await login.continueWithSession(pendingID: pending.id, sessionCookie: cookie))
        } catch let failure as LoginFailure {
            if case .loginExpired = failure { return errorPage(.loginExpired, locale: pending.request.locale) }
            let (csrf, cookies) = csrfFor(request, pending: pending)
            return BrowserSecurity.page(pages.render(.setPassword(SetPasswordForm(
                requestID: pending.id, csrf: csrf, clientName: clientName(pending), message: message(failure)
            )), locale: pending.request.locale), status: .badRequest, cookies: cookies, formTarget: pending.request.redirectURI)
        }
    }

    // MARK: - userinfo

    private func userinfo(_ request: Request) async throws -> Response {
        let claims: AccessTokenClaims
        do {
            claims = try await services.resourceAuthentication.authenticate(request, verifier: services.customerTokenVerifier)
        } catch let problem as Problem {
            // OpenID Connect Core §5.3.3: the error is in the challenge; the body stays empty.
            var headers = problem.headers
            headers[.cacheControl] = "no-store"
            return Response(status: problem.status, headers: headers)
        }
        guard claims.scope.contains(OpenIDScope.openid) else {
            return Response(status: .forbidden, headers: [.wwwAuthenticate: "Bearer realm=\"solmu\", error=\"insufficient_scope\", scope=\"openid\"", .cacheControl: "no-store"])
        }
        guard let result = try await login.userinfo(claims) else {
            return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"solmu\", error=\"invalid_token\"", .cacheControl: "no-store"])
        }
        return try JSONCoding.response(result, headers: [.cacheControl: "no-store"])
    }

    // MARK: - Logout

    private func logout(_ request: Request, form: FormParameters?) async throws -> Response {
        let query = QueryParameters(request.uri.query)
        func parameter(_ name: String) -> String? { form?[name] ?? query.values[name] }
        let locale = AuthorizationRequest.locale(from: parameter("ui_locales"))
        // Without an id_token_hint nothing shows that the customer's own channel asked: confirm
        // with a CSRF-protected form first (OpenID Connect RP-Initiated Logout §2).
        if parameter("id_token_hint") == nil {
            let csrfCookie = request.cookie(BrowserSecurity.csrfCookie)
            let confirmed = form.map { browser.checkCSRF(token: $0["csrf"], cookie: csrfCookie, pendingID: "logout") } ?? false
            if !confirmed {
                let cookie = csrfCookie.flatMap { OpaqueToken(received: $0) }?.value ?? OpaqueToken().value
                let carried = ["client_id", "post_logout_redirect_uri", "state", "ui_locales"].compactMap { name in parameter(name).map { (name, $0) } }
                return BrowserSecurity.page(
                    pages.render(.confirmLogout(LogoutConfirmation(csrf: browser.csrfToken(cookie: cookie, pendingID: "logout"), parameters: carried)), locale: locale),
                    status: form == nil ? .ok : .badRequest,
                    cookies: cookie == csrfCookie ? [] : [BrowserSecurity.setCookie(BrowserSecurity.csrfCookie, cookie)],
                    formTarget: registeredPostLogoutRedirect(clientID: parameter("client_id"), uri: parameter("post_logout_redirect_uri"))
                )
            }
        }
        do {
            let redirect = try await login.logout(
                idTokenHint: parameter("id_token_hint"), clientID: parameter("client_id"),
                postLogoutRedirectURI: parameter("post_logout_redirect_uri"), state: parameter("state"),
                sessionCookie: request.cookie(BrowserSecurity.sessionCookie)
            )
            let clear = [BrowserSecurity.clearCookie(BrowserSecurity.sessionCookie)]
            if let redirect {
                var headers: HTTPFields = [.location: redirect, .cacheControl: "no-store", HTTPField.Name("Referrer-Policy")!: "no-referrer"]
                headers.append(HTTPField(name: .setCookie, value: clear[0]))
                return Response(status: .found, headers: headers)
            }
            return BrowserSecurity.page(pages.render(.loggedOut, locale: locale), cookies: clear)
        } catch let error as LogoutError {
            services.logger.notice("logout request refused", metadata: ["reason": "\(error.reason)"])
            return BrowserSecurity.page(pages.render(.error(ErrorPageModel(message: .invalidRedirectURI)), locale: locale), status: .badRequest)
        }
    }

    // MARK: - Helpers

    /// The form of a login POST with its pending request, when the CSRF token is right.
    private func checkedForm(_ request: inout Request) async -> (FormParameters, PendingAuthorization)? {
        guard let form = await request.formBody(), let pendingID = form["request_id"],
              browser.checkCSRF(token: form["csrf"], cookie: request.cookie(BrowserSecurity.csrfCookie), pendingID: pendingID),
              let pending = try? await login.pending(pendingID)
        else { return nil }
        return (form, pending)
    }

    /// The CSRF token for a page, and the cookie to set when the browser has none yet.
    private func csrfFor(_ request: Request, pending: PendingAuthorization) -> (String, [String]) {
        if let cookie = request.cookie(BrowserSecurity.csrfCookie), OpaqueToken(received: cookie) != nil {
            return (browser.csrfToken(cookie: cookie, pendingID: pending.id), [])
        }
        let cookie = OpaqueToken().value
        return (browser.csrfToken(cookie: cookie, pendingID: pending.id), [BrowserSecurity.setCookie(BrowserSecurity.csrfCookie, cookie)])
    }

    private func identifierPage(
        _ request: Request, pending: PendingAuthorization, clientName: String, hint: String?, message: LoginMessage?, failure: LoginFailure? = nil
    ) -> Response {
        let (csrf, cookies) = csrfFor(request, pending: pending)
        var response = BrowserSecurity.page(pages.render(.identifier(IdentifierForm(
            requestID: pending.id, csrf: csrf, clientName: clientName, loginHint: hint, message: message
        )), locale: pending.request.locale), status: failure.map(status) ?? .ok, cookies: cookies, formTarget: pending.request.redirectURI)
        if case let .rateLimited(retryAfter) = failure { response.headers[.retryAfter] = "\(retryAfter.components.seconds)" }
        return response
    }

    /// The post-logout redirect URI when it is registered for the client, else `nil`.
    private func registeredPostLogoutRedirect(clientID: String?, uri: String?) -> String? {
        guard let clientID, let uri, let channel = services.clients.channel(clientID), channel.postLogoutRedirectURIs.contains(uri) else { return nil }
        return uri
    }

    private func errorPage(_ message: LoginMessage, locale: String) -> Response {
        BrowserSecurity.page(pages.render(.error(ErrorPageModel(message: message)), locale: locale), status: .badRequest)
    }

    private func clientName(_ pending: PendingAuthorization) -> String {
        services.clients.channel(pending.request.clientID)?.name ?? pending.request.clientID
    }

    private func message(_ failure: LoginFailure) -> LoginMessage {
        switch failure {
        case .loginExpired: .loginExpired
        case .invalidIdentifier: .invalidIdentifier
        case let .rateLimited(retryAfter): .rateLimited(retryAfterSeconds: Int(retryAfter.components.seconds))
        case let .wrongCode(remaining): .wrongCode(remaining: remaining)
        case .codeExpired: .codeExpired
        case .tooManyAttempts: .tooManyAttempts
        case .wrongPassword: .wrongPassword
        case let .locked(retryAfter): .locked(retryAfterSeconds: Int(retryAfter.components.seconds))
        case let .passwordTooShort(minimum): .passwordTooShort(minimum: minimum)
        case .passwordsDiffer: .passwordsDiffer
        case .refused: .serviceUnavailable
        }
    }

    private func status(_ failure: LoginFailure) -> HTTPResponse.Status {
        switch failure {
        case .rateLimited, .locked: .tooManyRequests
        case .wrongPassword: .unauthorized
        case .refused: .unprocessableContent
        default: .badRequest
        }
    }
}
