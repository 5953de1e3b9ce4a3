public import Metrics
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

/// Solmu's own counters, next to Hummingbird's request metrics. Labels never carry identifiers.
public struct SolmuMetrics: Sendable {
    public let tokensIssued = Counter(label: "solmu_tokens_issued_total")
    public let customersCreated = Counter(label: "solmu_customers_created_total")
    public let linksCreated = Counter(label: "solmu_links_created_total")
    public let linkConflicts = Counter(label: "solmu_link_conflicts_total")
    public let unlinks = Counter(label: "solmu_unlinks_total")
    public let resolutions = Counter(label: "solmu_resolutions_total")

    public init() {}
}
