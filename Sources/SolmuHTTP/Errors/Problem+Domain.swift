import Identifiers
import IdentityGraph
import Foundation
import Hummingbird
import HTTPTypes
import Logging
import CoreMetrics
import NIOCore
import NIOFoundationEssentialsCompat
import Tokens
import Channels

extension Problem {
    /// The problem for a refused graph change. Storage failures become a bare 500; their detail
    /// goes to the operator's log only.
    static func from(_ error: IdentityGraphError, logger: SolmuServices) -> Problem {
        switch error {
        case let .conflict(_, _, owner, requested):
            var customers = [owner.rawValue]
            if let requested { customers.append(requested.rawValue) }
            return Problem(.conflict, "identifier-conflict", title: "The identifier belongs to another customer",
                           detail: error.description + "; the pair is recorded as a duplicate candidate for an admin to review",
                           extensions: ["customers": .strings(customers)])
        case .limitExceeded:
            return Problem(.unprocessableContent, "limit-exceeded", title: "Policy limit reached", detail: error.description)
        case .blocked:
            return Problem(.unprocessableContent, "blocked-identifier", title: "Blocked identifier", detail: error.description)
        case let .duplicateInRequest(first, second):
            return .badRequest(error.description, pointer: "/identifiers/\(second)").with("first_index", .int(first))
        case .logRange:
            return .badRequest(error.description)
        case .customerNotFound, .linkNotFound, .mergeNotFound:
            return .notFound(error.description)
        case let .customerErased(id):
            return Problem(.gone, "customer-erased", title: "The customer was erased", detail: error.description,
                           extensions: ["customer_id": .string(id.rawValue)])
        case let .customerMerged(id, survivor):
            return Problem(.conflict, "customer-merged", title: "The customer was merged into another", detail: error.description,
                           extensions: ["customer_id": .string(id.rawValue), "survivor": .string(survivor.rawValue)])
        case .sameCustomer:
            return Problem(.unprocessableContent, "same-customer", title: "Both ids name one customer", detail: error.description)
        case .mergeUndone, .mergeErased:
            return Problem(.conflict, "merge-not-undoable", title: "The merge cannot be undone", detail: error.description)
        case let .unmergeBlocked(_, dependency):
            return Problem(.conflict, "unmerge-blocked", title: "A later merge depends on this one", detail: error.description,
                           extensions: ["dependency": .string(dependency.rawValue)])
        case let .storage(detail):
            logger.logger.error("identity store failed", metadata: ["error": "\(detail)"])
            return .internalError
        }
    }

    /// The problem for an identifier that does not normalize; `pointer` names it in the body.
    static func from(_ error: IdentifierError, pointer: String?) -> Problem {
        var problem = Problem(.badRequest, "invalid-identifier", title: "The identifier is not valid", detail: error.reason,
                              extensions: ["code": .string(error.code.rawValue)])
        if let pointer { problem.extensions["pointer"] = .string(pointer) }
        if let kind = error.kind { problem.extensions["kind"] = .string(kind.rawValue) }
        return problem
    }

    static func from(_ error: ProfileError) -> Problem {
        Problem(.badRequest, "invalid-profile", title: "The profile is not valid", detail: error.description,
                extensions: ["pointer": .string("/profile/\(error.field)")])
    }

    func with(_ key: String, _ value: ProblemValue) -> Problem {
        var copy = self
        copy.extensions[key] = value
        return copy
    }
}
