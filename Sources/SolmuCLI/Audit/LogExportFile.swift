import Foundation
import IdentityGraph

/// `solmu audit export` files: JSON Lines. The first line is `{"checkpoint": "<signed note>"}`,
/// then one entry per line as `GET /log/entries` gives it, in sequence order.
enum LogExportFile {
    static func read(_ path: String) throws -> (checkpoint: String, entries: [LinkLogEntry]) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw AdminError.usage("cannot read \(path)") }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
        guard let first = lines.next(),
              let header = try? JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any],
              let checkpoint = header["checkpoint"] as? String
        else {
            throw AdminError.usage("\(path):1: the first line must be {\"checkpoint\": \"…\"}")
        }
        var rest: [Substring] = []
        while let line = lines.next() { rest.append(line) }
        let entries = try LogAudit.decodeEntries(rest, firstLineNumber: 2, path: path)
        return (checkpoint, entries)
    }
}
