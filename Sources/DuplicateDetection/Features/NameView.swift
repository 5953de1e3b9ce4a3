/// The names of a ``NameTable`` as raw buffers.
struct NameView: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
    let offsets: UnsafeBufferPointer<Int32>
    let groupOffsets: UnsafeBufferPointer<Int32>
    let groups: UnsafeBufferPointer<Int32>

    init(_ table: NameTable, in storage: PinnedColumns) {
        bytes = storage.pin(table.bytes)
        offsets = storage.pin(table.offsets)
        groupOffsets = storage.pin(table.groupOffsets)
        groups = storage.pin(table.groups)
    }

    /// The bytes of a name.
    @inline(__always) func name(_ index: Int32) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[Int(offsets[Int(index)])..<Int(offsets[Int(index) + 1])])
    }

    /// The byte length of a name.
    @inline(__always) func length(_ index: Int32) -> Int { Int(offsets[Int(index) + 1] - offsets[Int(index)]) }

    /// The first byte of a name.
    @inline(__always) func firstByte(_ index: Int32) -> UInt8 { bytes[Int(offsets[Int(index)])] }

    /// Jaro–Winkler similarity of two names.
    func similarity(_ a: Int32, _ b: Int32) -> Double {
        a == b ? 1 : JaroWinkler.similarity(name(a), name(b))
    }

    /// Whether two names are one edit apart.
    func isOneEdit(_ a: Int32, _ b: Int32) -> Bool {
        EditDistance.isOneEdit(name(a), name(b))
    }

    /// Whether a name is in the nickname table at all, i.e. a known given name.
    func isKnownName(_ index: Int32) -> Bool {
        groupOffsets[Int(index) + 1] > groupOffsets[Int(index)]
    }

    /// Whether two names are in a common nickname group.
    func shareNicknameGroup(_ a: Int32, _ b: Int32) -> Bool {
        let aStart = Int(groupOffsets[Int(a)]), aEnd = Int(groupOffsets[Int(a) + 1])
        guard aStart < aEnd else { return false }
        let bStart = Int(groupOffsets[Int(b)]), bEnd = Int(groupOffsets[Int(b) + 1])
        guard bStart < bEnd else { return false }
        for i in aStart..<aEnd {
            for j in bStart..<bEnd where groups[i] == groups[j] { return true }
        }
        return false
    }
}
