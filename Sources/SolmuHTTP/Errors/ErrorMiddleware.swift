import Hummingbird
import Logging
import Foundation
import HTTPTypes
import CoreMetrics
import NIOCore
import NIOFoundationEssentialsCompat
import IdentityGraph
import Identifiers
import Tokens
import Channels

/// The last line of defence: Hummingbird's own errors (404, 405, 413) become problem+json, and an
/// unexpected error becomes a bare 500 whose detail goes only to the log.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = SolmuRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as Problem {
            throw error
        } catch let error as OAuthError {
            throw error
        } catch let error as HTTPError {
            switch error.status {
            case .notFound:
                throw Problem.notFound("no route \(request.method.rawValue) \(request.uri.path)")
            case .contentTooLarge:
                throw Problem(.contentTooLarge, "payload-too-large", title: "Payload too large", detail: "the body is too large")
            default:
                throw Problem(error.status, "http-error", title: error.status.reasonPhrase, detail: error.status.reasonPhrase)
            }
        } catch {
            logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            throw Problem.internalError
        }
    }
}
