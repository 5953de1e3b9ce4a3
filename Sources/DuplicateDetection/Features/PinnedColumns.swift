/// Memory for the columns that the scoring loop reads, copied out of arrays once and freed
/// together when the owner goes away.
///
/// The loop reads them through `UnsafeBufferPointer`s: two threads reading the same Swift arrays
/// would update the arrays' reference counts on every access and fight over those cache lines.
final class PinnedColumns: @unchecked Sendable {
    private var buffers: [UnsafeMutableRawBufferPointer] = []

    /// A pinned copy of `array`, valid while this object lives.
    func pin<T: BitwiseCopyable>(_ array: [T]) -> UnsafeBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, array.count))
        _ = buffer.initialize(from: array)
        buffers.append(UnsafeMutableRawBufferPointer(buffer))
        return UnsafeBufferPointer(rebasing: buffer[0..<array.count])
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }
}
