import Foundation
import IdentityGraph
import VerifiableLog

/// `solmu audit export` files: JSON Lines. The first line is `{"checkpoint": "<signed note>"}`,
/// then one entry per line as `GET /log/entries` gives it, in sequence order.
enum LogExportFile {
    /// The checkpoint, the entries and their leaf hashes.
    static func read(_ path: String) throws -> (checkpoint: String, entries: [LinkLogEntry], leaves: [TreeHash]) {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            throw AdminError.usage("cannot read \(path)")
        }
        // Lines as byte ranges: splitting a String by Character costs seconds on a million lines.
        var lines: [Range<Int>] = []
        lines.reserveCapacity(data.count / 200)
        data.withUnsafeBytes { raw in
            var start = 0
            for (index, byte) in raw.enumerated() where byte == 0x0A {
                if index > start { lines.append(start..<index) }
                start = index + 1
            }
            if start < raw.count { lines.append(start..<raw.count) }
        }
        guard let first = lines.first,
              let header = try? JSONSerialization.jsonObject(with: data.subdata(in: first)) as? [String: Any],
              let checkpoint = header["checkpoint"] as? String
        else {
            throw AdminError.usage("\(path):1: the first line must be {\"checkpoint\": \"…\"}")
        }
        let (entries, leaves) = try LogAudit.decodeEntries(data, lines: Array(lines.dropFirst()), firstLineNumber: 2, path: path)
        return (checkpoint, entries, leaves)
    }
}
