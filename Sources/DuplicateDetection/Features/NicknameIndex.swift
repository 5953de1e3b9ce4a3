/// Folded given name → the nickname groups it belongs to.
struct NicknameIndex: Sendable {
    private var table: [[UInt8]: [Int32]] = [:]

    init(_ groups: [[String]]) {
        for (index, group) in groups.enumerated() {
            for name in group {
                let folded = NameFolding.tokens(name).joined()
                let key = Array(folded)
                guard !key.isEmpty else { continue }
                if table[key]?.contains(Int32(index)) != true { table[key, default: []].append(Int32(index)) }
            }
        }
    }

    func groups(of folded: ArraySlice<UInt8>) -> [Int32] {
        table.isEmpty ? [] : table[Array(folded)] ?? []
    }
}
