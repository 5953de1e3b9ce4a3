/// Records grouped by shared blocking keys.
///
/// Every (key, record) entry is sorted by key; a run of equal keys is a block. Blocks of 2 to
/// `maxBlockSize` records are compared pair by pair; larger ones are skipped, and identifiers whose
/// key is in one are marked overshared. A pair sharing several blocks is compared only in the block
/// of its smallest common key, so each pair is scored once.
struct BlockIndex: Sendable {
    /// Entry keys, sorted.
    private(set) var keys: [UInt64] = []
    /// The record of each entry; ascending within a block.
    private(set) var members: [UInt32] = []
    /// Blocks that are compared: `members[start..<start + count]` share `keys[start]`.
    private(set) var blocks: [(start: Int, count: Int)] = []
    /// For each record, its keys that belong to compared blocks, ascending:
    /// `comparedKeys[comparedStart[i]..<comparedStart[i + 1]]`.
    private(set) var comparedStart: [Int32] = []
    private(set) var comparedKeys: [UInt64] = []
    /// The number of pairs within compared blocks (counting a pair once per shared block).
    private(set) var blockPairs = 0
    /// Blocks with more than `maxBlockSize` records.
    private(set) var oversizedBlocks = 0

    init(table: inout FeatureTable, maxBlockSize: Int) {
        let recordCount = table.count
        var entryKeys: [UInt64] = []
        var entryMembers: [UInt32] = []
        entryKeys.reserveCapacity(recordCount * 8)
        entryMembers.reserveCapacity(recordCount * 8)
        var scratch: [UInt64] = []
        scratch.reserveCapacity(16)
        for record in 0..<recordCount {
            scratch.removeAll(keepingCapacity: true)
            BlockKeys.append(record, in: table, to: &scratch)
            scratch.sort()
            var previous: UInt64 = 0
            for key in scratch where key != previous {
                entryKeys.append(key)
                entryMembers.append(UInt32(record))
                previous = key
            }
        }
        RadixSort.sort(keys: &entryKeys, values: &entryMembers)

        var comparedCount = [Int32](repeating: 0, count: recordCount + 1)
        var oversizedKeys: Set<UInt64> = []
        var index = 0
        let total = entryKeys.count
        let limit = max(2, maxBlockSize)
        while index < total {
            let key = entryKeys[index]
            var end = index + 1
            while end < total && entryKeys[end] == key { end += 1 }
            let size = end - index
            if size >= 2 {
                if size <= limit {
                    blocks.append((index, size))
                    blockPairs += size * (size - 1) / 2
                    for entry in index..<end { comparedCount[Int(entryMembers[entry])] += 1 }
                } else {
                    oversizedBlocks += 1
                    oversizedKeys.insert(key)
                }
            }
            index = end
        }

        // Prefix sums, then fill in block order, which is ascending key order.
        var start = [Int32](repeating: 0, count: recordCount + 1)
        for record in 0..<recordCount { start[record + 1] = start[record] + comparedCount[record] }
        var fill = start
        var compared = [UInt64](repeating: 0, count: Int(start[recordCount]))
        for block in blocks {
            let key = entryKeys[block.start]
            for entry in block.start..<(block.start + block.count) {
                let record = Int(entryMembers[entry])
                compared[Int(fill[record])] = key
                fill[record] += 1
            }
        }
        comparedStart = start
        comparedKeys = compared

        if !oversizedKeys.isEmpty {
            for identifier in table.identifierKind.indices where oversizedKeys.contains(BlockKeys.identifierKey(identifier, in: table)) {
                table.identifierOvershared[identifier] = true
            }
        }
        keys = entryKeys
        members = entryMembers
    }

    /// The smallest compared key that records `a` and `b` share, or `nil`.
    func smallestCommonKey(_ a: Int, _ b: Int) -> UInt64? {
        var i = Int(comparedStart[a]), j = Int(comparedStart[b])
        let iEnd = Int(comparedStart[a + 1]), jEnd = Int(comparedStart[b + 1])
        while i < iEnd && j < jEnd {
            let x = comparedKeys[i], y = comparedKeys[j]
            if x == y { return x }
            if x < y { i += 1 } else { j += 1 }
        }
        return nil
    }
}

/// Least-significant-digit radix sort of 64-bit keys with a payload; stable, so records stay in
/// ascending order within a key.
enum RadixSort {
    static func sort(keys: inout [UInt64], values: inout [UInt32]) {
        let count = keys.count
        guard count > 1 else { return }
        var keyBuffer = [UInt64](repeating: 0, count: count)
        var valueBuffer = [UInt32](repeating: 0, count: count)
        for pass in 0..<8 {
            let shift = UInt64(pass * 8)
            keys.withUnsafeMutableBufferPointer { source in
                values.withUnsafeMutableBufferPointer { sourceValues in
                    keyBuffer.withUnsafeMutableBufferPointer { target in
                        valueBuffer.withUnsafeMutableBufferPointer { targetValues in
                            var counts = [Int](repeating: 0, count: 257)
                            for key in source { counts[Int((key >> shift) & 0xFF) + 1] += 1 }
                            for bucket in 0..<256 { counts[bucket + 1] += counts[bucket] }
                            for index in 0..<count {
                                let key = source[index]
                                let bucket = Int((key >> shift) & 0xFF)
                                let position = counts[bucket]
                                target[position] = key
                                targetValues[position] = sourceValues[index]
                                counts[bucket] = position + 1
                            }
                        }
                    }
                }
            }
            swap(&keys, &keyBuffer)
            swap(&values, &valueBuffer)
        }
    }
}
