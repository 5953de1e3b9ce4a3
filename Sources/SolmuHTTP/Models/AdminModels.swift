import CustomerLogin
import Foundation
import Identifiers
import IdentityGraph

/// Fields every mutating admin call carries: who asks, and why. Both go into the link log.
protocol AdminChange {
    var operatorName: String? { get }
    var reason: String? { get }
}

/// `POST /admin/v1/customers/lookup`.
struct AdminLookupRequest: Decodable, Sendable {
    var identifier: IdentifierInput
}

/// `POST` and `DELETE /admin/v1/customers/{id}/links`.
struct AdminLinkRequest: Decodable, Sendable, AdminChange {
    var identifier: IdentifierInput
    var assurance: Assurance?
    var operatorName: String?
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case identifier, assurance
        case operatorName = "operator"
        case reason
    }
}

/// `POST /admin/v1/moves`.
struct AdminMoveRequest: Decodable, Sendable, AdminChange {
    var identifier: IdentifierInput
    var to: CustomerID
    var assurance: Assurance?
    var operatorName: String?
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case identifier, to, assurance
        case operatorName = "operator"
        case reason
    }
}

/// `POST /admin/v1/merges`.
struct AdminMergeRequest: Decodable, Sendable, AdminChange {
    var survivor: CustomerID
    var duplicate: CustomerID
    var dryRun: Bool?
    var operatorName: String?
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case survivor, duplicate
        case dryRun = "dry_run"
        case operatorName = "operator"
        case reason
    }
}

/// `POST /admin/v1/merges/{id}/undo`.
struct AdminUnmergeRequest: Decodable, Sendable, AdminChange {
    var move: [IdentifierInput]?
    var operatorName: String?
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case move
        case operatorName = "operator"
        case reason
    }
}

/// `POST /admin/v1/customers/{id}/erase`.
struct AdminEraseRequest: Decodable, Sendable, AdminChange {
    var operatorName: String?
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case operatorName = "operator"
        case reason
    }
}

/// `POST /admin/v1/duplicate-scans`.
struct DuplicateScanRequest: Decodable, Sendable {
    var minScore: Double?
    var limit: Int?

    enum CodingKeys: String, CodingKey {
        case minScore = "min_score"
        case limit
    }
}

/// An identifier with its value, as the admin API shows it.
struct IdentifierView: Encodable, Sendable {
    var kind: IdentifierKind
    var namespace: String?
    var value: String

    init(_ identifier: Identifier) {
        kind = identifier.kind
        namespace = identifier.namespace
        value = identifier.value
    }
}

/// A customer id as an admin sees it: live, merged (with the survivor) or erased.
struct AdminCustomerView: Encodable, Sendable {
    var id: CustomerID
    var status: String
    var mergedInto: CustomerID?
    var mergeID: MergeID?
    var erasedAt: Date?
    var createdAt: Date?
    var profile: Profile?
    var identifiers: [LinkView]
    var merges: [MergeSummaryView]

    enum CodingKeys: String, CodingKey {
        case id, status
        case mergedInto = "merged_into"
        case mergeID = "merge_id"
        case erasedAt = "erased_at"
        case createdAt = "created_at"
        case profile, identifiers, merges
    }
}

/// One line of a customer's merge history.
struct MergeSummaryView: Encodable, Sendable {
    var id: MergeID
    var role: String
    var survivor: CustomerID
    var duplicate: CustomerID
    var state: MergeState
    var time: Date
    var operatorName: String?
    var reason: String?

    init(_ merge: MergeRecord, for customer: CustomerID) {
        id = merge.id
        role = merge.survivor == customer ? "survivor" : "duplicate"
        survivor = merge.survivor
        duplicate = merge.duplicate
        state = merge.state
        time = merge.time
        operatorName = merge.operatorName
        reason = merge.reason
    }

    enum CodingKeys: String, CodingKey {
        case id, role, survivor, duplicate, state, time
        case operatorName = "operator"
        case reason
    }
}

/// A merge in full: who, why, and what it moved.
struct MergeView: Encodable, Sendable {
    var id: MergeID
    var survivor: CustomerID
    var duplicate: CustomerID
    var state: MergeState
    var time: Date
    var actor: String
    var operatorName: String?
    var reason: String?
    var undoneAt: Date?
    var undoneBy: String?
    var undoReason: String?
    /// The duplicate's links at the merge; absent once a customer of the merge was erased.
    var movedIdentifiers: [LinkView]?
    var filledProfileFields: [String]?
    var redirected: [CustomerID]?

    init(_ merge: MergeRecord) {
        id = merge.id
        survivor = merge.survivor
        duplicate = merge.duplicate
        state = merge.state
        time = merge.time
        actor = merge.actor
        operatorName = merge.operatorName
        reason = merge.reason
        undoneAt = merge.undoneAt
        undoneBy = merge.undoneBy
        undoReason = merge.undoReason
        movedIdentifiers = merge.snapshot?.movedLinks.map(LinkView.init)
        filledProfileFields = merge.snapshot?.filledFields
        redirected = merge.snapshot?.redirected
    }

    enum CodingKeys: String, CodingKey {
        case id, survivor, duplicate, state, time, actor
        case operatorName = "operator"
        case reason
        case undoneAt = "undone_at"
        case undoneBy = "undone_by"
        case undoReason = "undo_reason"
        case movedIdentifiers = "moved_identifiers"
        case filledProfileFields = "filled_profile_fields"
        case redirected
    }
}

/// `POST /admin/v1/merges` with `dry_run`: the survivor as it would be.
struct MergePlanView: Encodable, Sendable {
    var dryRun = true
    var survivor: CustomerID
    var duplicate: CustomerID
    var identifiers: [LinkView]
    var profile: Profile
    var movedIdentifiers: Int
    var filledProfileFields: [String]

    init(_ plan: MergePlan) {
        survivor = plan.survivor
        duplicate = plan.duplicate
        identifiers = plan.resultingLinks.map(LinkView.init)
        profile = plan.resultingProfile
        movedIdentifiers = plan.snapshot.movedLinks.count
        filledProfileFields = plan.snapshot.filledFields
    }

    enum CodingKeys: String, CodingKey {
        case dryRun = "dry_run"
        case survivor, duplicate, identifiers, profile
        case movedIdentifiers = "moved_identifiers"
        case filledProfileFields = "filled_profile_fields"
    }
}

/// `POST /admin/v1/merges/{id}/undo`.
struct UnmergeView: Encodable, Sendable {
    var merge: MergeView
    var restored: [LinkView]
    var moved: [LinkView]
    var missing: [IdentifierView]
}

/// `POST /admin/v1/moves`.
struct MoveView: Encodable, Sendable {
    var customerID: CustomerID
    var previousOwner: CustomerID
    var identifier: LinkView

    enum CodingKeys: String, CodingKey {
        case customerID = "customer_id"
        case previousOwner = "previous_owner"
        case identifier
    }
}

/// `POST /admin/v1/customers/{id}/erase`.
struct ErasureView: Encodable, Sendable {
    var customerID: CustomerID
    var erasedAt: Date
    var erasedIdentifiers: Int
    var mergedIDs: [CustomerID]
    var loginRecordsRemoved: Int

    enum CodingKeys: String, CodingKey {
        case customerID = "customer_id"
        case erasedAt = "erased_at"
        case erasedIdentifiers = "erased_identifiers"
        case mergedIDs = "merged_ids"
        case loginRecordsRemoved = "login_records_removed"
    }
}

/// `GET /admin/v1/customers/{id}/export`: everything Solmu holds about a customer.
struct CustomerExport: Encodable, Sendable {
    struct Session: Encodable, Sendable {
        var id: String
        var authenticatedAt: Date
        var methods: [String]
        var createdAt: Date
        var lastSeenAt: Date
        var endedAt: Date?
        var channels: [String]

        enum CodingKeys: String, CodingKey {
            case id
            case authenticatedAt = "authenticated_at"
            case methods
            case createdAt = "created_at"
            case lastSeenAt = "last_seen_at"
            case endedAt = "ended_at"
            case channels
        }
    }

    struct RefreshGrant: Encodable, Sendable {
        var channel: String
        var scope: [String]
        var createdAt: Date
        var expiresAt: Date
        var revokedAt: Date?

        enum CodingKeys: String, CodingKey {
            case channel, scope
            case createdAt = "created_at"
            case expiresAt = "expires_at"
            case revokedAt = "revoked_at"
        }
    }

    var exportedAt: Date
    var customer: AdminCustomerView
    var mergeHistory: [MergeView]
    var linkLog: [LinkLogEntry]
    var sessions: [Session]
    var refreshGrants: [RefreshGrant]
    var hasPassword: Bool

    init(exportedAt: Date, customer: AdminCustomerView, merges: [MergeRecord], linkLog: [LinkLogEntry], login: CustomerLoginRecords) {
        self.exportedAt = exportedAt
        self.customer = customer
        self.mergeHistory = merges.map(MergeView.init)
        self.linkLog = linkLog
        self.sessions = login.sessions.map {
            Session(id: $0.id, authenticatedAt: $0.authentication.time, methods: $0.authentication.methods, createdAt: $0.createdAt,
                    lastSeenAt: $0.lastSeenAt, endedAt: $0.endedAt, channels: $0.channels)
        }
        self.refreshGrants = login.refreshFamilies.map {
            RefreshGrant(channel: $0.clientID, scope: $0.scope, createdAt: $0.createdAt, expiresAt: $0.expiresAt, revokedAt: $0.revokedAt)
        }
        self.hasPassword = login.hasPassword
    }

    enum CodingKeys: String, CodingKey {
        case exportedAt = "exported_at"
        case customer
        case mergeHistory = "merge_history"
        case linkLog = "link_log"
        case sessions
        case refreshGrants = "refresh_grants"
        case hasPassword = "has_password"
    }
}
