import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A minimal browser over a test client: it keeps cookies, submits forms with their hidden
/// fields, and reports redirects instead of following ones that leave the server.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    @discardableResult
    func get(_ uri: String) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: cookieHeader())
        remember(response)
        return response
    }

    /// POSTs `fields` as a form.
    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)]) async throws -> TestResponse {
        var headers = cookieHeader()
        headers[.contentType] = "application/x-www-form-urlencoded"
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: Self.form(fields)))
        remember(response)
        return response
    }

    /// Submits the page's form whose action is `action`, with its hidden fields plus `fields`.
    @discardableResult
    func submit(_ page: TestResponse, action: String, _ fields: [(String, String)]) async throws -> TestResponse {
        let html = String(buffer: page.body)
        let hidden = Self.hiddenFields(in: html, action: action)
        #expect(!hidden.isEmpty, "the page has a form posting to \(action)")
        let names = Set(fields.map(\.0))
        return try await post(action, hidden.filter { !names.contains($0.0) } + fields)
    }

    func clearCookie(_ name: String) { cookies[name] = nil }

    static func form(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    }

    /// The hidden inputs of the form posting to `action`.
    static func hiddenFields(in html: String, action: String) -> [(String, String)] {
        guard let formStart = html.range(of: "action=\"\(action)\"") else { return [] }
        let rest = html[formStart.upperBound...]
        let form = rest[..<(rest.range(of: "</form>")?.lowerBound ?? rest.endIndex)]
        var fields: [(String, String)] = []
        var remaining = form[...]
        while let input = remaining.range(of: "<input") {
            let tagEnd = remaining[input.upperBound...].firstIndex(of: ">") ?? remaining.endIndex
            let tag = String(remaining[input.upperBound..<tagEnd])
            if tag.contains("type=\"hidden\""), let name = attribute("name", in: tag), let value = attribute("value", in: tag) {
                fields.append((name, value))
            }
            remaining = remaining[tagEnd...]
        }
        return fields
    }

    static func attribute(_ name: String, in tag: String) -> String? {
        guard let start = tag.range(of: " \(name)=\"") else { return nil }
        let value = tag[start.upperBound...].prefix { $0 != "\"" }
        return String(value).replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
    }

    private func cookieHeader() -> HTTPFields {
        guard !cookies.isEmpty else { return [:] }
        return [.cookie: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
    }

    private func remember(_ response: TestResponse) {
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";").first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let name = String(parts[0]).trimmingCharacters(in: .whitespaces)
            if header.contains("Max-Age=0") || parts[1].isEmpty { cookies[name] = nil } else { cookies[name] = String(parts[1]) }
        }
    }
}

/// Query parameters of a redirect location.
func queryItems(_ location: String) -> [String: String] {
    guard let components = URLComponents(string: location) else { return [:] }
    var items: [String: String] = [:]
    for item in components.queryItems ?? [] { items[item.name] = item.value ?? "" }
    return items
}
