/// Remembers how two single-token names compared, per scoring thread: blocks pair the same
/// common names again and again, and Jaro–Winkler is the costliest part of a comparison.
///
/// Direct-mapped: a slot holds the last pair that hashed to it.
struct NameComparisonCache: ~Copyable {
    private static let slotCount = 1 << 16
    private let keys: UnsafeMutablePointer<UInt64>
    private let outcomes: UnsafeMutablePointer<PairScorer.NameOutcome>

    init() {
        keys = .allocate(capacity: Self.slotCount)
        keys.initialize(repeating: 0, count: Self.slotCount)
        outcomes = .allocate(capacity: Self.slotCount)
        outcomes.initialize(repeating: .missing, count: Self.slotCount)
    }

    deinit {
        keys.deallocate()
        outcomes.deallocate()
    }

    @inline(__always)
    private static func key(_ a: Int32, _ b: Int32, _ nicknames: Bool) -> UInt64 {
        let low = UInt64(UInt32(bitPattern: min(a, b))), high = UInt64(UInt32(bitPattern: max(a, b)))
        return (high << 32 | low) << 1 | (nicknames ? 1 : 0) | (1 << 63)
    }

    @inline(__always)
    private static func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: StableHash.mix(key) >> 48)
    }

    /// The remembered outcome, or `nil`.
    @inline(__always)
    func lookup(_ a: Int32, _ b: Int32, nicknames: Bool) -> PairScorer.NameOutcome? {
        let key = Self.key(a, b, nicknames)
        let slot = Self.slot(key)
        return keys[slot] == key ? outcomes[slot] : nil
    }

    @inline(__always)
    func store(_ a: Int32, _ b: Int32, nicknames: Bool, _ outcome: PairScorer.NameOutcome) {
        let key = Self.key(a, b, nicknames)
        let slot = Self.slot(key)
        keys[slot] = key
        outcomes[slot] = outcome
    }
}
