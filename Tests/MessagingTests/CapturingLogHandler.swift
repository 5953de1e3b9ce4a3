import Logging
import Synchronization

/// A `LogHandler` that keeps every line, so tests can check what was (not) logged.
struct CapturingLogHandler: LogHandler {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata

        /// The message and every metadata value, as one string to search.
        var rendered: String {
            ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    final class Lines: Sendable {
        private let lines = Mutex<[Line]>([])
        var all: [Line] { self.lines.withLock { $0 } }
        func append(_ line: Line) { self.lines.withLock { $0.append(line) } }
    }

    let lines: Lines
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        self.lines.append(Line(level: event.level, message: event.message.description, metadata: self.metadata.merging(event.metadata ?? [:]) { $1 }))
    }

    /// A logger writing into a fresh `Lines`.
    static func logger() -> (Logger, Lines) {
        let lines = Lines()
        return (Logger(label: "test") { _ in CapturingLogHandler(lines: lines) }, lines)
    }
}
