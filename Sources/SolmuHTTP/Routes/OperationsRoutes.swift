import Foundation
import Hummingbird
import Prometheus
import HTTPTypes
import Logging
import CoreMetrics
import NIOCore
import NIOFoundationEssentialsCompat
import IdentityGraph
import Identifiers
import Tokens
import Channels

/// Health checks for the load balancer, Prometheus metrics, and the OpenAPI document.
struct OperationsRoutes: Sendable {
    let services: SolmuServices
    let metricsRegistry: PrometheusCollectorRegistry?

    func register(on router: Router<SolmuRequestContext>) {
        router.get("/health/live") { _, _ in
            try JSONCoding.response(["status": "ok"], headers: [.cacheControl: "no-store"])
        }
        router.get("/health/ready") { _, _ in
            do {
                try await services.store.ping()
                return try JSONCoding.response(["status": "ok"], headers: [.cacheControl: "no-store"])
            } catch {
                services.logger.error("readiness check failed", metadata: ["error": "\(error)"])
                return try JSONCoding.response(["status": "unavailable"], status: .serviceUnavailable, headers: [.cacheControl: "no-store"])
            }
        }
        let registry = metricsRegistry
        router.get("/metrics") { _, _ in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(16 * 1024)
            registry?.emit(into: &buffer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        let openAPI = OpenAPIDocument.bytes
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml", .cacheControl: "public, max-age=300"],
                     body: .init(byteBuffer: ByteBuffer(bytes: openAPI)))
        }
    }
}

/// The OpenAPI 3.1 document, shipped as a resource of this module (`docs/openapi.yaml` links to it).
enum OpenAPIDocument {
    static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let data = try? Data(contentsOf: url)
        else { return Array("openapi: 3.1.0\n".utf8) }
        return Array(data)
    }()
}
