import Foundation

/// Everything one run measured, rendered as Markdown.
struct BenchmarkReport {
    struct Load {
        let threads: Int
        let connections: Int
        let duration: Int
        let wrkVersion: String
    }

    let machine: MachineDescription
    let load: Load
    /// "SQLite" or "PostgreSQL (…)".
    let database: String
    let instances: Int
    let customers: Int
    let sampleSize: Int
    /// Nil with `--skip-import`.
    let importResult: ImportResult?
    let health: WrkResult
    let resolve: WrkResult
    let token: WrkResult
    let peakResidentBytes: Int?

    /// A target and whether this run met it. `met` is nil when the run did not measure it.
    struct Verdict {
        let target: String
        let measured: String
        let met: Bool?

        var label: String { met.map { $0 ? "PASS" : "MISS" } ?? "not measured" }
    }

    var verdicts: [Verdict] {
        let resolveRatio = resolve.requestsPerSecond / health.requestsPerSecond
        let tokenRatio = token.requestsPerSecond / health.requestsPerSecond
        return [
            Verdict(
                target: "Import ≥ 50,000 identifiers/s (wall time)",
                measured: importResult.map { Self.count($0.identifiersPerSecond) + " identifiers/s" } ?? "— (--skip-import)",
                met: importResult.map { $0.identifiersPerSecond >= 50_000 }
            ),
            Verdict(target: "Resolve ≥ 50% of health requests/s", measured: Self.percent(resolveRatio), met: resolveRatio >= 0.5),
            Verdict(target: "Token ≥ 30% of health requests/s", measured: Self.percent(tokenRatio), met: tokenRatio >= 0.3),
            Verdict(
                target: "Resolve p99 < 5 ms at \(load.connections) connections",
                measured: Self.milliseconds(resolve.p99),
                met: resolve.p99.map { $0 < 0.005 }
            ),
        ]
    }

    /// Problems that make the figures untrustworthy: failed requests count as fast requests in wrk.
    var invalidities: [String] {
        var problems: [String] = []
        for (name, result) in [("health", health), ("resolve", resolve), ("token", token)] {
            if result.non2xx > 0 { problems.append("\(name): \(Self.count(Double(result.non2xx))) non-2xx responses") }
            if result.socketErrors > 0 {
                problems.append("\(name): \(result.socketErrors) socket errors (\(result.timeouts) timeouts)")
            }
        }
        if let importResult, importResult.rejected > 0 {
            problems.append("import: \(importResult.rejected) lines rejected")
        }
        return problems
    }

    var markdown: String {
        var lines: [String] = []
        lines.append("## Solmu benchmark, \(machine.date)")
        lines.append("")
        lines.append("- Machine: \(machine.processors) CPUs (nproc), \(machine.cpuModel), \(machine.memory) RAM")
        if let load = machine.loadBefore {
            lines.append("- Load average before the run: \(String(format: "%.2f", load))" + (load > 0.5 ? " (other processes were busy: figures are lower than on an idle machine)" : ""))
        }
        lines.append("- Commit: \(machine.commit)")
        lines.append("- Command: `\(machine.commandLine)`")
        lines.append("- Database: \(database), \(instances) instance\(instances == 1 ? "" : "s") of `solmu serve`" + (instances > 1 ? " (the load split evenly over them: one wrk per instance at the same time; req/s summed, latencies the worst instance's)" : ""))
        lines.append("- Load: \(load.wrkVersion), \(load.threads) threads, \(load.connections) connections, \(load.duration) s per endpoint, on the same machine as the server")
        lines.append("- Data: \(Self.count(Double(customers))) customers × 3 identifiers; resolve rotates over \(Self.count(Double(sampleSize))) sampled identifiers in mixed input forms")
        lines.append("")
        lines.append("### Import (`solmu import`, fresh database)")
        lines.append("")
        if let result = importResult {
            lines.append("| Customers | Identifiers | Rejected | Wall time | Identifiers/s (wall) | Identifiers/s (as reported by `solmu import`) |")
            lines.append("|---:|---:|---:|---:|---:|---:|")
            lines.append("| \(Self.count(Double(result.customers))) | \(Self.count(Double(result.identifiers))) | \(result.rejected) | \(String(format: "%.1f s", result.wallSeconds)) | \(Self.count(result.identifiersPerSecond)) | \(Self.count(result.reportedIdentifiersPerSecond)) |")
        } else {
            lines.append("Skipped (`--skip-import`): the database of an earlier run was reused.")
        }
        lines.append("")
        lines.append("### HTTP")
        lines.append("")
        lines.append("| Endpoint | Requests/s | vs health | p50 | p99 | Requests | Non-2xx | Socket errors |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for (name, result) in [("`GET /health/live`", health), ("`GET /v1/resolve`", resolve), ("`POST /oauth/token`", token)] {
            let ratio = Self.percent(result.requestsPerSecond / health.requestsPerSecond)
            lines.append("| \(name) | \(Self.count(result.requestsPerSecond)) | \(ratio) | \(Self.milliseconds(result.p50)) | \(Self.milliseconds(result.p99)) | \(Self.count(Double(result.requests))) | \(result.non2xx) | \(result.socketErrors) |")
        }
        lines.append("")
        lines.append("Server peak RSS (`VmHWM`, after all loads): \(peakResidentBytes.map { String(format: "%.1f MiB", Double($0) / 1_048_576) } ?? "unknown")")
        lines.append("")
        lines.append("### Targets")
        lines.append("")
        lines.append("| Target | Measured | Verdict |")
        lines.append("|---|---:|---|")
        for verdict in verdicts {
            lines.append("| \(verdict.target) | \(verdict.measured) | \(verdict.label) |")
        }
        if !invalidities.isEmpty {
            lines.append("")
            lines.append("**Invalid run:** " + invalidities.joined(separator: "; ") + ".")
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }

    /// `1234567.8` → `1,234,568`.
    static func count(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        let digits = String(Int(value.rounded()))
        var grouped = ""
        for (offset, character) in digits.reversed().enumerated() {
            if offset > 0, offset % 3 == 0, character != "-" { grouped.append(",") }
            grouped.append(character)
        }
        return String(grouped.reversed())
    }

    static func percent(_ ratio: Double) -> String {
        ratio.isFinite ? String(format: "%.0f%%", ratio * 100) : "—"
    }

    static func milliseconds(_ seconds: Double?) -> String {
        guard let seconds else { return "—" }
        return String(format: seconds < 0.1 ? "%.2f ms" : "%.0f ms", seconds * 1000)
    }
}
