/// Jaro–Winkler similarity (Winkler 1990): 1 for equal strings, 0 for strings without a common
/// character. The prefix boost (scale 0.1, at most 4 characters) applies when the Jaro similarity
/// is above 0.7.
enum JaroWinkler {
    /// The similarity of two byte strings (folded names are ASCII in practice).
    static func similarity(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        let jaro = jaroSimilarity(a, b)
        guard jaro > 0.7 else { return jaro }
        var prefix = 0
        let limit = min(4, a.count, b.count)
        while prefix < limit && a[prefix] == b[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    /// The similarity of two strings, compared by UTF-8 bytes.
    static func similarity(_ a: String, _ b: String) -> Double {
        var a = a, b = b
        return a.withUTF8 { a in b.withUTF8 { b in similarity(a, b) } }
    }

    /// Jaro similarity without the prefix boost.
    static func jaroSimilarity(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty ? 1 : 0 }
        // Ordered so that the result does not depend on the argument order.
        let aFirst = a.count < b.count || (a.count == b.count && !b.lexicographicallyPrecedes(a))
        let (short, long) = aFirst ? (a, b) : (b, a)
        let window = max(0, long.count / 2 - 1)
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: short.count + long.count) { flags in
            flags.initialize(repeating: false)
            let shortMatched = UnsafeMutableBufferPointer(rebasing: flags[0..<short.count])
            let longMatched = UnsafeMutableBufferPointer(rebasing: flags[short.count...])
            var matches = 0
            for i in 0..<short.count {
                let lower = max(0, i - window)
                let upper = min(long.count - 1, i + window)
                guard lower <= upper else { continue }
                for j in lower...upper where !longMatched[j] && short[i] == long[j] {
                    shortMatched[i] = true
                    longMatched[j] = true
                    matches += 1
                    break
                }
            }
            guard matches > 0 else { return 0 }
            var transpositions = 0
            var j = 0
            for i in 0..<short.count where shortMatched[i] {
                while !longMatched[j] { j += 1 }
                if short[i] != long[j] { transpositions += 1 }
                j += 1
            }
            let m = Double(matches)
            return (m / Double(short.count) + m / Double(long.count) + (m - Double(transpositions / 2)) / m) / 3
        }
    }
}
