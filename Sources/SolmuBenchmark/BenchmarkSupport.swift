import ArgumentParser
import Foundation

/// A benchmark subcommand: `measure()` does the work; `run()` stops the children on a signal and
/// turns a `BenchmarkError` into a message and exit status 1.
protocol Benchmark: ParsableCommand {
    func measure() throws
}

extension Benchmark {
    func run() throws {
        RunningChildren.stopOnSignals()
        do {
            try measure()
        } catch let error as BenchmarkError {
            FileHandle.standardError.write(Data("solmu-benchmark: error: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// The measured binary, the policies and the report file, shared by every benchmark.
struct BenchmarkPaths: ParsableArguments {
    @Option(help: "The solmu binary to measure.")
    var solmu = ".build/release/solmu"

    @Option(help: "The policy directory the server and import use.")
    var policies = "policies"

    @Option(help: "Also write the Markdown report to this file.")
    var output: String?

    /// The binary, or an error that says how to build it.
    func locateSolmu() throws -> URL {
        guard let url = Subprocess.locate(solmu) else {
            throw BenchmarkError("no solmu binary at \(solmu): build it with `swift build -c release --product solmu` or pass --solmu PATH")
        }
        return url
    }

    /// Prints the report and writes it to `--output`.
    func publish(_ report: String) throws {
        print(report)
        if let output { try report.write(toFile: output, atomically: true, encoding: .utf8) }
    }
}

/// A work directory with a fresh (deleted) database, and the storage flags that point at it.
struct BenchmarkDirectory {
    let url: URL
    let database: URL
    let keys: String
    let storage: [String]

    /// With `postgres`, the database is that URL instead of the SQLite file.
    init(_ path: String, policies: String, fresh: Bool = true, postgres: String? = nil) throws {
        url = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        database = url.appendingPathComponent("solmu.sqlite")
        keys = url.appendingPathComponent("keys").path
        storage = ["--database", postgres ?? ("sqlite:" + database.path), "--keys", keys, "--policies", policies]
        if fresh {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: database.path + suffix) }
        }
    }

    /// Runs `solmu import FILE` into the database; returns the wall time and the summary line.
    func importCustomers(_ file: URL, solmu: URL, extraArguments: [String] = []) throws -> (seconds: Double, summary: String) {
        var run: (status: Int32, output: String) = (0, "")
        let elapsed = try ContinuousClock().measure {
            run = try Subprocess.run(solmu, ["import", file.path, "--quiet"] + extraArguments + storage)
        }
        guard run.status == 0 else { throw BenchmarkError("solmu import exited with status \(run.status):\n\(run.output)") }
        return (elapsed.seconds, run.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// A progress line on standard error, with the time.
func progress(_ message: String) {
    let time = Date().formatted(.iso8601.time(includingFractionalSeconds: false))
    FileHandle.standardError.write(Data("[\(time)] \(message)\n".utf8))
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: Double { seconds * 1_000 }
}

/// `12.3` for a report.
func oneDecimal(_ value: Double) -> String { String(format: "%.1f", value) }

/// A PostgreSQL database made fresh for a benchmark run, through `psql` and an admin URL.
struct PostgresBenchmarkDatabase {
    /// The URL of the benchmark's own database (same server and credentials as the admin URL).
    let url: String

    static let name = "solmu_benchmark"

    /// Drops and creates `solmu_benchmark` on the server of `adminURL` (unless `reuse`).
    init(adminURL: String, reuse: Bool) throws {
        guard var components = URLComponents(string: adminURL), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw BenchmarkError("--postgres needs a postgres:// URL of a database the user may create databases from")
        }
        if !reuse {
            for sql in ["DROP DATABASE IF EXISTS \(Self.name) WITH (FORCE)", "CREATE DATABASE \(Self.name)"] {
                let run = try Subprocess.run(URL(fileURLWithPath: "/usr/bin/env"), ["psql", adminURL, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
                guard run.status == 0 else { throw BenchmarkError("psql could not run \(sql): \(run.output.prefix(300))") }
            }
        }
        components.path = "/" + Self.name
        guard let url = components.string else { throw BenchmarkError("cannot build the benchmark database's URL") }
        self.url = url
    }
}
