import Crypto

/// The RFC 9162 §2.1.1 (RFC 6962 §2.1) Merkle tree hash functions with SHA-256.
///
/// - A leaf hash is `SHA-256(0x00 || entry)`.
/// - An interior node hash is `SHA-256(0x01 || left || right)`.
/// - The root of the empty tree is `SHA-256("")`.
///
/// The distinct prefixes keep a leaf from ever being mistaken for an interior node (second
/// preimage resistance).
public enum TreeHasher {
    /// The root hash of the empty tree, `SHA-256("")` (`e3b0c442…b855`).
    public static let emptyRoot = TreeHash(SHA256.hash(data: [UInt8]()))

    /// Hashes a log entry into its leaf hash, `SHA-256(0x00 || entry)`.
    ///
    /// - Parameter entry: The entry's bytes, exactly as logged.
    /// - Returns: The leaf hash.
    public static func leafHash(of entry: some Sequence<UInt8>) -> TreeHash {
        var hasher = SHA256()
        withUnsafeBytes(of: UInt8(0x00)) { hasher.update(bufferPointer: $0) }
        let hashedInPlace: Void? = entry.withContiguousStorageIfAvailable { buffer in
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
        }
        if hashedInPlace == nil {
            Array(entry).withUnsafeBytes { hasher.update(bufferPointer: $0) }
        }
        return TreeHash(hasher.finalize())
    }

    /// Hashes two child hashes into their parent's hash, `SHA-256(0x01 || left || right)`.
    ///
    /// - Parameters:
    ///   - left: The hash of the left subtree.
    ///   - right: The hash of the right subtree.
    /// - Returns: The parent's hash.
    public static func nodeHash(left: TreeHash, right: TreeHash) -> TreeHash {
        // One 65-byte buffer on the stack: this is the hot path of appends and verification.
        withUnsafeTemporaryAllocation(byteCount: 1 + 2 * TreeHash.byteCount, alignment: 8) { buffer in
            buffer[0] = 0x01
            left.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[1...32]).copyMemory(from: $0) }
            right.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[33...64]).copyMemory(from: $0) }
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
            return TreeHash(hasher.finalize())
        }
    }

    /// Computes the Merkle tree hash (MTH, RFC 9162 §2.1.1) of a list of leaf hashes from scratch.
    ///
    /// This reads every leaf hash once and keeps only O(log n) hashes in memory. It is the
    /// reference an auditor uses to recompute a root from the full log.
    ///
    /// - Parameter leafHashes: The leaf hashes, in log order.
    /// - Returns: The root hash; ``emptyRoot`` when there are no leaves.
    public static func rootHash(leafHashes: some Sequence<TreeHash>) -> TreeHash {
        var builder = CompactRange()
        for leaf in leafHashes {
            builder.append(leaf)
        }
        return builder.root
    }
}
