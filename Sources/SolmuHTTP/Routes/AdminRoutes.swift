import Channels
import CustomerLogin
import DuplicateDetection
import Foundation
import Hummingbird
import HTTPTypes
import Identifiers
import IdentityGraph
import Logging
import NIOCore
import NIOFoundationEssentialsCompat

/// The admin API under `/admin/v1`: customers with their history, links, moves, duplicate
/// scans, merges and unmerges, erasure and export. Only a token with the `admin` scope (the
/// `admin-cli` channel) gets in; every change names an operator and a reason, and both go into
/// the link log with the change.
struct AdminRoutes: Sendable {
    let services: SolmuServices
    let finder: DuplicateFinder

    static let defaultMinScore = MatchConfiguration.default.threshold
    static let maxScanLimit = 100_000
    static let maxMoveIdentifiers = 100
    static let logPage = 1_000

    func register(on router: Router<SolmuRequestContext>) {
        let admin = router.group("admin/v1").add(middleware: BearerAuthentication(services: services))
        admin.get("customers/:id") { _, context in try await customer(context) }
        admin.post("customers/lookup") { request, context in try await lookup(request, context) }
        admin.post("customers/:id/links") { request, context in try await link(request, context) }
        admin.delete("customers/:id/links") { request, context in try await unlink(request, context) }
        admin.post("customers/:id/erase") { request, context in try await erase(request, context) }
        admin.get("customers/:id/export") { _, context in try await export(context) }
        admin.post("moves") { request, context in try await move(request, context) }
        admin.post("merges") { request, context in try await merge(request, context) }
        admin.get("merges/:id") { _, context in try await mergeRecord(context) }
        admin.post("merges/:id/undo") { request, context in try await unmerge(request, context) }
        admin.post("duplicate-scans") { request, context in try await startScan(request, context) }
        admin.get("duplicate-scans/:id") { _, context in try await scan(context) }
    }

    // MARK: - Customers

    private func customer(_ context: SolmuRequestContext) async throws -> Response {
        _ = try context.requireScope(SolmuScope.admin)
        let id = try APIInput.customerID(context.parameters.get("id") ?? "")
        return try JSONCoding.response(try await view(of: id))
    }

    private func lookup(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        _ = try context.requireScope(SolmuScope.admin)
        var request = request
        let body = try await request.decodeJSON(AdminLookupRequest.self, context: context)
        let identifier = try services.normalize(body.identifier.raw, pointer: "/identifier")
        guard let owner = try await services.perform({ try await services.store.resolve(identifier) }) else {
            throw Problem.notFound("no customer has this identifier")
        }
        return try JSONCoding.response(try await view(of: owner.customerID))
    }

    private func link(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        let input = try await linkInput(request, context)
        let assurance = input.body.assurance ?? .asserted
        try APIInput.checkMayLink(input.caller.channel, input.identifier.kind, assurance,
                                  pointer: input.body.assurance == nil ? "/identifier/kind" : "/assurance")
        let outcome = try await services.perform {
            try await services.store.link(input.identifier, to: input.customer, assurance: assurance, context: input.change)
        }
        return try JSONCoding.response(LinkResponse(customerID: input.customer, identifier: LinkView(outcome.link), result: outcome.result),
                                       status: outcome.status)
    }

    private func unlink(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        let input = try await linkInput(request, context)
        let removed = try await services.perform {
            try await services.store.unlink(input.identifier, from: input.customer, context: input.change)
        }
        return try JSONCoding.response(LinkResponse(customerID: input.customer, identifier: LinkView(removed), result: "unlinked"))
    }

    /// The checked input of a link or an unlink: admins name live customers, so a merged id is
    /// refused with its survivor named.
    private func linkInput(_ request: Request, _ context: SolmuRequestContext) async throws
        -> (caller: Caller, customer: CustomerID, body: AdminLinkRequest, change: ChangeContext, identifier: Identifier)
    {
        let caller = try context.requireScope(SolmuScope.admin)
        let customer = try APIInput.customerID(context.parameters.get("id") ?? "")
        var request = request
        let body = try await request.decodeJSON(AdminLinkRequest.self, context: context)
        let change = try changeContext(body, caller)
        let identifier = try services.normalize(body.identifier.raw, pointer: "/identifier")
        try await requireLive(customer)
        return (caller, customer, body, change, identifier)
    }

    private func move(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        let caller = try context.requireScope(SolmuScope.admin)
        var request = request
        let body = try await request.decodeJSON(AdminMoveRequest.self, context: context)
        let change = try changeContext(body, caller)
        let identifier = try services.normalize(body.identifier.raw, pointer: "/identifier")
        // A moved identifier starts over at the new owner: nobody has proven it is theirs yet.
        let assurance = body.assurance ?? .asserted
        try APIInput.checkMayLink(caller.channel, identifier.kind, assurance, pointer: body.assurance == nil ? "/identifier/kind" : "/assurance")
        let outcome = try await services.perform {
            try await services.store.move(identifier, to: body.to, assurance: assurance, context: change)
        }
        return try JSONCoding.response(MoveView(customerID: body.to, previousOwner: outcome.previousOwner, identifier: LinkView(outcome.link)))
    }

    private func erase(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        let caller = try context.requireScope(SolmuScope.admin)
        let id = try APIInput.customerID(context.parameters.get("id") ?? "")
        var request = request
        let body = try await request.decodeJSON(AdminEraseRequest.self, context: context)
        let change = try changeContext(body, caller)
        let erased: ErasureOutcome
        do {
            erased = try await services.perform { try await services.store.erase(id, context: change) }
        } catch let problem as Problem where problem.slug == "customer-erased" {
            // Erased already: the login side may not have followed (its step failed after the graph
            // change committed), so repeating an erase repeats that step for the id, then says 410.
            _ = try await services.loginStore.forgetCustomer(id, identifiers: [])
            throw problem
        }
        // The graph change is committed with its log entry; the login side follows.
        var removed = 0
        for customer in [id] + erased.mergedIDs {
            removed += try await services.loginStore.forgetCustomer(customer, identifiers: customer == id ? erased.erasedIdentifiers : [])
        }
        services.logger.notice("customer erased", metadata: ["customer": "\(id.rawValue)", "operator_channel": "\(caller.channel.id)"])
        return try JSONCoding.response(ErasureView(
            customerID: id, erasedAt: erased.time, erasedIdentifiers: erased.erasedIdentifiers.count, mergedIDs: erased.mergedIDs,
            loginRecordsRemoved: removed
        ))
    }

    private func export(_ context: SolmuRequestContext) async throws -> Response {
        _ = try context.requireScope(SolmuScope.admin)
        let id = try APIInput.customerID(context.parameters.get("id") ?? "")
        let customer = try await view(of: id)
        let merges = try await services.perform { try await services.store.merges(involving: id) }
        var entries: [LinkLogEntry] = []
        while true {
            let after = entries.last?.sequence
            let page = try await services.perform { try await services.store.linkLog(customer: id, after: after, limit: Self.logPage) }
            entries += page
            if page.count < Self.logPage { break }
        }
        let login = try await services.loginStore.loginRecords(of: id)
        let body = CustomerExport(exportedAt: Date(), customer: customer, merges: merges, linkLog: entries, login: login)
        return try JSONCoding.response(body, headers: [.contentDisposition: "attachment; filename=\"\(id.rawValue).json\""])
    }

    // MARK: - Merges

    private func merge(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        let caller = try context.requireScope(SolmuScope.admin)
        var request = request
        let body = try await request.decodeJSON(AdminMergeRequest.self, context: context)
        if body.dryRun == true {
            let plan = try await services.perform { try await services.store.planMerge(survivor: body.survivor, duplicate: body.duplicate) }
            return try JSONCoding.response(MergePlanView(plan))
        }
        let change = try changeContext(body, caller)
        let merged = try await services.perform {
            try await services.store.merge(survivor: body.survivor, duplicate: body.duplicate, context: change)
        }
        return try JSONCoding.response(MergeView(merged), status: .created, headers: [.location: "/admin/v1/merges/\(merged.id.rawValue)"])
    }

    private func mergeRecord(_ context: SolmuRequestContext) async throws -> Response {
        _ = try context.requireScope(SolmuScope.admin)
        let id = try APIInput.mergeID(context.parameters.get("id") ?? "")
        guard let merge = try await services.perform({ try await services.store.mergeRecord(id) }) else {
            throw Problem.notFound("no merge \(id.rawValue)")
        }
        return try JSONCoding.response(MergeView(merge))
    }

    private func unmerge(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        let caller = try context.requireScope(SolmuScope.admin)
        let id = try APIInput.mergeID(context.parameters.get("id") ?? "")
        var request = request
        let body = try await request.decodeJSON(AdminUnmergeRequest.self, context: context)
        let change = try changeContext(body, caller)
        let inputs = body.move ?? []
        guard inputs.count <= Self.maxMoveIdentifiers else {
            throw Problem.badRequest("at most \(Self.maxMoveIdentifiers) identifiers to move", pointer: "/move")
        }
        let moving = try inputs.enumerated().map { index, input in try services.normalize(input.raw, pointer: "/move/\(index)") }
        let outcome = try await services.perform { try await services.store.unmerge(id, moving: moving, context: change) }
        return try JSONCoding.response(UnmergeView(
            merge: MergeView(outcome.merge), restored: outcome.restored.map(LinkView.init), moved: outcome.moved.map(LinkView.init),
            missing: outcome.missing.map(IdentifierView.init)
        ))
    }

    // MARK: - Duplicates

    private func startScan(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        _ = try context.requireScope(SolmuScope.admin)
        var request = request
        let body = try await request.decodeJSON(DuplicateScanRequest.self, context: context)
        let minScore = body.minScore ?? Self.defaultMinScore
        guard minScore.isFinite, (0...1).contains(minScore) else {
            throw Problem.badRequest("min_score must be from 0 to 1", pointer: "/min_score")
        }
        let limit = body.limit ?? 1_000
        guard (1...Self.maxScanLimit).contains(limit) else {
            throw Problem.badRequest("limit must be from 1 to \(Self.maxScanLimit)", pointer: "/limit")
        }
        switch services.duplicateScans.start(store: services.store, finder: finder, minScore: minScore, limit: limit) {
        case let .success(scan):
            return try JSONCoding.response(DuplicateScanView(scan), status: .accepted,
                                           headers: [.location: "/admin/v1/duplicate-scans/\(scan.id)"])
        case let .failure(running):
            throw Problem(.conflict, "scan-running", title: "A duplicate scan is running",
                          detail: "scan \(running.id) is still running; fetch its result or wait for it to finish",
                          extensions: ["scan": .string(running.id)])
        }
    }

    private func scan(_ context: SolmuRequestContext) async throws -> Response {
        _ = try context.requireScope(SolmuScope.admin)
        let id = context.parameters.get("id") ?? ""
        guard let scan = services.duplicateScans.scan(id) else {
            throw Problem.notFound("no duplicate scan \(id.prefix(40)) on this instance (scans are kept for an hour)")
        }
        return try JSONCoding.response(DuplicateScanView(scan))
    }

    // MARK: - Helpers

    /// Who makes an admin change and why: both required, both recorded in the link log.
    private func changeContext(_ body: some AdminChange, _ caller: Caller) throws -> ChangeContext {
        let operatorName = try APIInput.operatorName(body.operatorName)
        let reason = try APIInput.reason(body.reason, required: true)
        return ChangeContext(actor: caller.channel.id, reason: reason, operatorName: operatorName)
    }

    private func requireLive(_ id: CustomerID) async throws {
        switch try await services.perform({ try await services.store.customerStatus(id) }) {
        case nil: throw Problem.from(IdentityGraphError.customerNotFound(id), logger: services)
        case .active: return
        case let .merged(survivor, _): throw Problem.from(IdentityGraphError.customerMerged(id, into: survivor), logger: services)
        case .erased: throw Problem.from(IdentityGraphError.customerErased(id), logger: services)
        }
    }

    private func view(of id: CustomerID) async throws -> AdminCustomerView {
        guard let status = try await services.perform({ try await services.store.customerStatus(id) }) else {
            throw Problem.notFound("no customer \(id.rawValue)")
        }
        let merges = try await services.perform { try await services.store.merges(involving: id) }.map { MergeSummaryView($0, for: id) }
        switch status {
        case .active:
            guard let customer = try await services.perform({ try await services.store.customer(id) }) else {
                throw Problem.notFound("no customer \(id.rawValue)")
            }
            return AdminCustomerView(id: id, status: "active", createdAt: customer.createdAt, profile: customer.profile,
                                     identifiers: customer.links.map(LinkView.init), merges: merges)
        case let .merged(survivor, merge):
            return AdminCustomerView(id: id, status: "merged", mergedInto: survivor, mergeID: merge, identifiers: [], merges: merges)
        case let .erased(time):
            return AdminCustomerView(id: id, status: "erased", erasedAt: time, identifiers: [], merges: merges)
        }
    }
}

/// A duplicate scan as `GET /admin/v1/duplicate-scans/{id}` shows it.
struct DuplicateScanView: Encodable, Sendable {
    struct Progress: Encodable, Sendable {
        var phase: String
        var done: Int
        var total: Int
    }

    var id: String
    var state: String
    var progress: Progress
    var minScore: Double
    var limit: Int
    var startedAt: Date
    var finishedAt: Date?
    var customersScanned: Int?
    var pairs: [ScoredPair]?

    init(_ scan: DuplicateScans.Scan) {
        id = scan.id
        state = scan.state.rawValue
        progress = Progress(phase: scan.phase, done: scan.done, total: scan.total)
        minScore = scan.minScore
        limit = scan.limit
        startedAt = scan.startedAt
        finishedAt = scan.finishedAt
        customersScanned = scan.state == .done ? scan.customersScanned : nil
        pairs = scan.pairs
    }

    enum CodingKeys: String, CodingKey {
        case id, state, progress
        case minScore = "min_score"
        case limit
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case customersScanned = "customers_scanned"
        case pairs
    }
}
