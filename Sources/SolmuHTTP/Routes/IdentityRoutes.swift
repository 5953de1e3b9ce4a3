import Channels
import Foundation
import Hummingbird
import Identifiers
import IdentityGraph
import HTTPTypes
import Logging
import CoreMetrics
import NIOCore
import NIOFoundationEssentialsCompat
import Tokens

/// The Solmu API under `/v1`: create customers, link, unlink, resolve, read, and the link log.
/// Thin: decode, check the channel's permissions, call the store, encode.
struct IdentityRoutes: Sendable {
    let services: SolmuServices

    static let maxBatch = 1_000
    static let maxIdentifiersPerCustomer = 100

    func register(on router: Router<SolmuRequestContext>) {
        let v1 = router.group("v1").add(middleware: BearerAuthentication(services: services))
        v1.post("customers") { request, context in try await createCustomer(request, context) }
        v1.get("customers/:id") { request, context in try await customer(request, context) }
        v1.post("links") { request, context in try await link(request, context) }
        v1.delete("links") { request, context in try await unlink(request, context) }
        v1.get("resolve") { request, context in try await resolve(request, context) }
        v1.post("resolve") { request, context in try await resolveBatch(request, context) }
        v1.get("link-log") { request, context in try await linkLog(request, context) }
    }

    // MARK: - Changes

    private func createCustomer(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        let caller = try context.requireScope(SolmuScope.link)
        var request = request
        let body = try await request.decodeJSON(CreateCustomerRequest.self, context: context)
        guard !body.identifiers.isEmpty else {
            throw Problem.badRequest("a customer needs at least one identifier", pointer: "/identifiers")
        }
        guard body.identifiers.count <= Self.maxIdentifiersPerCustomer else {
            throw Problem.badRequest("at most \(Self.maxIdentifiersPerCustomer) identifiers per request", pointer: "/identifiers")
        }
        var items: [NewCustomer.Item] = []
        for (index, input) in body.identifiers.enumerated() {
            let identifier = try services.normalize(input.raw, pointer: "/identifiers/\(index)")
            let assurance = input.assurance ?? .asserted
            try APIInput.checkMayLink(caller.channel, identifier.kind, assurance, pointer: "/identifiers/\(index)")
            items.append(.init(identifier: identifier, assurance: assurance))
        }
        let profile: Profile
        do {
            profile = try (body.profile ?? Profile()).normalized()
        } catch {
            throw Problem.from(error)
        }
        let customer = try await services.perform {
            try await services.store.createCustomer(NewCustomer(identifiers: items, profile: profile), context: ChangeContext(actor: caller.channel.id))
        }
        services.metrics.customersCreated.increment()
        services.metrics.linksCreated.increment(by: customer.links.count)
        return try JSONCoding.response(view(customer, for: caller.channel), status: .created,
                                       headers: [.location: "/v1/customers/\(customer.id.rawValue)"])
    }

    private func link(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        let caller = try context.requireScope(SolmuScope.link)
        var request = request
        let body = try await request.decodeJSON(LinkRequest.self, context: context)
        let identifier = try services.normalize(body.identifier.raw, pointer: "/identifier")
        let assurance = body.assurance ?? body.identifier.assurance ?? .asserted
        let pointer = body.assurance != nil ? "/assurance" : body.identifier.assurance != nil ? "/identifier/assurance" : "/identifier/kind"
        try APIInput.checkMayLink(caller.channel, identifier.kind, assurance, pointer: pointer)
        let reason = try APIInput.reason(body.reason, required: false)
        let outcome = try await services.perform {
            try await services.store.link(identifier, to: body.customerID, assurance: assurance,
                                          context: ChangeContext(actor: caller.channel.id, reason: reason))
        }
        if case .linked = outcome { services.metrics.linksCreated.increment() }
        return try JSONCoding.response(
            LinkResponse(customerID: outcome.link.customerID, identifier: LinkView(outcome.link), result: outcome.result), status: outcome.status
        )
    }

    private func unlink(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        let caller = try context.requireScope(SolmuScope.link)
        var request = request
        let body = try await request.decodeJSON(UnlinkRequest.self, context: context)
        let identifier = try services.normalize(body.identifier.raw, pointer: "/identifier")
        // Unlinking is as strong as linking at the highest assurance the channel may claim.
        guard caller.channel.linkAssurance[identifier.kind] != nil else {
            throw Problem.forbidden("the channel may not change \(identifier.kind.rawValue) links").with("pointer", .string("/identifier/kind"))
        }
        guard let reason = try APIInput.reason(body.reason, required: true) else { throw Problem.internalError }
        let removed = try await services.perform {
            try await services.store.unlink(identifier, from: body.customerID, context: ChangeContext(actor: caller.channel.id, reason: reason))
        }
        services.metrics.unlinks.increment()
        return try JSONCoding.response(LinkResponse(customerID: removed.customerID, identifier: LinkView(removed), result: "unlinked"))
    }

    // MARK: - Reads

    private func resolve(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        let caller = try context.requireScope(SolmuScope.resolve)
        let query = request.uri.queryParameters
        guard let kind = query["kind"], let value = query["value"] else {
            throw Problem.badRequest("the query needs kind and value (and namespace for kinds that have one)")
        }
        let raw = RawIdentifier(kind: String(kind), namespace: query["namespace"].map(String.init), value: String(value))
        let identifier = try services.normalize(raw, pointer: nil)
        services.metrics.resolutions.increment()
        guard let resolved = try await services.perform({ try await services.store.resolve(identifier) }) else {
            throw Problem.notFound("no customer has this identifier")
        }
        let body = ResolveResponse(customerID: resolved.customerID, identifiers: caller.channel.visible(resolved.links).map(LinkView.init))
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body.json)))
    }

    private func resolveBatch(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        let caller = try context.requireScope(SolmuScope.resolve)
        var request = request
        let body = try await request.decodeJSON(ResolveBatchRequest.self, context: context)
        guard body.identifiers.count <= Self.maxBatch else {
            throw Problem.badRequest("at most \(Self.maxBatch) identifiers per batch", pointer: "/identifiers")
        }
        var normalized: [Int: Identifier] = [:]
        var items = body.identifiers.indices.map { ResolveBatchItem(index: $0) }
        for (index, input) in body.identifiers.enumerated() {
            do {
                normalized[index] = try services.normalizer.normalize(input.raw)
            } catch {
                items[index].error = .init(code: error.code.rawValue, detail: error.reason)
            }
        }
        let resolved = try await services.perform { try await services.store.resolve(batch: Array(normalized.values)) }
        for (index, identifier) in normalized {
            if let customer = resolved[identifier] {
                items[index].customerID = customer.customerID
                items[index].identifiers = caller.channel.visible(customer.links).map(LinkView.init)
            }
        }
        services.metrics.resolutions.increment(by: normalized.count)
        return try JSONCoding.response(["results": items])
    }

    private func customer(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        let caller = try context.requireScope(SolmuScope.read)
        let id = try APIInput.customerID(context.parameters.get("id") ?? "")
        guard let customer = try await services.perform({ try await services.store.customer(id) }) else {
            if case .erased = try await services.perform({ try await services.store.customerStatus(id) }) {
                throw Problem.from(IdentityGraphError.customerErased(id), logger: services)
            }
            throw Problem.notFound("no customer \(id.rawValue)")
        }
        return try JSONCoding.response(view(customer, for: caller.channel))
    }

    private func linkLog(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        _ = try context.requireScope(SolmuScope.read)
        let query = request.uri.queryParameters
        let customer = try query["customer"].map { try APIInput.customerID(String($0)) }
        let after = try query["after"].map { text throws -> Int64 in
            guard let value = Int64(text), value >= 0 else { throw Problem.badRequest("after must be a non-negative sequence number") }
            return value
        }
        let limit = try query["limit"].map { text throws -> Int in
            guard let value = Int(text), (1...1_000).contains(value) else { throw Problem.badRequest("limit must be from 1 to 1000") }
            return value
        } ?? 100
        let entries = try await services.perform { try await services.store.linkLog(customer: customer, after: after, limit: limit) }
        return try JSONCoding.response(LinkLogPage(entries: entries, nextAfter: entries.count == limit ? entries.last?.sequence : nil))
    }

    // MARK: - Helpers

    private func view(_ customer: Customer, for channel: Channels.Channel) -> CustomerView {
        CustomerView(id: customer.id, createdAt: customer.createdAt, profile: customer.profile,
                     identifiers: channel.visible(customer.links).map(LinkView.init))
    }
}
