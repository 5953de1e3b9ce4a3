import Foundation
import Mustache

/// Renders the login pages. Created once at start-up; loads the templates from the module bundle.
///
/// The pages need no JavaScript and no external resources (they are served with a strict CSP);
/// every value is HTML-escaped by the templates, which never use triple mustaches for data.
struct LoginPages: Sendable {
    private let library: MustacheLibrary
    private let templates: [TemplateName: MustacheTemplate]

    /// - Throws: ``LoginPagesError`` when the templates are missing, or a Mustache parser error.
    init() throws {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw LoginPagesError.templatesMissing
        }
        try self.init(directory: directory)
    }

    /// Loads the templates from `directory` (tests and development).
    init(directory: URL) throws {
        var library = MustacheLibrary()
        var templates: [TemplateName: MustacheTemplate] = [:]
        for name in TemplateName.allCases {
            let file = directory.appendingPathComponent("\(name.rawValue).mustache")
            guard let data = FileManager.default.contents(atPath: file.path) else {
                throw LoginPagesError.templateMissing(name.rawValue)
            }
            let template = try MustacheTemplate(string: String(decoding: data, as: UTF8.self))
            library.register(template, named: name.rawValue)
            templates[name] = template
        }
        self.library = library
        self.templates = templates
    }

    /// The HTML of `page` in `locale` ("en" or "fi"; anything else → "en").
    func render(_ page: LoginPage, locale: String) -> String {
        let t = LoginTexts.forLocale(locale)
        let (name, view) = Self.view(of: page, texts: t)
        // Every name was loaded in init, so the lookup cannot fail.
        return templates[name]?.render(view, library: library) ?? ""
    }

    private enum TemplateName: String, CaseIterable {
        case layout, message
        case requestFields = "request-fields"
        case identifier, code, password
        case setPassword = "set-password"
        case error
        case loggedOut = "logged-out"
        case logoutConfirm = "logout-confirm"
    }

    /// What a template sees. Unused members stay nil and render as nothing.
    private struct PageView {
        var lang: String
        var title: String
        var clientLine: String?
        var heading: String
        var t: LoginTexts
        var message: MessageView?
        var requestID: String?
        var csrf: String?
        var identifier: String?
        var challengeID: String?
        var intro: String?
        var passwordURL: String?
        var identifierURL: String?
        var hidden: [HiddenField] = []
    }

    /// A hidden form field carried through a page.
    private struct HiddenField {
        var name: String
        var value: String
    }

    /// A message box: errors are `role="alert"`, information (`codeSent`) is `role="status"`.
    /// All stored, because the templates read values through `Mirror`.
    private struct MessageView {
        var text: String
        var isError: Bool
        var kind: String
        var role: String

        init(text: String, isError: Bool) {
            self.text = text
            self.isError = isError
            self.kind = isError ? "error" : "info"
            self.role = isError ? "alert" : "status"
        }
    }

    private static func view(of page: LoginPage, texts t: LoginTexts) -> (TemplateName, PageView) {
        func base(heading: String, clientName: String?, isStart: Bool = false) -> PageView {
            let client = clientName.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
            let clientLine = client.map { t.logInTo($0) }
            let title: String =
                switch (clientLine, isStart) {
                case (let line?, true): line
                case (let line?, false): "\(heading) – \(line)"
                case (nil, _): heading
                }
            return PageView(lang: t.lang, title: title, clientLine: clientLine, heading: heading, t: t)
        }
        func message(_ message: LoginMessage?, destination: String? = nil) -> MessageView? {
            message.map { MessageView(text: t.text(for: $0, destination: destination), isError: $0 != .codeSent) }
        }

        switch page {
        case .identifier(let form):
            var view = base(heading: t.logInHeading, clientName: form.clientName, isStart: true)
            view.requestID = form.requestID
            view.csrf = form.csrf
            view.identifier = form.loginHint
            view.message = message(form.message)
            view.passwordURL = "/login/password?request_id=\(queryValue(form.requestID))"
            return (.identifier, view)

        case .code(let form):
            var view = base(heading: t.codeHeading, clientName: form.clientName)
            view.requestID = form.requestID
            view.csrf = form.csrf
            view.challengeID = form.challengeID
            view.identifier = form.identifier
            let destination = form.maskedDestination.isEmpty ? nil : form.maskedDestination
            view.message = message(form.message, destination: destination)
            // The "code sent" box already names the destination; don't say it twice.
            view.intro = t.codeIntro(destination: form.message == .codeSent ? nil : destination)
            view.identifierURL = "/login?request_id=\(queryValue(form.requestID))"
            return (.code, view)

        case .password(let form):
            var view = base(heading: t.passwordHeading, clientName: form.clientName)
            view.requestID = form.requestID
            view.csrf = form.csrf
            view.identifier = form.identifier
            view.message = message(form.message)
            view.identifierURL = "/login?request_id=\(queryValue(form.requestID))"
            return (.password, view)

        case .setPassword(let form):
            var view = base(heading: t.setPasswordHeading, clientName: form.clientName)
            view.requestID = form.requestID
            view.csrf = form.csrf
            view.message = message(form.message)
            return (.setPassword, view)

        case .error(let model):
            var view = base(heading: t.errorHeading, clientName: nil)
            view.message = message(model.message)
            return (.error, view)

        case .loggedOut:
            return (.loggedOut, base(heading: t.loggedOutHeading, clientName: nil))

        case .confirmLogout(let form):
            var view = base(heading: t.logoutConfirmHeading, clientName: nil)
            view.csrf = form.csrf
            view.hidden = form.parameters.map { HiddenField(name: $0.0, value: $0.1) }
            return (.logoutConfirm, view)
        }
    }

    /// Percent-encodes a query value; the template then HTML-escapes the whole URL.
    private static func queryValue(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// RFC 3986 unreserved characters: ASCII letters and digits and `-._~`.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

/// A login page and the values it shows.
enum LoginPage: Sendable {
    /// Ask for an e-mail address or phone number (a one-time code is sent to it).
    /// Form: POST /login/start with request_id, csrf, identifier. Links to GET /login/password?request_id=….
    case identifier(IdentifierForm)
    /// Enter the 6-digit code. Form: POST /login/code with request_id, csrf, challenge_id, code; and a
    /// "send a new code" form: POST /login/start with request_id, csrf and the identifier (hidden).
    case code(CodeForm)
    /// Log in with identifier + password. Form: POST /login/password with request_id, csrf, identifier,
    /// password. Links back to the code login (GET /login?request_id=…).
    case password(PasswordForm)
    /// After a code login: optionally set a password. Form: POST /login/set-password with request_id,
    /// csrf, password, password_confirmation; the "skip" submit button sends `skip=1` in the same form.
    case setPassword(SetPasswordForm)
    /// An error that cannot be sent back to the client: a title and a message, no links to the client.
    case error(ErrorPageModel)
    /// After logout without a post-logout redirect.
    case loggedOut
    /// Logout without an `id_token_hint`: ask the customer first, so that another site cannot log
    /// them out by navigation alone. Form: POST /oauth/logout with csrf and the original parameters.
    case confirmLogout(LogoutConfirmation)
}

struct IdentifierForm: Sendable {
    var requestID: String
    var csrf: String
    var clientName: String
    /// Prefills the identifier field (the `login_hint`, or what the customer typed last time).
    var loginHint: String?
    var message: LoginMessage?
}

struct CodeForm: Sendable {
    var requestID: String
    var csrf: String
    var clientName: String
    var challengeID: String
    /// Where the code went, masked ("t***@example.com", "+358 40 *** **12").
    var maskedDestination: String
    /// The identifier as the customer typed it, sent again by "send a new code".
    var identifier: String
    var message: LoginMessage?
}

struct PasswordForm: Sendable {
    var requestID: String
    var csrf: String
    var clientName: String
    var identifier: String?
    var message: LoginMessage?
}

struct SetPasswordForm: Sendable {
    var requestID: String
    var csrf: String
    var clientName: String
    var message: LoginMessage?
}

struct LogoutConfirmation: Sendable {
    var csrf: String
    /// The logout request's parameters, carried to the confirming POST.
    var parameters: [(String, String)]
}

struct ErrorPageModel: Sendable {
    var message: LoginMessage
}

/// Every message a page can show, localized by the renderer.
enum LoginMessage: Sendable, Equatable {
    /// "Enter an e-mail address or a phone number."
    case invalidIdentifier
    case wrongCode(remaining: Int)
    /// Ask for a new code.
    case codeExpired
    /// Ask for a new code.
    case tooManyAttempts
    case rateLimited(retryAfterSeconds: Int)
    case wrongPassword
    case locked(retryAfterSeconds: Int)
    case passwordTooShort(minimum: Int)
    case passwordsDiffer
    /// The login took too long; start again from the channel.
    case loginExpired
    /// The form was tampered with or is stale (CSRF); start again.
    case invalidForm
    case unknownClient
    case invalidRedirectURI
    /// Informational: "We sent a code to …" (with the masked destination on the code page).
    case codeSent
    case serviceUnavailable
}

/// Why ``LoginPages`` could not start.
enum LoginPagesError: Error, CustomStringConvertible {
    /// The `Templates` folder is not in the module bundle.
    case templatesMissing
    /// A template the pages need is not in the folder.
    case templateMissing(String)

    var description: String {
        switch self {
        case .templatesMissing: "The login page templates are missing from the SolmuHTTP bundle."
        case .templateMissing(let name): "The login page template \(name).mustache is missing."
        }
    }
}
