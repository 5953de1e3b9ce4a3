import Foundation

/// Running the programs the benchmark drives. Arguments always go to the program as an array,
/// never through a shell.
enum Subprocess {
    /// The executable `name` names: a path if it contains a slash, otherwise looked up on `PATH`.
    static func locate(_ name: String) -> URL? {
        let manager = FileManager.default
        if name.contains("/") {
            let url = URL(fileURLWithPath: name)
            return manager.isExecutableFile(atPath: url.path) ? url : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if manager.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs `executable` to completion.
    /// - Returns: Its exit status and its standard output and standard error, interleaved.
    /// - Parameters:
    ///   - environment: variables added to this process's environment.
    ///   - separateErrors: capture standard output only (errors and progress are dropped).
    static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:], separateErrors: Bool = false
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = separateErrors ? FileHandle.nullDevice : pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw BenchmarkError("cannot start \(executable.path): \(error.localizedDescription)")
        }
        RunningChildren.add(process.processIdentifier)
        defer { RunningChildren.remove(process.processIdentifier) }
        // Read before waiting: a child blocked on a full pipe would never exit.
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
