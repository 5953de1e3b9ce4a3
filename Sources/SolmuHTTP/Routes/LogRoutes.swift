import Channels
import CoreMetrics
import Foundation
import Hummingbird
import HTTPTypes
import IdentityGraph
import NIOCore
import NIOFoundationEssentialsCompat

/// The verifiable link log for auditors (scope `audit:read`): the signed checkpoint, entries by
/// leaf index, inclusion and consistency proofs (RFC 9162). Leaf `i` is the entry with sequence
/// number `i + 1`; `docs/auditing.md` gives the leaf encoding.
struct LogRoutes: Sendable {
    let services: SolmuServices

    static let maxEntries: UInt64 = 1_000

    func register(on router: Router<SolmuRequestContext>) {
        let log = router.group("log").add(middleware: BearerAuthentication(services: services))
        log.get("checkpoint") { _, context in try await checkpoint(context) }
        log.get("entries") { request, context in try await entries(request, context) }
        log.get("proof/inclusion") { request, context in try await inclusion(request, context) }
        log.get("proof/consistency") { request, context in try await consistency(request, context) }
        log.post("search") { request, context in try await search(request, context) }
    }

    /// Entries for review, filtered, with their readable detail while the customer is not erased.
    private func search(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        _ = try context.requireScope(SolmuScope.auditRead)
        var request = request
        let body = try await request.decodeJSON(LogSearchRequest.self, context: context)
        var query = LinkLogQuery()
        query.customer = try body.customerID.map { try APIInput.customerID($0, pointer: "/customer_id") }
        query.identifier = try body.identifier.map { try services.normalize($0.raw, pointer: "/identifier") }
        if let actor = body.actor {
            guard !actor.isEmpty, actor.count <= 100 else { throw Problem.badRequest("actor must be a channel id", pointer: "/actor") }
            query.actor = actor
        }
        if let action = body.action {
            guard let known = LinkLogAction(rawValue: action) else {
                throw Problem.badRequest("action must be one of \(LinkLogAction.allCases.map(\.rawValue).joined(separator: ", "))", pointer: "/action")
            }
            query.action = known
        }
        query.since = try body.since.map { try Self.time($0, "/since") }
        query.until = try body.until.map { try Self.time($0, "/until") }
        if let after = body.after, after < 0 { throw Problem.badRequest("after must be a non-negative sequence number", pointer: "/after") }
        let limit = body.limit ?? 100
        guard (1...1_000).contains(limit) else { throw Problem.badRequest("limit must be from 1 to 1000", pointer: "/limit") }
        let entries = try await services.perform { try await services.store.searchLinkLog(query, after: body.after, limit: limit) }
        return try JSONCoding.response(LinkLogPage(entries: entries, nextAfter: entries.count == limit ? entries.last?.entry.sequence : nil))
    }

    private static func time(_ text: String, _ pointer: String) throws -> Date {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = formatter.date(from: text) else {
            throw Problem.badRequest("not an RFC 3339 time such as 2026-11-22T12:00:00Z", pointer: pointer)
        }
        return date
    }

    private func checkpoint(_ context: SolmuRequestContext) async throws -> Response {
        _ = try context.requireScope(SolmuScope.auditRead)
        let checkpoint = try await services.perform { try await services.logCheckpoints.latest() }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: checkpoint.note)))
    }

    private func entries(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        _ = try context.requireScope(SolmuScope.auditRead)
        let query = request.uri.queryParameters
        let start = try number(query["start"], "start")
        let end = try number(query["end"], "end")
        guard start < end, end - start <= Self.maxEntries else {
            throw Problem.badRequest("entries need start < end and at most \(Self.maxEntries) of them")
        }
        let entries = try await services.perform {
            try await services.store.linkLog(customer: nil, after: Int64(start), limit: Int(end - start))
        }
        return try JSONCoding.response(LogEntriesView(start: start, entries: entries))
    }

    private func inclusion(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        _ = try context.requireScope(SolmuScope.auditRead)
        let query = request.uri.queryParameters
        let index = try number(query["index"], "index")
        let size = try number(query["size"], "size")
        let proof = try await services.perform { try await services.store.logInclusionProof(index: index, size: size) }
        return ProofView(hashes: proof).response
    }

    private func consistency(_ request: Request, _ context: SolmuRequestContext) async throws -> Response {
        _ = try context.requireScope(SolmuScope.auditRead)
        let query = request.uri.queryParameters
        let from = try number(query["from"], "from")
        let to = try number(query["to"], "to")
        let proof = try await services.perform { try await services.store.logConsistencyProof(from: from, to: to) }
        return ProofView(hashes: proof).response
    }

    private func number(_ text: Substring?, _ name: String) throws -> UInt64 {
        guard let text else { throw Problem.badRequest("the query needs \(name)") }
        guard let value = UInt64(text), value <= UInt64(Int64.max) else {
            throw Problem.badRequest("\(name) must be a non-negative integer")
        }
        return value
    }
}

/// `GET /log/entries`: entries with their leaf index.
struct LogEntriesView: Encodable, Sendable {
    var start: UInt64
    var entries: [LinkLogEntry]
}

/// An RFC 9162 proof: the hashes, base64.
struct ProofView: Sendable {
    var hashes: [[UInt8]]

    /// `{"hashes":["<base64>",…]}`, written directly: base64 needs no JSON escaping, and proofs
    /// are served often enough that an encoder costs more than the proof.
    var response: Response {
        var json = #"{"hashes":["#
        for (index, hash) in hashes.enumerated() {
            json += (index == 0 ? "\"" : ",\"") + Data(hash).base64EncodedString() + "\""
        }
        json += "]}"
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}
