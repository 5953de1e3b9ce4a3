public import CustomerLogin
import Foundation
public import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Development sender: writes each message to `<directory>/<id>.json` (see ``MessageDocument``)
/// instead of sending it, so a developer can read the one-time code from disk.
///
/// The directory is created with mode 0700 when missing, each file with mode 0600, and a file is
/// written under a temporary name, flushed and then renamed, so that a reader never sees half a
/// message. The log line it writes is redacted: kind, id and a masked destination, never the
/// payload, which holds the code.
public struct FileMessageSender: MessageSender {
    /// Where the files go.
    public let directory: String
    private let logger: Logger

    /// - Parameters:
    ///   - directory: The folder for message files; created on first use.
    ///   - logger: Receives one `.info` line per message.
    public init(directory: String, logger: Logger = Logger(label: "solmu.messaging.file")) {
        self.directory = directory
        self.logger = logger
    }

    /// Writes `message` to `<directory>/<id>.json`, replacing an earlier write of the same message.
    ///
    /// - Throws: ``MessagingError/invalidDestination`` when the id cannot be a file name,
    ///   ``MessagingError/fileWriteFailed`` when the file cannot be written.
    public func send(_ message: OutboxMessage) async throws {
        guard Self.isSafeFileName(message.id) else { throw MessagingError.invalidDestination }
        let data = try MessageDocument(message).encoded(pretty: true)
        try self.createDirectory()
        let path = "\(self.directory)/\(message.id).json"
        try Self.writeAtomically(data, to: path)
        self.logger.info(
            "Message written to file",
            metadata: [
                "message_kind": "\(message.kind.rawValue)",
                "message_id": "\(message.id)",
                "destination": "\(DestinationMask.mask(message.destination))",
            ]
        )
    }

    /// The path of the file for the message with `id`.
    public func path(forMessage id: String) -> String {
        "\(self.directory)/\(id).json"
    }

    private func createDirectory() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: self.directory, isDirectory: &isDirectory), isDirectory.boolValue {
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: self.directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            // The mode given to mkdir passes through the umask; set it exactly.
            _ = chmod(self.directory, 0o700)
        } catch {
            throw MessagingError.fileWriteFailed
        }
    }

    private static func isSafeFileName(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 200 && !id.hasPrefix(".")
            && id.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" || $0 == ".") }
    }

    /// Writes `data` to a new temporary file in the same folder with mode 0600, flushes it and
    /// renames it over `path`: readers see the old file or the whole new one, nothing between.
    private static func writeAtomically(_ data: Data, to path: String) throws {
        let temporary = "\(path).\(UInt64.random(in: 0...UInt64.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw MessagingError.fileWriteFailed }
        var written = 0
        let ok: Bool = data.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return true }
            while written < buffer.count {
                let result = write(fd, base + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += result
            }
            return true
        }
        let flushed = ok && fchmod(fd, 0o600) == 0 && fsync(fd) == 0
        close(fd)
        guard flushed, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw MessagingError.fileWriteFailed
        }
    }
}
