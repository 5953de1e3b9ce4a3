public import Hummingbird
public import Prometheus
import Foundation
import HTTPTypes
import Logging
import CoreMetrics
import NIOCore
import NIOFoundationEssentialsCompat
import IdentityGraph
import Identifiers
import Tokens
import Channels
import DuplicateDetection

/// Builds the router of the whole HTTP surface.
public enum SolmuRouter {
    /// - Parameter metricsRegistry: the registry `/metrics` renders; `nil` serves an empty page.
    public static func build(services: SolmuServices, metricsRegistry: PrometheusCollectorRegistry? = nil) -> Router<SolmuRequestContext> {
        let router = Router(context: SolmuRequestContext.self)
        router.add(middleware: ErrorMiddleware(logger: services.logger))
        if metricsRegistry != nil {
            router.add(middleware: MetricsMiddleware())
        }
        OperationsRoutes(services: services, metricsRegistry: metricsRegistry).register(on: router)
        DiscoveryRoutes(services: services).register(on: router)
        TokenEndpoint(services: services).register(on: router)
        OpenIDRoutes(services: services).register(on: router)
        IdentityRoutes(services: services).register(on: router)
        AdminRoutes(services: services, finder: DuplicateFinder()).register(on: router)
        LogRoutes(services: services).register(on: router)
        return router
    }
}
