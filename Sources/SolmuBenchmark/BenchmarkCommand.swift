import ArgumentParser
import Foundation

/// `solmu-benchmark`: the service benchmark (the default) and the admin benchmark.
struct SolmuBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solmu-benchmark",
        abstract: "Measure Solmu. Benchmarks print figures; they are not tests.",
        subcommands: [BenchmarkCommand.self, AdminBenchmarkCommand.self, LogBenchmarkCommand.self],
        defaultSubcommand: BenchmarkCommand.self
    )
}

/// `solmu-benchmark service`: import a generated customer base, then load the server with wrk.
struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Measure Solmu: bulk import, then resolve and token throughput with wrk (the default).",
        discussion: """
            Generates a deterministic NDJSON file of customers (email, Finnish mobile phone, plussa
            card each) in the work directory, imports it into a fresh SQLite database with
            `solmu import`, starts `solmu serve` on a free 127.0.0.1 port and runs wrk against
            /health/live, GET /v1/resolve and POST /oauth/token. Prints a Markdown report.
            Build the server first: swift build -c release --product solmu
            """
    )

    @Option(help: "Customers to generate and import, 3 identifiers each.")
    var customers = 1_000_000

    @Option(help: "Seconds of load per endpoint.")
    var duration = 20

    @Option(help: "wrk connections.")
    var connections = 64

    @Option(help: "wrk threads.")
    var threads = 2

    @Option(help: "Where the data, database, keys, scripts and logs go (never commit it).")
    var workDir = ".build/benchmark"

    @Option(help: "The solmu binary to measure.")
    var solmu = ".build/release/solmu"

    @Option(help: "The wrk binary: a path, or a name looked up on PATH.")
    var wrk = "wrk"

    @Option(help: "The policy directory the server and import use.")
    var policies = "policies"

    @Flag(help: "Reuse the database in the work directory instead of generating and importing.")
    var skipImport = false

    @Option(help: "Also write the Markdown report to this file.")
    var output: String?

    @Option(help: "Seed of the generated data.")
    var seed: UInt64 = 42

    @Option(help: "Identifiers the resolve load rotates over.")
    var sampleSize = 10_000

    @Option(help: "The channel (OAuth client) whose token the resolve load uses and whose credentials the token load posts.")
    var client = "webshop"

    @Option(help: "The channel's secret (default: the development secret <client>-dev-secret).")
    var clientSecret: String?

    func validate() throws {
        guard (1...SyntheticCustomer.maximumCount).contains(customers) else {
            throw ValidationError("--customers must be from 1 to \(SyntheticCustomer.maximumCount)")
        }
        guard (1...3600).contains(duration) else { throw ValidationError("--duration must be from 1 to 3600 seconds") }
        guard threads >= 1, connections >= threads else {
            throw ValidationError("--threads must be at least 1 and --connections at least --threads")
        }
        guard sampleSize >= 9 else { throw ValidationError("--sample-size must be at least 9 (one of each input form)") }
    }

    func run() throws {
        RunningChildren.stopOnSignals()
        do {
            try measure()
        } catch let error as BenchmarkError {
            FileHandle.standardError.write(Data("solmu-benchmark: error: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func measure() throws {
        let loadBefore = MachineDescription.loadAverage()
        if let loadBefore, loadBefore > 0.5 {
            progress("warning: load average \(loadBefore) before the start: other processes are busy, the figures will be lower")
        }
        guard let solmu = Subprocess.locate(solmu) else {
            throw BenchmarkError("no solmu binary at \(self.solmu): build it with `swift build -c release --product solmu` or pass --solmu PATH")
        }
        let wrk = try WrkRunner.locate(self.wrk)
        guard FileManager.default.fileExists(atPath: policies) else {
            throw BenchmarkError("no policy directory at \(policies): run from the repository root or pass --policies DIR")
        }
        let directory = URL(fileURLWithPath: workDir, isDirectory: true).standardizedFileURL
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = directory.appendingPathComponent("solmu.sqlite")
        let storage = ["--database", "sqlite:" + database.path,
                       "--keys", directory.appendingPathComponent("keys").path, "--policies", policies]
        let dataSet = DataSet(customers: customers, seed: seed, directory: directory)

        var importResult: ImportResult?
        if skipImport {
            guard FileManager.default.fileExists(atPath: database.path) else {
                throw BenchmarkError("--skip-import: no database at \(database.path); run once without --skip-import")
            }
            progress("reusing \(database.path); the sample assumes it holds --customers \(customers) --seed \(seed)")
        } else {
            importResult = try importCustomers(dataSet: dataSet, solmu: solmu, database: database, storage: storage)
        }

        let sample = dataSet.sample(count: sampleSize)
        let sampleFiles = try dataSet.writeSample(sample)
        progress("sampled \(sample.count) identifiers to resolve: \(sampleFiles.table.path)")

        let port = try LoopbackHTTP.freePort()
        progress("starting solmu serve on 127.0.0.1:\(port) (log: \(directory.appendingPathComponent("server.log").path))")
        let server = try ServerProcess(solmu: solmu, port: port, storage: storage, log: directory.appendingPathComponent("server.log"))
        let report: BenchmarkReport
        do {
            defer {
                progress("stopping the server (SIGTERM)")
                let status = server.stop()
                if status != 0 {
                    progress("warning: the server " + (status.map { "exited with status \($0)" } ?? "did not stop within 20 s and was killed"))
                }
            }
            report = try load(server: server, solmu: solmu, loadBefore: loadBefore, wrk: wrk, sample: sample, pathsFile: sampleFiles.paths, directory: directory, importResult: importResult)
        }

        print(report.markdown)
        if let output {
            try report.markdown.write(toFile: output, atomically: true, encoding: .utf8)
            progress("report written to \(output)")
        }
        if !report.invalidities.isEmpty {
            throw BenchmarkError("the run is invalid: " + report.invalidities.joined(separator: "; "))
        }
    }

    /// Generates the customers (or reuses an identical file) and imports them into a fresh database.
    private func importCustomers(dataSet: DataSet, solmu: URL, database: URL, storage: [String]) throws -> ImportResult {
        let clock = ContinuousClock()
        progress("generating \(customers) customers (seed \(seed)) into \(dataSet.ndjsonFile.path)")
        let generation = try clock.measure { _ = try dataSet.writeCustomers() }
        progress("customers file ready in \(generation.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))")

        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: database.path + suffix)
        }
        try? FileManager.default.removeItem(at: dataSet.rejectsFile)
        progress("running solmu import into a fresh database")
        var run: (status: Int32, output: String) = (0, "")
        let elapsed = try clock.measure {
            run = try Subprocess.run(solmu, ["import", dataSet.ndjsonFile.path, "--rejects", dataSet.rejectsFile.path, "--quiet"] + storage)
        }
        guard run.status == 0 else {
            throw BenchmarkError("solmu import exited with status \(run.status):\n\(run.output)")
        }
        if run.output.contains("USAGE: solmu import") {
            throw BenchmarkError("""
                solmu import printed its help and exited 0 instead of importing: the binary never reached \
                the async run() of its subcommands (see "Entry point fixed in 97c11bb" in docs/performance.md)
                """)
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let result = try ImportResult(summary: run.output, wallSeconds: seconds)
        progress(run.output.trimmingCharacters(in: .whitespacesAndNewlines) + String(format: " [wall %.1f s]", seconds))
        guard result.rejected == 0, result.identifiers == 3 * customers else {
            throw BenchmarkError("""
                solmu import linked \(result.identifiers) of \(3 * customers) identifiers and rejected \(result.rejected) lines \
                (see \(dataSet.rejectsFile.path)): the generated data should all be valid
                """)
        }
        return result
    }

    /// Checks the endpoints answer as expected, then runs the three loads.
    private func load(
        server: ServerProcess, solmu: URL, loadBefore: Double?, wrk wrkURL: URL, sample: [QuerySample], pathsFile: URL, directory: URL, importResult: ImportResult?
    ) throws -> BenchmarkReport {
        try server.waitUntilReady()
        progress("server ready")
        let secret = clientSecret ?? "\(client)-dev-secret"
        let token = try fetchToken(port: server.port, secret: secret)
        try checkResolves(port: server.port, token: token, sample: sample)

        let runner = WrkRunner(wrk: wrkURL, threads: threads, connections: connections, duration: duration, directory: directory)
        let base = "http://127.0.0.1:\(server.port)"
        progress("wrk: GET /health/live for \(duration) s")
        let health = try runner.run(name: "health", url: base + "/health/live")
        progress("wrk: GET /v1/resolve for \(duration) s")
        let resolve = try runner.run(name: "resolve", url: base + "/v1/resolve",
                                     script: runner.writeResolveScript(pathsFile: pathsFile, token: token))
        progress("wrk: POST /oauth/token for \(duration) s")
        let tokens = try runner.run(name: "token", url: base + "/oauth/token",
                                    script: runner.writeTokenScript(clientID: client, secret: secret))
        let peak = server.peakResidentBytes()

        return BenchmarkReport(
            machine: .current(solmu: solmu, loadBefore: loadBefore),
            load: .init(threads: threads, connections: connections, duration: duration, wrkVersion: runner.version()),
            customers: customers, sampleSize: sample.count, importResult: importResult,
            health: health, resolve: resolve, token: tokens, peakResidentBytes: peak
        )
    }

    private func fetchToken(port: Int, secret: String) throws -> String {
        let basic = Data("\(client):\(secret)".utf8).base64EncodedString()
        let response = try LoopbackHTTP.request(
            port: port, method: "POST", path: "/oauth/token",
            headers: [("Authorization", "Basic \(basic)"), ("Content-Type", "application/x-www-form-urlencoded")],
            body: "grant_type=client_credentials"
        )
        guard response.status == 200,
              let object = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any],
              let token = object["access_token"] as? String
        else {
            throw BenchmarkError("POST /oauth/token for \(client) answered \(response.status): \(response.body)")
        }
        let scopes = (object["scope"] as? String)?.split(separator: " ") ?? []
        guard scopes.contains("identity:resolve") else {
            throw BenchmarkError("the token of \(client) lacks identity:resolve (scope: \(object["scope"] ?? "none")); pass --client")
        }
        return token
    }

    /// Resolves a few samples of each input form: the load only counts if every request finds a customer.
    private func checkResolves(port: Int, token: String, sample: [QuerySample]) throws {
        let checked = sample.prefix(27)
        for query in checked {
            let response = try LoopbackHTTP.request(port: port, path: query.path, headers: [("Authorization", "Bearer \(token)")])
            guard response.status == 200, response.body.contains("\"customer_id\"") else {
                throw BenchmarkError("""
                    GET \(query.path) answered \(response.status): \(response.body)
                    Every sampled identifier must resolve (with --skip-import, use the --customers and --seed of the import).
                    """)
            }
        }
        progress("checked \(checked.count) sample resolves: all 200")
    }

    private func progress(_ message: String) {
        let time = Date().formatted(.iso8601.time(includingFractionalSeconds: false))
        FileHandle.standardError.write(Data("[\(time)] \(message)\n".utf8))
    }
}
