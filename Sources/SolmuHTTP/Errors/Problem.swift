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

/// An RFC 9457 problem detail: every error of the Solmu API has this shape, served as
/// `application/problem+json`.
///
/// `detail` is written for the developer of the calling channel. It never contains identifier
/// values, secrets or tokens.
public struct Problem: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    /// A short slug; the `type` URI is `urn:solmu:problem:<slug>`.
    public var slug: String
    public var title: String
    public var detail: String
    /// Extension members (RFC 9457 §3.2), such as `customers` on a conflict.
    public var extensions: [String: ProblemValue]
    /// Extra response headers, such as `WWW-Authenticate`.
    public var headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status, _ slug: String, title: String, detail: String,
        extensions: [String: ProblemValue] = [:], headers: HTTPFields = [:]
    ) {
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.extensions = extensions
        self.headers = headers
    }

    public var type: String { "urn:solmu:problem:\(slug)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var object: [String: ProblemValue] = extensions
        object["type"] = .string(type)
        object["title"] = .string(title)
        object["status"] = .int(Int(status.code))
        object["detail"] = .string(detail)
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        headers[.cacheControl] = "no-store"
        let body = try JSONCoding.encoder.encode(object)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// A JSON value inside a problem's extension members.
public enum ProblemValue: Sendable, Encodable, Equatable {
    case string(String)
    case int(Int)
    case strings([String])
    case object([String: ProblemValue])
    case array([ProblemValue])

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .string(value): try container.encode(value)
        case let .int(value): try container.encode(value)
        case let .strings(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        case let .array(value): try container.encode(value)
        }
    }
}

extension Problem {
    static func badRequest(_ detail: String, pointer: String? = nil) -> Problem {
        Problem(.badRequest, "invalid-request", title: "The request is not valid", detail: detail,
                extensions: pointer.map { ["pointer": .string($0)] } ?? [:])
    }

    static func notFound(_ detail: String) -> Problem {
        Problem(.notFound, "not-found", title: "Not found", detail: detail)
    }

    static func forbidden(_ detail: String) -> Problem {
        Problem(.forbidden, "forbidden", title: "The channel may not do this", detail: detail)
    }

    static let internalError = Problem(
        .internalServerError, "internal", title: "Internal error",
        detail: "Solmu could not complete the request; the operator's log has the details"
    )
}
