import Identifiers
import IdentityGraph
import Yams

/// Reads `links.yaml`: per-kind limits and blocked values.
enum GraphRulesReader {
    static func read(_ root: PolicyNode, normalizer: IdentifierNormalizer) throws(PolicyError) -> GraphRules {
        let fields = try root.fields(["limits", "blocked"])
        var limits: [IdentifierKind: KindLimit] = [:]
        for (name, value) in try fields.required("limits").mapping(allowed: Set(IdentifierKind.allCases.map(\.rawValue))) {
            let kind = IdentifierKind(rawValue: name)!
            if value.node.scalar != nil, (try? value.string()) == "unlimited" {
                limits[kind] = .unlimited
                continue
            }
            let limit = try value.fields(["total", "per_namespace"])
            limits[kind] = KindLimit(
                total: try limit["total"]?.int(in: 1...10_000),
                perNamespace: try limit["per_namespace"]?.int(in: 1...10_000)
            )
        }
        for kind in IdentifierKind.allCases where limits[kind] == nil {
            throw fields.owner.error("limits needs an entry for \(kind.rawValue) (a number or 'unlimited')")
        }
        var blocked = Set<Identifier>()
        for element in try fields["blocked"]?.sequence() ?? [] {
            do {
                blocked.insert(try normalizer.normalize(try RawIdentifier(compact: try element.string())))
            } catch let error as IdentifierError {
                throw element.error("is not a valid identifier (KIND:[NAMESPACE:]VALUE): \(error.reason)")
            } catch let error as PolicyError {
                throw error
            } catch {
                throw element.error("is not a valid identifier")
            }
        }
        return GraphRules(limits: limits, blocked: blocked)
    }
}
