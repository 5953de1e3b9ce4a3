import Foundation
import Identifiers
import IdentityGraph
import Hummingbird
import HTTPTypes
import Logging
import CoreMetrics
import NIOCore
import NIOFoundationEssentialsCompat
import Tokens
import Channels

/// An identifier as a client sends it, with an optional assurance claim.
struct IdentifierInput: Decodable, Sendable {
    var kind: String
    var namespace: String?
    var value: String
    var assurance: Assurance?

    var raw: RawIdentifier { RawIdentifier(kind: kind, namespace: namespace, value: value) }
}

/// `POST /v1/customers`.
struct CreateCustomerRequest: Decodable, Sendable {
    var identifiers: [IdentifierInput]
    var profile: Profile?
}

/// `POST /v1/links`.
struct LinkRequest: Decodable, Sendable {
    var customerID: CustomerID
    var identifier: IdentifierInput
    var assurance: Assurance?
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case customerID = "customer_id"
        case identifier, assurance, reason
    }
}

/// `DELETE /v1/links`.
struct UnlinkRequest: Decodable, Sendable {
    var customerID: CustomerID?
    var identifier: IdentifierInput
    var reason: String

    enum CodingKeys: String, CodingKey {
        case customerID = "customer_id"
        case identifier, reason
    }
}

/// `POST /v1/resolve`.
struct ResolveBatchRequest: Decodable, Sendable {
    struct Item: Decodable, Sendable {
        var kind: String
        var namespace: String?
        var value: String

        var raw: RawIdentifier { RawIdentifier(kind: kind, namespace: namespace, value: value) }
    }

    var identifiers: [Item]
}

/// A link as the API shows it.
struct LinkView: Encodable, Sendable {
    var kind: IdentifierKind
    var namespace: String?
    var value: String
    var assurance: Assurance
    var channel: String
    var linkedAt: Date

    init(_ link: Link) {
        kind = link.identifier.kind
        namespace = link.identifier.namespace
        value = link.identifier.value
        assurance = link.provenance.assurance
        channel = link.provenance.channel
        linkedAt = link.provenance.linkedAt
    }

    enum CodingKeys: String, CodingKey {
        case kind, namespace, value, assurance, channel
        case linkedAt = "linked_at"
    }
}

/// A customer as the API shows it: only the links the calling channel may see.
struct CustomerView: Encodable, Sendable {
    var id: CustomerID
    var createdAt: Date
    var profile: Profile
    var identifiers: [LinkView]

    enum CodingKeys: String, CodingKey {
        case id
        case createdAt = "created_at"
        case profile, identifiers
    }
}

/// `GET /v1/resolve`.
struct ResolveResponse: Encodable, Sendable {
    var customerID: CustomerID
    var identifiers: [LinkView]

    enum CodingKeys: String, CodingKey {
        case customerID = "customer_id"
        case identifiers
    }
}

/// One answer of `POST /v1/resolve`, in request order.
struct ResolveBatchItem: Encodable, Sendable {
    var index: Int
    /// `null` when the identifier is valid but unknown.
    var customerID: CustomerID?
    var identifiers: [LinkView]?
    var error: ItemError?

    struct ItemError: Encodable, Sendable {
        var code: String
        var detail: String
    }

    enum CodingKeys: String, CodingKey {
        case index
        case customerID = "customer_id"
        case identifiers, error
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        if let error {
            try container.encode(error, forKey: .error)
        } else {
            try container.encode(customerID, forKey: .customerID)
            try container.encodeIfPresent(identifiers, forKey: .identifiers)
        }
    }
}

/// `POST /v1/links` and `DELETE /v1/links`.
struct LinkResponse: Encodable, Sendable {
    var customerID: CustomerID
    var identifier: LinkView
    /// `linked`, `assurance_raised`, `unchanged` or `unlinked`.
    var result: String

    enum CodingKeys: String, CodingKey {
        case customerID = "customer_id"
        case identifier, result
    }
}

/// `GET /v1/link-log`.
struct LinkLogPage<Entry: Encodable & Sendable>: Encodable, Sendable {
    var entries: [Entry]
    /// Pass as `after` for the next page; `null` when the page was not full, so nothing follows.
    var nextAfter: Int64?

    enum CodingKeys: String, CodingKey {
        case entries
        case nextAfter = "next_after"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entries, forKey: .entries)
        try container.encode(nextAfter, forKey: .nextAfter)
    }
}

/// `POST /log/search`: every filter given must match. In a body, not a query string, so that an
/// identifier's value never lands in an access log.
struct LogSearchRequest: Decodable, Sendable {
    var customerID: String?
    var identifier: IdentifierInput?
    var actor: String?
    var action: String?
    var since: String?
    var until: String?
    var after: Int64?
    var limit: Int?

    enum CodingKeys: String, CodingKey {
        case customerID = "customer_id"
        case identifier, actor, action, since, until, after, limit
    }
}

extension LinkOutcome {
    /// The `result` member of a link response.
    var result: String {
        switch self {
        case .linked: "linked"
        case .assuranceRaised: "assurance_raised"
        case .unchanged: "unchanged"
        }
    }

    /// `201` for a new link, `200` otherwise.
    var status: HTTPResponse.Status {
        if case .linked = self { return .created }
        return .ok
    }
}
