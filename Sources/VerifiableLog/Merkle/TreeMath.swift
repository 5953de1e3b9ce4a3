/// Index arithmetic for RFC 9162 Merkle trees, shared by the tree, the verifier and stores.
///
/// Nodes are addressed as `(level, index)`: level 0 holds the leaves, and node `(level, index)` is
/// the root of the perfect subtree over leaves `index << level ..< (index + 1) << level`. Only such
/// perfect ("complete") subtrees have a fixed hash once their last leaf is appended; every other
/// hash a proof needs is computed from O(log n) of them.
public enum TreeMath {
    /// The split point `k` of MTH (RFC 9162 §2.1.1): the largest power of two smaller than `n`.
    ///
    /// - Parameter n: A tree size, at least 2 (a smaller value stops the program).
    /// - Returns: `k` with `k < n <= 2k`.
    public static func largestPowerOfTwo(lessThan n: UInt64) -> UInt64 {
        precondition(n >= 2, "a tree of \(n) leaves has no split")
        return 1 << (63 - (n - 1).leadingZeroBitCount)
    }

    /// The perfect subtrees that make up the first `size` leaves, largest (leftmost) first.
    ///
    /// The root hash of a tree of `size` leaves is these subtrees' hashes folded from the right,
    /// so a store that keeps every perfect subtree's hash can answer a root for any past size.
    ///
    /// - Parameter size: A tree size.
    /// - Returns: One `(level, index)` per set bit of `size`.
    public static func perfectSubtrees(size: UInt64) -> [(level: Int, index: UInt64)] {
        perfectSubtrees(start: 0, count: size)
    }

    /// The number of hashes in a valid inclusion proof (RFC 9162 §2.1.3.1).
    ///
    /// - Parameters:
    ///   - index: The leaf index, less than `size` (otherwise the program stops; verifiers check
    ///     the range first).
    ///   - size: The tree size.
    /// - Returns: The exact proof length.
    public static func inclusionProofLength(index: UInt64, size: UInt64) -> Int {
        precondition(index < size, "leaf \(index) is not in a tree of \(size) leaves")
        // Levels where the path to the last leaf diverges, then one hash per left turn above them.
        let inner = 64 - (index ^ (size - 1)).leadingZeroBitCount
        let border = (index >> UInt64(inner)).nonzeroBitCount
        return inner + border
    }

    /// The number of hashes in a valid consistency proof (RFC 9162 §2.1.4.1).
    ///
    /// - Parameters:
    ///   - from: The older size, with `0 < from < to` (otherwise the program stops; verifiers
    ///     check the sizes first).
    ///   - to: The newer size.
    /// - Returns: The exact proof length.
    public static func consistencyProofLength(from: UInt64, to: UInt64) -> Int {
        precondition(0 < from && from < to, "consistency proofs exist for 0 < from < to, not \(from) → \(to)")
        // The proof is the inclusion path of leaf from-1 in the new tree, minus the levels inside
        // the perfect subtree that ends at `from`, plus that subtree's hash unless `from` is a
        // power of two (then the verifier already knows it: it is the old root).
        let shift = from.trailingZeroBitCount
        let path = inclusionProofLength(index: from - 1, size: to) - shift
        return from == 1 << UInt64(shift) ? path : path + 1
    }

    /// The perfect subtrees covering `count` leaves from `start`, largest first. `start` must be a
    /// multiple of the largest of them, as every subtree of the MTH recursion is.
    static func perfectSubtrees(start: UInt64, count: UInt64) -> [(level: Int, index: UInt64)] {
        var result: [(level: Int, index: UInt64)] = []
        var offset = start
        var remaining = count
        while remaining > 0 {
            let level = 63 - remaining.leadingZeroBitCount
            result.append((level, offset >> UInt64(level)))
            offset += 1 << UInt64(level)
            remaining -= 1 << UInt64(level)
        }
        return result
    }
}
