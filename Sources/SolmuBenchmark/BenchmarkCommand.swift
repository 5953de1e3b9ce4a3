import ArgumentParser
import Foundation
import Synchronization

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
struct BenchmarkCommand: Benchmark {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Measure Solmu: bulk import, then resolve and token throughput with wrk (the default).",
        discussion: """
            Generates a deterministic NDJSON file of customers (email, Finnish mobile phone, plussa
            card each) in the work directory, imports it into a fresh SQLite database (or, with
            --postgres, a fresh PostgreSQL database) with `solmu import`, starts `solmu serve` on a
            free 127.0.0.1 port (--instances of them on PostgreSQL) and runs wrk against
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

    @Option(help: "The wrk binary: a path, or a name looked up on PATH.")
    var wrk = "wrk"

    @Flag(help: "Reuse the database in the work directory instead of generating and importing.")
    var skipImport = false

    @OptionGroup var paths: BenchmarkPaths

    @Option(help: "Seed of the generated data.")
    var seed: UInt64 = 42

    @Option(help: "Identifiers the resolve load rotates over.")
    var sampleSize = 10_000

    @Option(help: "The channel (OAuth client) whose token the resolve load uses and whose credentials the token load posts.")
    var client = "webshop"

    @Option(help: "The channel's secret (default: the development secret <client>-dev-secret).")
    var clientSecret: String?

    @Option(help: ArgumentHelp("Run on PostgreSQL: an admin URL (postgres://user:pass@host:port/db) from which the benchmark creates (drops and recreates) its own database solmu_benchmark; psql must be on PATH.", valueName: "url"))
    var postgres: String?

    @Option(help: "Instances of solmu serve on the one database (2 or more need --postgres); the load is split evenly over them.")
    var instances = 1

    func validate() throws {
        guard (1...SyntheticCustomer.maximumCount).contains(customers) else {
            throw ValidationError("--customers must be from 1 to \(SyntheticCustomer.maximumCount)")
        }
        guard (1...3600).contains(duration) else { throw ValidationError("--duration must be from 1 to 3600 seconds") }
        guard threads >= 1, connections >= threads else {
            throw ValidationError("--threads must be at least 1 and --connections at least --threads")
        }
        guard sampleSize >= 9 else { throw ValidationError("--sample-size must be at least 9 (one of each input form)") }
        guard (1...4).contains(instances) else { throw ValidationError("--instances must be from 1 to 4") }
        guard instances == 1 || postgres != nil else { throw ValidationError("--instances \(instances) needs --postgres: SQLite serves one instance") }
        guard connections >= instances, threads >= 1 else { throw ValidationError("--connections must be at least --instances") }
    }

    func measure() throws {
        let loadBefore = MachineDescription.loadAverage()
        if let loadBefore, loadBefore > 0.5 {
            progress("warning: load average \(loadBefore) before the start: other processes are busy, the figures will be lower")
        }
        let solmu = try paths.locateSolmu()
        let wrk = try WrkRunner.locate(self.wrk)
        guard FileManager.default.fileExists(atPath: paths.policies) else {
            throw BenchmarkError("no policy directory at \(paths.policies): run from the repository root or pass --policies DIR")
        }
        let postgresDatabase = try postgres.map { try PostgresBenchmarkDatabase(adminURL: $0, reuse: skipImport) }
        let work = try BenchmarkDirectory(workDir, policies: paths.policies, fresh: false, postgres: postgresDatabase?.url)
        let directory = work.url
        let database = work.database
        let storage = work.storage
        let dataSet = DataSet(customers: customers, seed: seed, directory: directory)

        var importResult: ImportResult?
        if skipImport {
            guard postgresDatabase != nil || FileManager.default.fileExists(atPath: database.path) else {
                throw BenchmarkError("--skip-import: no database at \(database.path); run once without --skip-import")
            }
            progress("reusing \(database.path); the sample assumes it holds --customers \(customers) --seed \(seed)")
        } else {
            importResult = try importCustomers(dataSet: dataSet, solmu: solmu, work: work)
        }

        let sample = dataSet.sample(count: sampleSize)
        let sampleFiles = try dataSet.writeSample(sample)
        progress("sampled \(sample.count) identifiers to resolve: \(sampleFiles.table.path)")

        var servers: [ServerProcess] = []
        let report: BenchmarkReport
        do {
            defer {
                for server in servers {
                    progress("stopping the server on port \(server.port) (SIGTERM)")
                    let status = server.stop()
                    if status != 0 {
                        progress("warning: the server " + (status.map { "exited with status \($0)" } ?? "did not stop within 20 s and was killed"))
                    }
                }
            }
            // The first instance migrates and is ready before the others join it; all share the
            // first one's issuer, as instances behind one load balancer do.
            var issuer: String?
            for index in 0..<instances {
                let port = try LoopbackHTTP.freePort()
                issuer = issuer ?? "http://127.0.0.1:\(port)"
                let log = directory.appendingPathComponent(index == 0 ? "server.log" : "server-\(index + 1).log")
                progress("starting solmu serve on 127.0.0.1:\(port) (log: \(log.path))")
                let server = try ServerProcess(solmu: solmu, port: port, storage: storage, log: log, issuer: issuer)
                servers.append(server)
                try server.waitUntilReady()
            }
            report = try load(servers: servers, solmu: solmu, loadBefore: loadBefore, wrk: wrk, sample: sample, pathsFile: sampleFiles.paths, directory: directory, importResult: importResult)
        }

        try paths.publish(report.markdown)
        if !report.invalidities.isEmpty {
            throw BenchmarkError("the run is invalid: " + report.invalidities.joined(separator: "; "))
        }
    }

    /// Generates the customers (or reuses an identical file) and imports them into a fresh database.
    private func importCustomers(dataSet: DataSet, solmu: URL, work: BenchmarkDirectory) throws -> ImportResult {
        progress("generating \(customers) customers (seed \(seed)) into \(dataSet.ndjsonFile.path)")
        let generation = try ContinuousClock().measure { _ = try dataSet.writeCustomers() }
        progress("customers file ready in \(oneDecimal(generation.seconds)) s")

        if postgres == nil {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                try? FileManager.default.removeItem(atPath: work.database.path + suffix)
            }
        }
        try? FileManager.default.removeItem(at: dataSet.rejectsFile)
        progress("running solmu import into a fresh database")
        let run = try work.importCustomers(dataSet.ndjsonFile, solmu: solmu, extraArguments: ["--rejects", dataSet.rejectsFile.path])
        if run.summary.contains("USAGE: solmu import") {
            throw BenchmarkError("""
                solmu import printed its help and exited 0 instead of importing: the binary never reached \
                the async run() of its subcommands (see "Entry point fixed in 97c11bb" in docs/performance.md)
                """)
        }
        let result = try ImportResult(summary: run.summary, wallSeconds: run.seconds)
        progress(run.summary + " [wall \(oneDecimal(run.seconds)) s]")
        guard result.rejected == 0, result.identifiers == 3 * customers else {
            throw BenchmarkError("""
                solmu import linked \(result.identifiers) of \(3 * customers) identifiers and rejected \(result.rejected) lines \
                (see \(dataSet.rejectsFile.path)): the generated data should all be valid
                """)
        }
        return result
    }

    /// Checks the endpoints answer as expected, then runs the three loads, split evenly over the
    /// instances (one wrk per instance, at the same time).
    private func load(
        servers: [ServerProcess], solmu: URL, loadBefore: Double?, wrk wrkURL: URL, sample: [QuerySample], pathsFile: URL, directory: URL, importResult: ImportResult?
    ) throws -> BenchmarkReport {
        progress("\(servers.count == 1 ? "server" : "\(servers.count) servers") ready")
        let secret = clientSecret ?? "\(client)-dev-secret"
        // One token, issued by the first instance, is accepted by every instance.
        let token = try fetchToken(port: servers[0].port, secret: secret)
        for server in servers { try checkResolves(port: server.port, token: token, sample: sample) }

        let runner = WrkRunner(wrk: wrkURL, threads: max(1, threads / servers.count), connections: connections / servers.count,
                               duration: duration, directory: directory)
        func everywhere(_ name: String, _ request: String, _ path: String, script: URL? = nil) throws -> WrkResult {
            progress("wrk: \(request) for \(duration) s" + (servers.count > 1 ? " on \(servers.count) instances at once" : ""))
            let results = Mutex<[Result<WrkResult, any Error>]>([])
            let ports = servers.map(\.port)
            DispatchQueue.concurrentPerform(iterations: ports.count) { index in
                let result = Result { try runner.run(name: ports.count == 1 ? name : "\(name)-\(index + 1)", url: "http://127.0.0.1:\(ports[index])" + path, script: script) }
                results.withLock { $0.append(result) }
            }
            return WrkResult.combined(try results.withLock { $0 }.map { try $0.get() })
        }
        let health = try everywhere("health", "GET /health/live", "/health/live")
        let resolve = try everywhere("resolve", "GET /v1/resolve", "/v1/resolve", script: runner.writeResolveScript(pathsFile: pathsFile, token: token))
        let tokens = try everywhere("token", "POST /oauth/token", "/oauth/token", script: runner.writeTokenScript(clientID: client, secret: secret))
        let peak = servers.compactMap { $0.peakResidentBytes() }.max()

        return BenchmarkReport(
            machine: .current(solmu: solmu, loadBefore: loadBefore),
            load: .init(threads: threads, connections: connections, duration: duration, wrkVersion: runner.version()),
            database: postgres == nil ? "SQLite" : "PostgreSQL (\(PostgresBenchmarkDatabase.name))", instances: servers.count,
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
}
