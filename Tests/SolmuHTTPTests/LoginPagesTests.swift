import Foundation
@testable import SolmuHTTP
import Testing

/// The server-rendered login pages: fields, labels, accessibility attributes, escaping and both languages.
@Suite("Login pages")
struct LoginPagesTests {
    let pages = try! LoginPages()

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var page: LoginPage
        /// Names of the visible fields the page's main form must have.
        var fields: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "identifier",
            page: .identifier(IdentifierForm(requestID: "req_1", csrf: "csrf_1", clientName: "Web shop", loginHint: "anna@example.com")),
            fields: ["identifier"]
        ),
        Case(
            name: "code",
            page: .code(CodeForm(
                requestID: "req_1", csrf: "csrf_1", clientName: "Web shop", challengeID: "ch_1",
                maskedDestination: "a***@example.com", identifier: "anna@example.com", message: .codeSent
            )),
            fields: ["code"]
        ),
        Case(
            name: "password",
            page: .password(PasswordForm(requestID: "req_1", csrf: "csrf_1", clientName: "Web shop", identifier: "anna@example.com")),
            fields: ["identifier", "password"]
        ),
        Case(
            name: "set password",
            page: .setPassword(SetPasswordForm(requestID: "req_1", csrf: "csrf_1", clientName: "Web shop", message: .passwordsDiffer)),
            fields: ["password", "password_confirmation"]
        ),
        Case(name: "error", page: .error(ErrorPageModel(message: .unknownClient)), fields: []),
        Case(name: "logged out", page: .loggedOut, fields: []),
    ]

    static let locales = ["en", "fi"]

    static let allMessages: [LoginMessage] = [
        .invalidIdentifier, .wrongCode(remaining: 3), .wrongCode(remaining: 0), .codeExpired, .tooManyAttempts,
        .rateLimited(retryAfterSeconds: 30), .rateLimited(retryAfterSeconds: 600), .rateLimited(retryAfterSeconds: 0),
        .wrongPassword, .locked(retryAfterSeconds: 900), .locked(retryAfterSeconds: 86_400), .passwordTooShort(minimum: 10),
        .passwordsDiffer, .loginExpired, .invalidForm, .unknownClient, .invalidRedirectURI, .codeSent, .serviceUnavailable,
    ]

    // MARK: Structure

    @Test("Every page is a complete HTML document in the right language, without scripts", arguments: cases, locales)
    func document(_ testCase: Case, locale: String) {
        let html = pages.render(testCase.page, locale: locale)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains(#"<html lang="\#(locale)">"#))
        #expect(html.contains("<title>"))
        #expect(html.contains("<h1>"))
        #expect(html.contains("</html>"))
        #expect(!html.lowercased().contains("<script"))
        #expect(html.firstMatch(of: #/\son[a-z]+=/#.ignoresCase()) == nil, "no inline event handlers")
        #expect(!html.contains("http://") && !html.contains("https://"), "no external resources")
        #expect(!html.contains("{{"), "no unrendered mustache")
    }

    @Test("Every form posts with hidden request_id and csrf; the required fields are there", arguments: cases, locales)
    func forms(_ testCase: Case, locale: String) throws {
        let html = pages.render(testCase.page, locale: locale)
        let forms = Self.forms(in: html)
        if testCase.fields.isEmpty {
            #expect(forms.isEmpty)
            return
        }
        #expect(!forms.isEmpty)
        for form in forms {
            let attributes = Self.attributes(of: try #require(Self.tags("form", in: form).first))
            #expect(attributes["method"] == "post")
            let inputs = Self.tags("input", in: form).map(Self.attributes(of:))
            let hidden = Dictionary(
                inputs.filter { $0["type"] == "hidden" }.map { ($0["name"] ?? "", $0["value"] ?? "") },
                uniquingKeysWith: { first, _ in first }
            )
            #expect(hidden["request_id"] == "req_1")
            #expect(hidden["csrf"] == "csrf_1")
        }
        let mainInputs = Self.tags("input", in: forms[0]).map(Self.attributes(of:))
        for field in testCase.fields {
            #expect(mainInputs.contains { $0["name"] == field && $0["type"] != "hidden" }, "field \(field)")
        }
    }

    @Test("Every visible input has a label, an autocomplete attribute and a matching id", arguments: cases, locales)
    func labels(_ testCase: Case, locale: String) {
        let html = pages.render(testCase.page, locale: locale)
        let labelTargets = Set(Self.tags("label", in: html).compactMap { Self.attributes(of: $0)["for"] })
        let visible = Self.tags("input", in: html).map(Self.attributes(of:)).filter { $0["type"] != "hidden" }
        for input in visible {
            let id = input["id"] ?? ""
            #expect(!id.isEmpty)
            #expect(labelTargets.contains(id), "input \(id) has a <label for>")
            #expect(input["autocomplete"] != nil, "input \(id) has autocomplete")
        }
        #expect(labelTargets.count == visible.count, "no label points at nothing")
    }

    @Test("The inputs carry the right autocomplete and keyboard hints")
    func autocomplete() {
        let identifier = inputs(in: pages.render(Self.cases[0].page, locale: "en"))
        #expect(identifier["identifier"]?["autocomplete"] == "username")

        let code = inputs(in: pages.render(Self.cases[1].page, locale: "en"))
        #expect(code["code"]?["autocomplete"] == "one-time-code")
        #expect(code["code"]?["inputmode"] == "numeric")

        let password = inputs(in: pages.render(Self.cases[2].page, locale: "en"))
        #expect(password["identifier"]?["autocomplete"] == "username")
        #expect(password["password"]?["autocomplete"] == "current-password")
        #expect(password["password"]?["type"] == "password")

        let setPassword = inputs(in: pages.render(Self.cases[3].page, locale: "en"))
        #expect(setPassword["password"]?["autocomplete"] == "new-password")
        #expect(setPassword["password_confirmation"]?["autocomplete"] == "new-password")
    }

    @Test("The identifier page posts to /login/start and links to the password page")
    func identifierPage() throws {
        let html = pages.render(Self.cases[0].page, locale: "en")
        let form = try #require(Self.forms(in: html).first)
        #expect(form.contains(#"action="/login/start""#))
        #expect(inputs(in: html)["identifier"]?["value"] == "anna@example.com")
        #expect(html.contains(#"href="/login/password?request_id=req_1""#))
        #expect(html.contains("<title>Log in to Web shop</title>"))
    }

    @Test("The code page posts the code and offers a new code for the same identifier")
    func codePage() throws {
        let html = pages.render(Self.cases[1].page, locale: "en")
        let forms = Self.forms(in: html)
        try #require(forms.count == 2)
        #expect(forms[0].contains(#"action="/login/code""#))
        #expect(forms[0].contains(#"name="challenge_id" value="ch_1""#))
        #expect(forms[1].contains(#"action="/login/start""#))
        #expect(forms[1].contains(#"type="hidden" name="identifier" value="anna@example.com""#))
        #expect(html.contains("We sent a code to a***@example.com."))
        #expect(html.contains(#"role="status""#))
        #expect(html.contains(#"href="/login?request_id=req_1""#))

        let fi = pages.render(Self.cases[1].page, locale: "fi")
        #expect(fi.contains("Lähetimme koodin osoitteeseen a***@example.com."))
        #expect(fi.contains("Syötä koodi"))
        #expect(fi.contains("Lähetä uusi koodi"))
    }

    @Test("The password page posts to /login/password and links back to the code login")
    func passwordPage() throws {
        let html = pages.render(Self.cases[2].page, locale: "en")
        #expect(try #require(Self.forms(in: html).first).contains(#"action="/login/password""#))
        #expect(html.contains(#"href="/login?request_id=req_1""#))
        #expect(inputs(in: html)["identifier"]?["value"] == "anna@example.com")
    }

    @Test("Skipping the password is a submit button in the same form that needs no validation")
    func setPasswordSkip() throws {
        let html = pages.render(Self.cases[3].page, locale: "fi")
        let form = try #require(Self.forms(in: html).first)
        #expect(form.contains(#"action="/login/set-password""#))
        let buttons = Self.tags("button", in: form).map(Self.attributes(of:))
        try #require(buttons.count == 2)
        #expect(buttons[0]["name"] == nil, "saving is the default button")
        #expect(buttons[1]["name"] == "skip")
        #expect(buttons[1]["value"] == "1")
        #expect(buttons[1]["formnovalidate"] != nil)
        #expect(html.contains("Ohita"))
    }

    @Test("The error and logged-out pages have no links")
    func noLinks() {
        for page in [LoginPage.error(ErrorPageModel(message: .invalidRedirectURI)), .loggedOut] {
            for locale in Self.locales {
                #expect(!pages.render(page, locale: locale).contains("<a "))
            }
        }
    }

    // MARK: Languages

    @Test("Finnish pages are in Finnish; unknown locales fall back to English")
    func languages() {
        let identifier = Self.cases[0].page
        let fi = pages.render(identifier, locale: "fi")
        #expect(fi.contains(#"<html lang="fi">"#))
        #expect(fi.contains("<title>Kirjaudu palveluun Web shop</title>"))
        #expect(fi.contains("Kirjaudu sisään"))
        #expect(fi.contains("Lähetä koodi"))
        #expect(pages.render(identifier, locale: "fi-FI").contains(#"<html lang="fi">"#))
        #expect(pages.render(identifier, locale: "de").contains(#"<html lang="en">"#))
        #expect(pages.render(identifier, locale: "").contains(#"<html lang="en">"#))
        #expect(pages.render(identifier, locale: "en").contains("Send code"))
    }

    @Test("Every message has a non-empty text in both languages", arguments: allMessages)
    func messageTexts(_ message: LoginMessage) {
        let english = LoginTexts.english.text(for: message, destination: "a***@example.com")
        let finnish = LoginTexts.finnish.text(for: message, destination: "a***@example.com")
        #expect(!english.isEmpty)
        #expect(!finnish.isEmpty)
        #expect(english != finnish)
    }

    @Test("Messages use the agreed wording")
    func wording() {
        #expect(LoginTexts.finnish.text(for: .wrongCode(remaining: 3)) == "Koodi on väärä. Yrityksiä jäljellä: 3")
        #expect(LoginTexts.english.text(for: .wrongCode(remaining: 3)) == "The code is wrong. Attempts left: 3")
        #expect(LoginTexts.english.text(for: .invalidIdentifier) == "Enter an e-mail address or a phone number.")
        #expect(LoginTexts.english.text(for: .rateLimited(retryAfterSeconds: 1)) == "Too many attempts. Try again in 1 second.")
        #expect(LoginTexts.english.text(for: .rateLimited(retryAfterSeconds: 61)) == "Too many attempts. Try again in 2 minutes.")
        #expect(LoginTexts.finnish.text(for: .rateLimited(retryAfterSeconds: 300))
            == "Liian monta yritystä. Yritä uudelleen 5 minuutin kuluttua.")
        #expect(LoginTexts.finnish.text(for: .codeSent, destination: "+358 40 *** **12")
            == "Lähetimme koodin numeroon +358 40 *** **12.")
    }

    @Test("A message is shown in an alert box that the input refers to", arguments: allMessages)
    func messageBox(_ message: LoginMessage) {
        for locale in Self.locales {
            let html = pages.render(.identifier(IdentifierForm(
                requestID: "req_1", csrf: "csrf_1", clientName: "Web shop", loginHint: nil, message: message
            )), locale: locale)
            let box = Self.tags("div", in: html).map(Self.attributes(of:)).first { $0["id"] == "message" }
            #expect(box?["role"] == (message == .codeSent ? "status" : "alert"))
            let text = (locale == "fi" ? LoginTexts.finnish : LoginTexts.english).text(for: message)
            #expect(html.contains(#"role="\#(box?["role"] ?? "")">\#(text)</div>"#))
            let input = inputs(in: html)["identifier"]
            #expect(input?["aria-describedby"] == "message")
            #expect((input?["aria-invalid"] == "true") == (message != .codeSent))
        }
        // The error page shows it too, with no form.
        let error = pages.render(.error(ErrorPageModel(message: message)), locale: "fi")
        #expect(error.contains(LoginTexts.finnish.text(for: message)))
    }

    @Test("Without a message there is no box and no aria-describedby")
    func noMessage() throws {
        let page = pages.render(Self.cases[0].page, locale: "en")
        let html = String(page[try #require(page.range(of: "<body>")).lowerBound...])
        #expect(!html.contains(#"id="message""#))
        #expect(!html.contains("aria-describedby"))
        #expect(!html.contains("aria-invalid"))
    }

    // MARK: Escaping

    static let hostile = #"<script>alert(1)</script>" onfocus="x"#

    @Test("Hostile values are escaped in text and attribute context", arguments: locales)
    func escaping(locale: String) {
        let hostilePages: [LoginPage] = [
            .identifier(IdentifierForm(requestID: Self.hostile, csrf: Self.hostile, clientName: Self.hostile, loginHint: Self.hostile)),
            .code(CodeForm(
                requestID: Self.hostile, csrf: Self.hostile, clientName: Self.hostile, challengeID: Self.hostile,
                maskedDestination: Self.hostile, identifier: Self.hostile, message: .codeSent
            )),
            .code(CodeForm(
                requestID: "r", csrf: "c", clientName: Self.hostile, challengeID: "ch",
                maskedDestination: Self.hostile, identifier: Self.hostile, message: nil
            )),
            .password(PasswordForm(requestID: Self.hostile, csrf: Self.hostile, clientName: Self.hostile, identifier: Self.hostile)),
            .setPassword(SetPasswordForm(requestID: Self.hostile, csrf: Self.hostile, clientName: Self.hostile)),
        ]
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onfocus=&quot;x"
        for page in hostilePages {
            let html = pages.render(page, locale: locale)
            #expect(!html.contains("<script"))
            #expect(!html.contains(#"" onfocus="#))
            #expect(html.contains(escaped))
            // Attribute values survive intact once unescaped.
            for input in Self.tags("input", in: html).map(Self.attributes(of:)) where input["type"] == "hidden" {
                if ["request_id", "csrf", "identifier", "challenge_id"].contains(input["name"] ?? "") && input["value"] != "r"
                    && input["value"] != "c" && input["value"] != "ch"
                {
                    #expect(Self.unescape(input["value"] ?? "") == Self.hostile)
                }
            }
            // The client name in the title is escaped as well.
            #expect(html.contains("<title>") && !html.contains("<title><script"))
        }
        let identifier = pages.render(hostilePages[0], locale: locale)
        #expect(identifier.contains(#"value="\#(escaped)""#))
        #expect(identifier.contains("/login/password?request_id=%3Cscript%3Ealert%281%29%3C%2Fscript%3E%22%20onfocus%3D%22x"))
    }

    @Test("No template uses an unescaped (triple or ampersand) mustache")
    func templatesEscapeEverything() throws {
        let directory = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/SolmuHTTP/Templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mustache") }
        #expect(names.count >= 7)
        for name in names {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            #expect(!text.contains("{{{"), "\(name)")
            #expect(!text.contains("{{&"), "\(name)")
            #expect(!text.lowercased().contains("<script"), "\(name)")
        }
    }

    // MARK: Helpers

    private func inputs(in html: String) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for input in Self.tags("input", in: html).map(Self.attributes(of:)) where input["type"] != "hidden" {
            if let name = input["name"] { result[name] = input }
        }
        return result
    }

    /// The text of every `<form …>…</form>`.
    static func forms(in html: String) -> [String] {
        html.matches(of: #/<form\b.*?</form>/#.dotMatchesNewlines()).map { String($0.output) }
    }

    /// The opening tags named `name`.
    static func tags(_ name: String, in html: String) -> [String] {
        html.matches(of: #/<([a-z]+)\b[^>]*>/#).filter { $0.output.1 == name }.map { String($0.output.0) }
    }

    /// The attributes of an opening tag; attributes without a value map to "".
    static func attributes(of tag: String) -> [String: String] {
        var attributes: [String: String] = [:]
        let body = tag.drop { $0 != " " && $0 != ">" }
        for match in body.matches(of: #/([a-zA-Z_:-]+)(?:="([^"]*)")?/#) {
            attributes[String(match.output.1)] = match.output.2.map(String.init) ?? ""
        }
        return attributes
    }

    static func unescape(_ value: String) -> String {
        value.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    // MARK: Content-Security-Policy

    @Test("A redirect URI becomes a CSP source only when it can be expressed safely")
    func formActionSources() {
        #expect(BrowserSecurity.formActionSource("https://Shop.Example.com/oauth/callback?x=1") == "https://shop.example.com")
        #expect(BrowserSecurity.formActionSource("http://127.0.0.1:8080/cb") == "http://127.0.0.1:8080")
        #expect(BrowserSecurity.formActionSource("http://[::1]:8080/cb") == "http://[::1]:8080")
        #expect(BrowserSecurity.formActionSource("com.example.shop:/oauth/callback") == "com.example.shop:")
        for unsafe in ["javascript:alert(1)", "data:text/html,x", "https://a.example;script-src *", "https://a b/", "no scheme", ":/x",
                       "1http://x/", "https:///path", "ht'tp://x/"] {
            #expect(BrowserSecurity.formActionSource(unsafe) == nil, "\(unsafe)")
        }
    }
}
