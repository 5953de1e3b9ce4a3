import Foundation
import Hummingbird
import HTTPTypes
import Logging
import CoreMetrics
import NIOCore
import NIOFoundationEssentialsCompat
import IdentityGraph
import Identifiers
import Tokens
import Channels

extension Request {
    /// Decodes a JSON body, answering every way it can be wrong with a precise problem:
    /// 415 for another media type, 413 past the size limit, 400 naming the field for bad JSON.
    mutating func decodeJSON<T: Decodable>(_ type: T.Type, context: SolmuRequestContext) async throws -> T {
        let mediaType = headers[.contentType].flatMap(MediaType.init(from:))
        guard let mediaType, mediaType.type == .application, mediaType.subType == "json" || mediaType.subType.hasSuffix("+json") else {
            throw Problem(.unsupportedMediaType, "unsupported-media-type", title: "Unsupported media type",
                          detail: "the body must be application/json")
        }
        let body: ByteBuffer
        do {
            body = try await collectBody(upTo: context.maxUploadSize)
        } catch {
            throw Problem(.contentTooLarge, "payload-too-large", title: "Payload too large",
                          detail: "the body is larger than \(context.maxUploadSize) bytes")
        }
        do {
            return try JSONCoding.decoder.decode(T.self, from: Data(buffer: body))
        } catch let error as DecodingError {
            throw Self.problem(for: error)
        }
    }

    /// A problem naming the JSON pointer of the offending member, without echoing any value.
    static func problem(for error: DecodingError) -> Problem {
        func pointer(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "" : "/" + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/")
        }
        switch error {
        case let .keyNotFound(key, context):
            let path = pointer(context.codingPath + [key])
            return .badRequest("the member \(path) is required", pointer: path)
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            let path = pointer(context.codingPath)
            return .badRequest("the member \(path.isEmpty ? "at the top level" : path) must be \(describe(type))", pointer: path)
        case let .dataCorrupted(context):
            let path = pointer(context.codingPath)
            if context.codingPath.isEmpty, context.underlyingError != nil {
                return .badRequest("the body is not valid JSON")
            }
            return .badRequest("the member \(path.isEmpty ? "at the top level" : path) is not valid: \(context.debugDescription)", pointer: path)
        @unknown default:
            return .badRequest("the body could not be decoded")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "a boolean"
        default: String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
