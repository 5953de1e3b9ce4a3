public import Crypto

/// A 32-byte SHA-256 hash in a Merkle tree: a leaf hash, an interior node hash or a root hash.
///
/// The bytes are kept inline (no heap allocation), so a store can hold millions of them cheaply and
/// comparing two hashes costs four word comparisons.
public struct TreeHash: Hashable, Sendable, CustomStringConvertible {
    /// The number of bytes in a hash (SHA-256).
    public static let byteCount = 32

    private var words: (UInt64, UInt64, UInt64, UInt64)

    private static let zero = TreeHash(words: (0, 0, 0, 0))

    private init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
    }

    /// Creates a hash from exactly 32 bytes.
    ///
    /// - Parameter bytes: The hash's bytes, in order.
    /// - Returns: `nil` when `bytes` does not hold exactly ``byteCount`` bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        self = .zero
        // Contiguous storage (arrays, Data, buffers: every caller in practice) is copied in one
        // move; the generic byte loop costs more than the SQLite read that produced the bytes.
        let copied: Void? = bytes.withContiguousStorageIfAvailable { source in
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(source)) }
        }
        if copied == nil {
            withUnsafeMutableBytes(of: &words) { target in
                for (offset, byte) in bytes.enumerated() {
                    target[offset] = byte
                }
            }
        }
    }

    /// Creates a hash from exactly 32 bytes of raw memory (a database column, a file).
    ///
    /// - Parameter rawBytes: The hash's bytes, in order.
    /// - Returns: `nil` when `rawBytes` does not hold exactly ``byteCount`` bytes.
    public init?(rawBytes: UnsafeRawBufferPointer) {
        guard rawBytes.count == Self.byteCount else { return nil }
        self = .zero
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: rawBytes) }
    }

    /// Creates a hash from a SHA-256 digest.
    ///
    /// - Parameter digest: The digest whose bytes become the hash.
    public init(_ digest: SHA256Digest) {
        self = .zero
        digest.withUnsafeBytes { source in
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: source) }
        }
    }

    /// Creates a hash from its standard base64 encoding (RFC 4648 §4, with padding).
    ///
    /// - Parameter base64: 44 characters that decode canonically to 32 bytes.
    /// - Returns: `nil` when the text is not canonical base64 of exactly 32 bytes.
    public init?(base64: some StringProtocol) {
        guard let bytes = Base64.decode(base64), let hash = TreeHash(bytes: bytes) else { return nil }
        self = hash
    }

    /// Creates a hash from 64 hexadecimal digits (either case).
    ///
    /// - Parameter hex: The hexadecimal text.
    /// - Returns: `nil` when the text is not 64 hexadecimal digits.
    public init?(hex: some StringProtocol) {
        let digits = Array(hex.utf8)
        guard digits.count == 2 * Self.byteCount else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Self.byteCount)
        var index = 0
        while index < digits.count {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.init(bytes: bytes)
    }

    /// The hash's 32 bytes.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// The standard base64 encoding with padding, as used in checkpoints and proofs.
    public var base64: String {
        withUnsafeBytes { Base64.encode($0) }
    }

    /// The lowercase hexadecimal encoding.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(2 * Self.byteCount)
        withUnsafeBytes { raw in
            for byte in raw {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The lowercase hexadecimal encoding.
    public var description: String { hex }

    /// Calls `body` with the hash's 32 bytes.
    ///
    /// - Parameter body: A closure that reads the bytes; the pointer is valid only during the call.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        var copy = words
        return try Swift.withUnsafeBytes(of: &copy, body)
    }

    /// Whether two hashes have the same 32 bytes.
    ///
    /// - Parameters:
    ///   - lhs: A hash.
    ///   - rhs: Another hash.
    /// - Returns: `true` when every byte is equal.
    public static func == (lhs: TreeHash, rhs: TreeHash) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1
            && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    /// Feeds the hash's bytes to `hasher`.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
