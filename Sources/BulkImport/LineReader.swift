import Foundation

/// Reads a file line by line in large blocks, without loading it whole.
final class LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false
    private static let blockSize = 4 << 20

    init?(path: String) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// The next line without its terminator, or `nil` at the end.
    func nextLine() -> Substring? {
        while true {
            if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > position, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: buffer[position..<end], as: UTF8.self)
                position = newline + 1
                return line[...]
            }
            if finished {
                guard position < buffer.count else { return nil }
                let line = String(decoding: buffer[position...], as: UTF8.self)
                position = buffer.count
                return line[...]
            }
            let block = (try? handle.read(upToCount: Self.blockSize)) ?? nil
            buffer.removeFirst(position)
            position = 0
            if let block, !block.isEmpty {
                buffer.append(contentsOf: block)
            } else {
                finished = true
            }
        }
    }
}
