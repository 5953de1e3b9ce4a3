import Yams

/// A node of a policy document with its path, so that every error says exactly where it is.
///
/// Reading is strict: unknown keys, wrong types and missing required fields are errors, because a
/// typo in a security policy must not silently fall back to a default.
struct PolicyNode {
    let node: Node
    let file: String
    let path: String

    static func parse(_ text: String, file: String) throws(PolicyError) -> PolicyNode? {
        do {
            guard let node = try Yams.compose(yaml: text) else { return nil }
            return PolicyNode(node: node, file: file, path: "")
        } catch {
            throw PolicyError(file: file, path: "", line: nil, reason: "is not valid YAML: \(error)")
        }
    }

    func error(_ reason: String) -> PolicyError {
        PolicyError(file: file, path: path, line: node.mark.map { $0.line }, reason: reason)
    }

    private func child(_ node: Node, _ component: String) -> PolicyNode {
        PolicyNode(node: node, file: file, path: path.isEmpty ? component : "\(path).\(component)")
    }

    /// The entries of a mapping, in document order; keys outside `allowed` are errors.
    func mapping(allowed: Set<String>? = nil) throws(PolicyError) -> [(key: String, value: PolicyNode)] {
        guard case let .mapping(mapping) = node else { throw error("must be a mapping") }
        var entries: [(key: String, value: PolicyNode)] = []
        var seen = Set<String>()
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else { throw error("has a key that is not a string") }
            if let allowed, !allowed.contains(key) {
                throw child(valueNode, key).error("unknown field; expected one of \(allowed.sorted().joined(separator: ", "))")
            }
            guard seen.insert(key).inserted else { throw child(valueNode, key).error("appears twice") }
            entries.append((key, child(valueNode, key)))
        }
        return entries
    }

    /// A mapping as a dictionary with a fixed set of allowed keys.
    func fields(_ allowed: Set<String>) throws(PolicyError) -> Fields {
        Fields(owner: self, values: Dictionary(uniqueKeysWithValues: try mapping(allowed: allowed).map { ($0.key, $0.value) }))
    }

    func sequence() throws(PolicyError) -> [PolicyNode] {
        guard case let .sequence(sequence) = node else { throw error("must be a list") }
        return sequence.enumerated().map { index, element in
            PolicyNode(node: element, file: file, path: "\(path)[\(index)]")
        }
    }

    func string() throws(PolicyError) -> String {
        guard let scalar = node.scalar else { throw error("must be a text value") }
        return scalar.string
    }

    func int(in range: ClosedRange<Int>) throws(PolicyError) -> Int {
        guard node.scalar != nil, let value = node.int else { throw error("must be a whole number") }
        guard range.contains(value) else { throw error("must be from \(range.lowerBound) to \(range.upperBound)") }
        return value
    }

    func bool() throws(PolicyError) -> Bool {
        guard node.scalar != nil, let value = node.bool else { throw error("must be true or false") }
        return value
    }

    func strings() throws(PolicyError) -> [String] {
        var result: [String] = []
        for element in try sequence() { result.append(try element.string()) }
        return result
    }

    /// A mapping's fields, looked up by name.
    struct Fields {
        let owner: PolicyNode
        let values: [String: PolicyNode]

        subscript(_ key: String) -> PolicyNode? { values[key] }

        func required(_ key: String) throws(PolicyError) -> PolicyNode {
            guard let value = values[key] else { throw owner.error("needs the field '\(key)'") }
            return value
        }
    }
}
