/// Whether two strings are one edit apart: one substitution, insertion or deletion, or two
/// adjacent characters swapped (optimal string alignment distance 1). Linear time, no allocation.
enum EditDistance {
    static func isOneEdit(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        guard long.count - short.count <= 1 else { return false }
        var prefix = 0
        while prefix < short.count && short[prefix] == long[prefix] { prefix += 1 }
        if prefix == short.count { return long.count == short.count + 1 }
        if short.count == long.count {
            // Substitution at `prefix`, or `prefix` and `prefix + 1` swapped.
            if suffixEqual(short, prefix + 1, long, prefix + 1) { return true }
            return prefix + 1 < short.count
                && short[prefix] == long[prefix + 1] && short[prefix + 1] == long[prefix]
                && suffixEqual(short, prefix + 2, long, prefix + 2)
        }
        // One character inserted into the shorter one at `prefix`.
        return suffixEqual(short, prefix, long, prefix + 1)
    }

    private static func suffixEqual(_ a: UnsafeBufferPointer<UInt8>, _ i: Int, _ b: UnsafeBufferPointer<UInt8>, _ j: Int) -> Bool {
        guard a.count - i == b.count - j else { return false }
        var i = i, j = j
        while i < a.count {
            if a[i] != b[j] { return false }
            i += 1
            j += 1
        }
        return true
    }
}
