import Foundation

/// The `sqlite3` shell, to look at and tamper with a database as an operator (or an attacker with
/// the file) could, outside the store.
enum SQLiteShell {
    /// Runs `sql` (fed on standard input, so it may be long) against the database at `path`;
    /// returns the exit status and what it printed, standard error included, trimmed.
    static func run(_ sql: String, database path: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(sql.utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// A test suite that works on a database file of its own, at `path`, and looks at it with the shell.
protocol SQLiteFileSuite {
    var path: String { get }
}

extension SQLiteFileSuite {
    /// Runs `sql` with the `sqlite3` shell against this suite's database.
    func sqlite(_ sql: String) throws -> (status: Int32, output: String) {
        try SQLiteShell.run(sql, database: path)
    }

    /// A database path under a new temporary directory named after `label`; the store creates
    /// the directories and the file.
    static func temporaryPath(_ label: String, file: String = "solmu.sqlite") -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)").appendingPathComponent(file).path
    }
}
