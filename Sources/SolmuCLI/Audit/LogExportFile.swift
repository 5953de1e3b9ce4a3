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
        var entries: [LinkLogEntry] = []
        var number = 1
        while let line = lines.next() {
            number += 1
            do {
                entries.append(try LogAudit.decoder.decode(LinkLogEntry.self, from: Data(line.utf8)))
            } catch {
                throw LogAudit.Finding(sequence: nil, problem: "\(path):\(number): not a link-log entry")
            }
        }
        return (checkpoint, entries)
    }
}
