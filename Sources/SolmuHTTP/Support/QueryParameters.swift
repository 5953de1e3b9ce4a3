/// A query string parsed strictly: every parameter once, values percent-decoded, and the names
/// that appeared more than once reported (OAuth forbids repeating a parameter).
struct QueryParameters: Sendable {
    var values: [String: String] = [:]
    var duplicated: Set<String> = []
    private var seen: Set<String> = []

    init(_ query: String?) {
        guard let query else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = FormParameters.decode(parts[0]), let value = FormParameters.decode(parts.count > 1 ? parts[1] : "") else {
                continue
            }
            if !seen.insert(name).inserted {
                duplicated.insert(name)
                values[name] = nil
            } else if !value.isEmpty {
                values[name] = value
            }
        }
    }
}
