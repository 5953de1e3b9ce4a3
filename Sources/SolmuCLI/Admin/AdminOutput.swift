import Foundation

/// How admin commands print: aligned tables for people, the server's JSON for scripts, and
/// progress on standard error so that it never mixes with results.
enum AdminOutput {
    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func printJSON(_ data: Data) {
        if let object = try? JSONSerialization.jsonObject(with: data),
           let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) {
            print(String(decoding: pretty, as: UTF8.self))
        } else {
            print(String(decoding: data, as: UTF8.self))
        }
    }

    static func printJSON(_ object: Any) {
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) {
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// A progress line on standard error, rewritten in place on a terminal.
    static func progress(_ text: String) {
        let terminal = isatty(STDERR_FILENO) == 1
        FileHandle.standardError.write(Data((terminal ? "\r\u{1B}[K" + text : text + "\n").utf8))
    }

    static func endProgress() {
        if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func warn(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// A plain-text table with columns as wide as their widest cell.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: String...) {
        self.headers = headers
    }

    mutating func add(_ cells: String...) {
        rows.append(cells)
    }

    var rendered: String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}

/// Reads fields of the admin API's JSON without ceremony.
extension Dictionary where Key == String, Value == Any {
    func text(_ key: String) -> String {
        switch self[key] {
        case let string as String: string
        case let number as NSNumber: number.stringValue
        case nil, is NSNull: "-"
        case let other?: "\(other)"
        }
    }

    func objects(_ key: String) -> [[String: Any]] {
        self[key] as? [[String: Any]] ?? []
    }

    func object(_ key: String) -> [String: Any] {
        self[key] as? [String: Any] ?? [:]
    }
}

extension Array where Element == [String: Any] {
    /// Identifier links as a table: kind, namespace, value, assurance, channel, time.
    var linkTable: String {
        var table = TextTable("KIND", "NAMESPACE", "VALUE", "ASSURANCE", "CHANNEL", "LINKED AT")
        for link in self {
            table.add(link.text("kind"), link.text("namespace"), link.text("value"), link.text("assurance"), link.text("channel"), link.text("linked_at"))
        }
        return table.rendered
    }
}
