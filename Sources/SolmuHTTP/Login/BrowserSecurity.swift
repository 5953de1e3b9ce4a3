import Channels
import Crypto
import Tokens
import Foundation
import Hummingbird
import HTTPTypes

/// Cookies, CSRF tokens and security headers of the pages a browser sees.
struct BrowserSecurity: Sendable {
    static let sessionCookie = "solmu_session"
    static let csrfCookie = "solmu_csrf"

    /// HMAC key of CSRF tokens.
    let key: SymmetricKey

    /// The CSRF token for a form of `pendingID`, bound to the browser's CSRF cookie
    /// (signed double-submit: a page on another site can neither read the cookie nor forge the MAC).
    func csrfToken(cookie: String, pendingID: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data((cookie + "|" + pendingID).utf8), using: key)
        return Base64URL.encode(Data(mac))
    }

    func checkCSRF(token: String?, cookie: String?, pendingID: String) -> Bool {
        guard let token, let cookie, !cookie.isEmpty else { return false }
        return ConstantTime.equals(Array(csrfToken(cookie: cookie, pendingID: pendingID).utf8), Array(token.utf8))
    }

    /// `Set-Cookie` for a cookie the browser sends back on top-level navigations only.
    static func setCookie(_ name: String, _ value: String, maxAge: Int? = nil) -> String {
        var cookie = "\(name)=\(value); Path=/; Secure; HttpOnly; SameSite=Lax"
        if let maxAge { cookie += "; Max-Age=\(maxAge)" }
        return cookie
    }

    static func clearCookie(_ name: String) -> String {
        "\(name)=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0"
    }

    /// An HTML page with headers that keep it out of frames, caches and other origins' scripts.
    ///
    /// - Parameter formTarget: where the page's forms end up when they succeed: the client's
    ///   redirect URI (or post-logout redirect URI), which `form-action` must allow too.
    static func page(_ html: String, status: HTTPResponse.Status = .ok, cookies: [String] = [], formTarget: String? = nil) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-store",
            .contentSecurityPolicy: contentSecurityPolicy(formTarget: formTarget),
            HTTPField.Name("X-Frame-Options")!: "DENY",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The pages' `Content-Security-Policy`. Browsers check `form-action` on every redirect that
    /// follows a form submission (CSP Level 3, §6.4.2), and a successful login POST answers with a
    /// 303 to the client: with `form-action 'self'` alone Chromium blocks that redirect and the
    /// customer never reaches the client. So the client's redirect target is allowed too.
    static func contentSecurityPolicy(formTarget: String?) -> String {
        let formAction = (["'self'"] + [formTarget.flatMap(formActionSource)].compactMap { $0 }).joined(separator: " ")
        return "default-src 'none'; style-src 'unsafe-inline'; form-action \(formAction); frame-ancestors 'none'; base-uri 'none'"
    }

    /// The CSP source expression that allows a redirect to `uri`: its origin for `http` and
    /// `https` (the port included, so a loopback redirect allows exactly its own port), its scheme
    /// for a private-use scheme (RFC 8252 §7.1, `com.example.app:`); `nil` when the URI has no
    /// safe expression (the browser then refuses the redirect, which is safe).
    static func formActionSource(_ uri: String) -> String? {
        guard let colon = uri.firstIndex(of: ":") else { return nil }
        let scheme = uri[..<colon].lowercased()
        guard let first = scheme.first, first.isASCII, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return nil }
        // Schemes that would run or embed content are never a redirect target worth allowing.
        guard !["javascript", "data", "blob", "filesystem", "about", "vbscript"].contains(scheme) else { return nil }
        guard scheme == "http" || scheme == "https" else { return scheme + ":" }
        guard let components = URLComponents(string: uri), var host = components.host?.lowercased(), !host.isEmpty else { return nil }
        if host.contains(":") {
            host = host.hasPrefix("[") ? host : "[" + host + "]"
            guard host.dropFirst().dropLast().allSatisfy({ $0.isASCII && ($0.isHexDigit || $0 == ":" || $0 == ".") }) else { return nil }
        } else {
            guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else { return nil }
        }
        return components.port.map { "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
    }

    /// A 303 to `location` (after a POST the browser must GET the next page).
    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store", HTTPField.Name("Referrer-Policy")!: "no-referrer"]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }
}

extension Request {
    /// The value of a cookie, parsed from every `Cookie` header.
    func cookie(_ name: String) -> String? {
        for header in headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    /// The form body of a POST, or `nil` when it is not one (or is over 16 KiB).
    mutating func formBody() async -> FormParameters? {
        guard let type = headers[.contentType], let mediaType = MediaType(from: type), mediaType.isType(.applicationUrlEncoded),
              let body = try? await collectBody(upTo: 16 * 1024)
        else { return nil }
        return try? FormParameters(String(buffer: body))
    }
}
