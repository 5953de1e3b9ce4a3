/// A ``FeatureTable`` as raw buffers, for the scoring loop. Trivially copyable: no reference
/// counting per access. Valid while the ``PinnedColumns`` it came from lives.
struct FeatureView: @unchecked Sendable {
    let records: UnsafeBufferPointer<RecordFeature>
    let tokens: UnsafeBufferPointer<Int32>
    let identifiers: UnsafeBufferPointer<IdentifierFeature>
    let names: NameView

    init(_ table: FeatureTable, in storage: PinnedColumns) {
        records = storage.pin(table.records)
        tokens = storage.pin(table.tokens)
        identifiers = storage.pin(table.identifiers)
        names = NameView(table.names, in: storage)
    }
}

/// A name as the comparison sees it: the full folded form and its tokens.
struct NameTokens {
    let full: Int32
    private let start: Int
    let count: Int
    private let pool: UnsafeBufferPointer<Int32>

    @inline(__always)
    init(full: Int32, start: Int32, count: UInt8, pool: UnsafeBufferPointer<Int32>) {
        self.full = full
        self.start = Int(start)
        self.count = full < 0 ? 0 : Int(count)
        self.pool = pool
    }

    /// Token `index`; a single-token name is its full form.
    @inline(__always)
    subscript(index: Int) -> Int32 { count == 1 ? full : pool[start + index] }
}

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

/// Identifier kinds as small integers for the columns.
enum IdentifierKindCode {
    static let email: UInt8 = 0
    static let phone: UInt8 = 1
    static let social: UInt8 = 2
    static let loyaltyCard: UInt8 = 3
    static let receipt: UInt8 = 4
}
