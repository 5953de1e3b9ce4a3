import Channels
import CoreMetrics
import Foundation
import Identifiers
import IdentityGraph
import Tokens

/// Checks of request input that the Solmu API and the admin API share. Each failure is a
/// problem naming the field, never echoing a value.
enum APIInput {
    static let maxReasonLength = 500
    static let maxOperatorLength = 100

    /// A reason for a change: trimmed, at most 500 characters, no control characters.
    static func reason(_ reason: String?, required: Bool) throws -> String? {
        try text(reason, field: "reason", maxLength: maxReasonLength, required: required)
    }

    /// The person behind an admin change, as the link log records them.
    static func operatorName(_ name: String?) throws -> String {
        guard let name = try text(name, field: "operator", maxLength: maxOperatorLength, required: true) else { throw Problem.internalError }
        return name
    }

    static func customerID(_ text: String, pointer: String? = nil) throws -> CustomerID {
        guard let id = CustomerID(rawValue: text) else {
            throw Problem.badRequest("not a customer id: expected cus_ and 26 base32 characters", pointer: pointer)
        }
        return id
    }

    static func mergeID(_ text: String) throws -> MergeID {
        guard let id = MergeID(rawValue: text) else {
            throw Problem.badRequest("not a merge id: expected mrg_ and 26 base32 characters")
        }
        return id
    }

    static func checkMayLink(_ channel: Channels.Channel, _ kind: IdentifierKind, _ assurance: Assurance, pointer: String) throws {
        guard channel.mayLink(kind, at: assurance) else {
            let highest = channel.linkAssurance[kind].map { "at most \($0.rawValue)" } ?? "none"
            throw Problem.forbidden("the channel may not link \(kind.rawValue) identifiers at \(assurance.rawValue) assurance (allowed: \(highest))")
                .with("pointer", .string(pointer))
        }
    }

    private static func text(_ value: String?, field: String, maxLength: Int, required: Bool) throws -> String? {
        let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let trimmed, !trimmed.isEmpty else {
            if required { throw Problem.badRequest("\(field == "operator" ? "an" : "a") \(field) is required", pointer: "/\(field)") }
            return nil
        }
        guard trimmed.count <= maxLength, !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw Problem.badRequest("the \(field) must be at most \(maxLength) characters without control characters", pointer: "/\(field)")
        }
        return trimmed
    }
}

extension SolmuServices {
    /// Normalizes a client's identifier; a refusal becomes a 400 problem naming `pointer`.
    func normalize(_ raw: RawIdentifier, pointer: String?) throws -> Identifier {
        do {
            return try normalizer.normalize(raw)
        } catch {
            throw Problem.from(error, pointer: pointer)
        }
    }

    /// Runs a store call, turning its refusals into problems.
    func perform<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as IdentityGraphError {
            if case .conflict = error { metrics.linkConflicts.increment() }
            throw Problem.from(error, logger: self)
        }
    }
}
