import IdentityGraph

/// Finds records by customer id without a dictionary of a million strings: ids are hashed with
/// ``StableHash`` and sorted, and a lookup is a binary search that compares the id itself only on
/// a hash match.
struct IDIndex {
    private let records: [CustomerRecord]
    private var hashes: [UInt64]
    private var order: [UInt32]
    /// Records whose id an earlier record already has, with that earlier record.
    private(set) var repeated: [(record: Int, first: Int)] = []

    init(_ records: [CustomerRecord]) {
        self.records = records
        hashes = records.map { Self.hash($0.id) }
        order = (0..<records.count).map { UInt32($0) }
        RadixSort.sort(keys: &hashes, values: &order)
        var index = 0
        while index < hashes.count {
            var end = index + 1
            while end < hashes.count && hashes[end] == hashes[index] { end += 1 }
            if end - index > 1 {
                // Records within a run are ascending, so the first with an id comes first.
                for later in (index + 1)..<end {
                    let record = Int(order[later])
                    if let first = order[index..<later].first(where: { records[Int($0)].id == records[record].id }) {
                        repeated.append((record, Int(first)))
                    }
                }
            }
            index = end
        }
    }

    private static func hash(_ id: CustomerID) -> UInt64 {
        StableHash.of(tag: 300, bytes: id.rawValue.utf8)
    }

    /// The first record with `id`, or `nil`.
    func firstRecord(of id: CustomerID) -> Int? {
        let hash = Self.hash(id)
        var low = 0, high = hashes.count
        while low < high {
            let mid = (low + high) / 2
            if hashes[mid] < hash { low = mid + 1 } else { high = mid }
        }
        while low < hashes.count && hashes[low] == hash {
            let record = Int(order[low])
            if records[record].id == id { return record }
            low += 1
        }
        return nil
    }
}
