/// Every distinct folded name token seen in a run, stored once: its bytes, a content hash for
/// blocking keys, its phonetic key and its nickname groups. Records refer to names by index, so
/// that comparing two equal names is an integer comparison and nothing is allocated per pair.
struct NameTable: Sendable {
    private(set) var bytes: [UInt8] = []
    private(set) var offsets: [Int32] = [0]
    /// Content hash of each name (independent of the order names were seen in).
    private(set) var hashes: [UInt64] = []
    /// Phonetic key of each name.
    private(set) var phonetic: [UInt64] = []
    private(set) var groupOffsets: [Int32] = [0]
    private(set) var groups: [Int32] = []
    /// Open addressing by content hash: slot → name index + 1, 0 when empty.
    private var slots: [Int32]
    private var mask: Int

    init(expectedNames: Int = 1024) {
        var capacity = 1024
        while capacity < expectedNames * 2 { capacity <<= 1 }
        slots = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    var count: Int { hashes.count }

    /// The index of `folded`, added if new.
    mutating func intern(_ folded: ArraySlice<UInt8>, nicknames: NicknameIndex) -> Int32 {
        let hash = StableHash.of(tag: 100, bytes: folded)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let index = Int(entry - 1)
            if hashes[index] == hash && bytesEqual(index, folded) { return Int32(index) }
            slot = (slot + 1) & mask
        }
        let index = Int32(hashes.count)
        bytes.append(contentsOf: folded)
        offsets.append(Int32(bytes.count))
        hashes.append(hash)
        phonetic.append(folded.withUnsafeBufferPointer { Phonetic.key($0) })
        groups.append(contentsOf: nicknames.groups(of: folded))
        groupOffsets.append(Int32(groups.count))
        slots[slot] = index + 1
        if hashes.count * 2 > slots.count { grow() }
        return index
    }

    private func bytesEqual(_ index: Int, _ folded: ArraySlice<UInt8>) -> Bool {
        let start = Int(offsets[index]), end = Int(offsets[index + 1])
        return end - start == folded.count && bytes[start..<end].elementsEqual(folded)
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
        for index in hashes.indices {
            var slot = Int(truncatingIfNeeded: hashes[index]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index + 1)
        }
    }

    /// The byte length of a name.
    func length(_ index: Int32) -> Int { Int(offsets[Int(index) + 1] - offsets[Int(index)]) }

    /// The first byte of a name.
    func firstByte(_ index: Int32) -> UInt8 { bytes[Int(offsets[Int(index)])] }
}
