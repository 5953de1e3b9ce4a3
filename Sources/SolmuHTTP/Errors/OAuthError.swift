public import Hummingbird
import Foundation
public import HTTPTypes
import Logging
import CoreMetrics
import NIOCore
import NIOFoundationEssentialsCompat
import IdentityGraph
import Identifiers
import Tokens
import Channels

/// An OAuth 2.0 error response (RFC 6749 §5.2): `{"error": …, "error_description": …}`.
public struct OAuthError: Error, HTTPResponseError, Sendable, Equatable {
    public var status: HTTPResponse.Status
    /// The registered error code, e.g. `invalid_client`.
    public var code: String
    /// Human-readable; never contains secrets or tokens.
    public var description: String
    public var headers: HTTPFields

    public init(_ code: String, _ description: String, status: HTTPResponse.Status = .badRequest, headers: HTTPFields = [:]) {
        self.code = code
        self.description = description
        self.status = status
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Pragma")!] = "no-cache"
        let body = try JSONCoding.encoder.encode(["error": code, "error_description": description])
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func invalidRequest(_ description: String) -> OAuthError { OAuthError("invalid_request", description) }
    static func invalidScope(_ description: String) -> OAuthError { OAuthError("invalid_scope", description) }
    static func unauthorizedClient(_ description: String) -> OAuthError { OAuthError("unauthorized_client", description) }
    static func unsupportedGrantType(_ description: String) -> OAuthError { OAuthError("unsupported_grant_type", description) }

    /// RFC 6749 §5.2: 401, and a `WWW-Authenticate` challenge when the client tried HTTP Basic.
    static func invalidClient(usedBasic: Bool) -> OAuthError {
        OAuthError(
            "invalid_client", "client authentication failed", status: .unauthorized,
            headers: usedBasic ? [.wwwAuthenticate: "Basic realm=\"solmu\", charset=\"UTF-8\""] : [:]
        )
    }
}
