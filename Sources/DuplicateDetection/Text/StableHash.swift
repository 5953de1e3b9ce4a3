/// A 64-bit hash that is the same in every process, unlike `Hasher`, which is seeded per run.
/// Blocking keys are built from it so that results never depend on a random seed.
struct StableHash {
    private(set) var state: UInt64

    /// Starts a hash; `tag` keeps keys of different kinds apart.
    init(tag: UInt64) { state = Self.mix(0x9E37_79B9_7F4A_7C15 &* (tag &+ 1)) }

    mutating func combine(_ value: UInt64) {
        state = Self.mix(state ^ (value &+ 0x9E37_79B9_7F4A_7C15 &+ (state << 6) &+ (state >> 2)))
    }

    mutating func combine(bytes: some Sequence<UInt8>) {
        var hash = Bytes()
        for byte in bytes { hash.append(byte) }
        combine(hash.digest)
    }

    /// The final value, never 0 (0 means "no key" elsewhere).
    var value: UInt64 { state == 0 ? 1 : state }

    /// The splitmix64 finalizer.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The hash of one byte string under a tag.
    static func of(tag: UInt64, bytes: some Sequence<UInt8>) -> UInt64 {
        var hash = Bytes()
        let done: Bool? = bytes.withContiguousStorageIfAvailable { buffer in
            for byte in buffer { hash.append(byte) }
            return true
        }
        if done == nil {
            for byte in bytes { hash.append(byte) }
        }
        return hash.value(tag: tag)
    }

    /// FNV-1a over bytes fed one at a time, so a key can be hashed while it is being read.
    struct Bytes {
        private var fnv: UInt64 = 0xCBF2_9CE4_8422_2325
        private(set) var count: UInt64 = 0

        @inline(__always)
        mutating func append(_ byte: UInt8) {
            fnv = (fnv ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            count &+= 1
        }

        var isEmpty: Bool { count == 0 }

        /// The bytes' hash including their count.
        var digest: UInt64 { fnv ^ (count << 56) }

        /// The hash under a tag.
        func value(tag: UInt64) -> UInt64 {
            var hash = StableHash(tag: tag)
            hash.combine(digest)
            return hash.value
        }
    }
}
