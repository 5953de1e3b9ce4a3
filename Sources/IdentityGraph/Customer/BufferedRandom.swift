#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random bytes from the operating system's generator (`arc4random_buf(3)`: `getrandom(2)` on
/// Linux), fetched a buffer at a time.
///
/// `SystemRandomNumberGenerator`, and swift-crypto's new keys and nonces that use it, make one
/// system call per 8 bytes. A bulk import needs about 170 bytes per customer (id, two keys, five
/// nonces): twenty calls, a sixth of its preparation. This asks the kernel once per buffer and
/// hands the bytes out in order, zeroing each byte in the buffer as it goes. The bytes are the
/// kernel generator's own, so they are as good as `SystemRandomNumberGenerator`'s.
///
/// A value type meant for one task at a time (it is not `Sendable`): a copy would hand out the
/// same bytes twice, so pass it `inout`, never by value.
public struct BufferedRandom: RandomNumberGenerator {
    private var buffer: [UInt8]
    private var position: Int

    /// - Parameter capacity: bytes fetched per system call.
    public init(capacity: Int = 4_096) {
        precondition(capacity >= 64, "a buffer smaller than 64 bytes saves nothing")
        buffer = [UInt8](repeating: 0, count: capacity)
        position = capacity
    }

    public mutating func next() -> UInt64 {
        var value: UInt64 = 0
        withUnsafeMutableBytes(of: &value) { fill($0) }
        return value
    }

    /// Fills `output` from the buffer, refilling it from the kernel as often as needed.
    private mutating func fill(_ output: UnsafeMutableRawBufferPointer) {
        var written = 0
        while written < output.count {
            if position == buffer.count { refill() }
            let take = min(output.count - written, buffer.count - position)
            buffer.withUnsafeMutableBytes { source in
                let range = position..<(position + take)
                output.baseAddress!.advanced(by: written).copyMemory(from: source.baseAddress!.advanced(by: position), byteCount: take)
                // Handed out: nothing of it stays in this buffer.
                UnsafeMutableRawBufferPointer(rebasing: source[range]).initializeMemory(as: UInt8.self, repeating: 0)
            }
            position += take
            written += take
        }
    }

    private mutating func refill() {
        // glibc (2.36 and later) and Darwin: the kernel's generator, retrying interrupted calls.
        buffer.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
        position = 0
    }
}

extension RandomNumberGenerator {
    /// `count` random bytes, eight from each `next()`.
    mutating func bytes(count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 7)
        while bytes.count < count {
            withUnsafeBytes(of: next()) { bytes.append(contentsOf: $0) }
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }
}
