import SeededRandom
import ArgumentParser
import Foundation

/// `solmu-benchmark log`: the verifiable link log at scale: appends with the tree, verifying a
/// million entries, serving inclusion proofs.
struct LogBenchmarkCommand: Benchmark {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Measure the verifiable log: appends (with the Merkle tree), verification, inclusion proofs.",
        discussion: """
            Imports customers (each writes 4 log entries: created and 3 linked) with `solmu import`,
            starts `solmu serve`, exports the log with `solmu audit export` and verifies it with
            `solmu audit verify --export` (offline) and `solmu audit verify` (online), then loads
            GET /log/proof/inclusion with wrk. Build first: swift build -c release --product solmu
            """
    )

    @Option(help: "Customers to import (4 log entries each).")
    var customers = 250_000

    @Option(help: "Seconds of wrk load on the inclusion proofs.")
    var duration = 20

    @Option(help: "wrk connections.")
    var connections = 64

    @Option(help: "Where the data goes (never commit it).")
    var workDir = ".build/benchmark-log"

    @Option(help: "The wrk binary.")
    var wrk = "wrk"

    @OptionGroup var paths: BenchmarkPaths

    func validate() throws {
        guard (1...SyntheticCustomer.maximumCount).contains(customers) else {
            throw ValidationError("--customers must be from 1 to \(SyntheticCustomer.maximumCount)")
        }
        guard (1...3600).contains(duration) else { throw ValidationError("--duration must be from 1 to 3600 seconds") }
        guard connections >= 2 else { throw ValidationError("--connections must be at least 2 (wrk runs 2 threads)") }
    }

    func measure() throws {
        let solmu = try paths.locateSolmu()
        let wrk = try WrkRunner.locate(self.wrk)
        let work = try BenchmarkDirectory(workDir, policies: paths.policies)
        let directory = work.url
        let keys = work.keys
        let storage = work.storage
        let clock = ContinuousClock()

        let file = directory.appendingPathComponent("customers.ndjson")
        let writer = try BufferedFileWriter(url: file)
        for index in 0..<customers { try writer.write(SyntheticCustomer(index: index, seed: 11).ndjsonLine) }
        try writer.close()
        progress("importing \(customers) customers")
        let importTime = try work.importCustomers(file, solmu: solmu).seconds
        let entries = customers * 4

        let port = try LoopbackHTTP.freePort()
        let server = try ServerProcess(solmu: solmu, port: port, storage: storage, log: directory.appendingPathComponent("server.log"))
        defer { _ = server.stop() }
        try server.waitUntilReady()
        let verifier = try Subprocess.run(solmu, ["keys", "log-verifier", "--keys", keys, "--issuer", "http://127.0.0.1:\(port)"], separateErrors: true)
            .output.trimmingCharacters(in: .whitespacesAndNewlines)
        let environment = ["SOLMU_SERVER": "http://127.0.0.1:\(port)", "SOLMU_CLIENT_ID": "auditor", "SOLMU_CLIENT_SECRET": "auditor-dev-secret",
                           "SOLMU_LOG_VERIFIER": verifier]

        let export = directory.appendingPathComponent("log.jsonl")
        progress("solmu audit export of \(entries) entries")
        var run: (status: Int32, output: String) = (0, "")
        let exportTime = try clock.measure { run = try Subprocess.run(solmu, ["audit", "export", "--out", export.path], environment: environment) }
        guard run.status == 0 else { throw BenchmarkError("audit export failed: \(run.output.prefix(500))") }
        progress("solmu audit verify --export")
        let offlineTime = try clock.measure { run = try Subprocess.run(solmu, ["audit", "verify", "--export", export.path], environment: environment) }
        guard run.status == 0, run.output.contains("verified: \(entries) entries") else { throw BenchmarkError("offline verify failed: \(run.output.prefix(500))") }
        progress("solmu audit verify (online)")
        let onlineTime = try clock.measure { run = try Subprocess.run(solmu, ["audit", "verify"], environment: environment) }
        guard run.status == 0 else { throw BenchmarkError("online verify failed: \(run.output.prefix(500))") }

        let token = try LoopbackHTTP.token(port: port, client: "auditor", secret: "auditor-dev-secret", scope: "audit:read")
        var generator = SeededGenerator(seed: 5)
        let proofPaths = (0..<10_000).map { _ in "/log/proof/inclusion?index=\(UInt64.random(in: 0..<UInt64(entries), using: &generator))&size=\(entries)" }
        let pathsFile = directory.appendingPathComponent("inclusion-paths.txt")
        try (proofPaths.joined(separator: "\n") + "\n").write(to: pathsFile, atomically: true, encoding: .utf8)
        let check = try LoopbackHTTP.request(port: port, path: proofPaths[0], headers: [("Authorization", "Bearer \(token)")])
        guard check.status == 200, check.body.contains("hashes") else { throw BenchmarkError("inclusion proof answered \(check.status): \(check.body.prefix(300))") }
        let runner = WrkRunner(wrk: wrk, threads: 2, connections: connections, duration: duration, directory: directory)
        // The floor: the same load on the cheapest route, so the proofs' figures can be read
        // against what HTTP alone costs on this machine.
        progress("wrk: GET /health/live for \(duration) s")
        let health = try runner.run(name: "health", url: "http://127.0.0.1:\(port)/health/live")
        progress("wrk: GET /log/proof/inclusion for \(duration) s")
        let proofs = try runner.run(name: "inclusion", url: "http://127.0.0.1:\(port)/log/proof/inclusion",
                                    script: runner.writeGetScript(pathsFile: pathsFile, token: token, name: "inclusion"))
        func ms(_ seconds: Double?) -> String { seconds.map { String(format: "%.2f ms", $0 * 1000) } ?? "-" }
        let report = """
            ## Verifiable log benchmark

            | | |
            |---|---|
            | machine | \(MachineDescription.current(solmu: solmu, loadBefore: MachineDescription.loadAverage()).summary) |
            | log | \(entries) entries (\(customers) customers imported, 4 entries each) |
            | `solmu import` (customers, links, log entries and the tree in the same transactions) | \(oneDecimal(importTime)) s = **\(Int(Double(entries) / importTime)) entries/s** |
            | `solmu audit export` (all entries over HTTP, JSON Lines) | \(oneDecimal(exportTime.seconds)) s |
            | `solmu audit verify --export` (offline: signature, \(entries) leaves, root, meaning) | **\(oneDecimal(offlineTime.seconds)) s** |
            | `solmu audit verify` (online: fetching every entry included) | \(oneDecimal(onlineTime.seconds)) s |
            | GET /health/live (the HTTP floor), wrk 2 threads, \(connections) connections, \(duration) s | \(Int(health.requestsPerSecond)) req/s, p50 \(ms(health.p50)), p99 \(ms(health.p99)) |
            | GET /log/proof/inclusion, wrk 2 threads, \(connections) connections, \(duration) s | \(Int(proofs.requestsPerSecond)) req/s, p50 \(ms(proofs.p50)), **p99 \(ms(proofs.p99))**, non-2xx \(proofs.non2xx), socket errors \(proofs.socketErrors) |
            """
        try paths.publish(report)
    }


}
