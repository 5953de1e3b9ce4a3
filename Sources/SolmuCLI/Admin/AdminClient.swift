import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Talks to a running Solmu's admin API as the `admin-cli` channel: one client-credentials token
/// per command, JSON in and out, RFC 9457 problems turned into `AdminError`s.
struct AdminClient: Sendable {
    let settings: AdminSettings
    let token: String

    static let timeout: TimeAmount = .seconds(120)
    static let maxBody = 256 << 20

    /// Gets an access token with `scope` (client_secret_basic, RFC 6749 §2.3.1).
    static func connect(_ settings: AdminSettings, scope: String = "admin") async throws -> AdminClient {
        var request = HTTPClientRequest(url: settings.server + "/oauth/token")
        request.method = .POST
        let credentials = "\(formEncode(settings.clientID)):\(formEncode(settings.clientSecret))"
        request.headers.add(name: "Authorization", value: "Basic " + Data(credentials.utf8).base64EncodedString())
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "grant_type=client_credentials&scope=\(formEncode(scope))"))
        let (status, body) = try await send(request)
        guard status == 200 else {
            let error = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
            let detail = error?["error_description"] as? String ?? error?["error"] as? String ?? "status \(status)"
            throw AdminError.failure("the server refused the credentials: \(detail)")
        }
        guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let token = json["access_token"] as? String else {
            throw AdminError.failure("the token endpoint answered without an access token")
        }
        return AdminClient(settings: settings, token: token)
    }

    /// Calls the admin API; returns the body of a 2xx answer.
    /// - Throws: `AdminError` with the problem's detail and the matching exit code.
    func call(_ method: HTTPMethod, _ path: String, body: [String: Any]? = nil) async throws -> Data {
        var request = HTTPClientRequest(url: settings.server + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])))
        }
        let (status, data) = try await Self.send(request)
        guard (200..<300).contains(status) else {
            throw Self.problem(status: status, body: data)
        }
        return data
    }

    /// A text answer (the checkpoint).
    func text(_ path: String) async throws -> String {
        String(decoding: try await call(.GET, path), as: UTF8.self)
    }

    /// Like `call`, decoding a JSON object.
    func object(_ method: HTTPMethod, _ path: String, body: [String: Any]? = nil) async throws -> (data: Data, json: [String: Any]) {
        let data = try await call(method, path, body: body)
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw AdminError.failure("the server answered with something other than a JSON object")
        }
        return (data, json)
    }

    private static func send(_ request: HTTPClientRequest) async throws -> (Int, Data) {
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: maxBody)
            return (Int(response.status.code), Data(buffer: body))
        } catch let error as AdminError {
            throw error
        } catch {
            throw AdminError.failure("cannot reach the server at \(request.url): \(error)")
        }
    }

    private static func problem(status: Int, body: Data) -> AdminError {
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        var message = json?["detail"] as? String ?? json?["title"] as? String ?? "the server answered with status \(status)"
        if let pointer = json?["pointer"] as? String { message += " (at \(pointer))" }
        var error = AdminError(description: message, exitCode: AdminError.exitCode(forStatus: status))
        error.problemType = (json?["type"] as? String).map { $0.split(separator: ":").last.map(String.init) ?? $0 }
        for (key, value) in json ?? [:] {
            if let text = value as? String { error.problemDetails[key] = text }
        }
        return error
    }

    /// `application/x-www-form-urlencoded` for a client id or secret.
    private static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
