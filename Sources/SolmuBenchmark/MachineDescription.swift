import Foundation

/// Where and from what the benchmark ran, for the report.
struct MachineDescription {
    let processors: String
    let cpuModel: String
    let memory: String
    /// /proc/loadavg's 1-minute figure before the benchmark started any work: other load on the
    /// machine makes every figure lower.
    let loadBefore: Double?
    let date: String
    let commit: String
    let commandLine: String

    /// - Parameter solmu: The measured binary; the commit is that of the checkout it was built in.
    static func current(solmu: URL, loadBefore: Double?) -> MachineDescription {
        let nproc = Subprocess.locate("nproc").flatMap { try? Subprocess.run($0, []) }
            .map { $0.output.trimmingCharacters(in: .whitespacesAndNewlines) }
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let memory = field("MemTotal", in: meminfo)
            .flatMap { Double($0.split(separator: " ").first ?? "") }
            .map { String(format: "%.1f GiB", $0 / 1_048_576) } ?? "unknown"
        return MachineDescription(
            processors: nproc.flatMap { $0.isEmpty ? nil : $0 } ?? String(ProcessInfo.processInfo.activeProcessorCount),
            cpuModel: field("model name", in: cpuinfo) ?? "unknown",
            memory: memory,
            loadBefore: loadBefore,
            date: ISO8601DateFormatter().string(from: Date()),
            commit: gitCommit(in: solmu.deletingLastPathComponent()),
            commandLine: CommandLine.arguments.map(shellQuoted).joined(separator: " ")
        )
    }

    /// One line for a report: CPUs, model, memory, load, commit, date.
    var summary: String {
        "\(processors) CPUs (nproc), \(cpuModel), \(memory) RAM, load before \(loadBefore.map { String(format: "%.2f", $0) } ?? "unknown"), commit \(commit), \(date)"
    }

    /// The 1-minute load average, from /proc/loadavg.
    static func loadAverage() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.flatMap { Double($0) }
    }

    /// The first `name: value` of a /proc text file.
    private static func field(_ name: String, in text: String) -> String? {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// The commit checked out where the binary was built, and whether the working tree differs from
    /// it (then the binary may differ too).
    private static func gitCommit(in directory: URL) -> String {
        guard let git = Subprocess.locate("git"),
              let head = try? Subprocess.run(git, ["-C", directory.path, "rev-parse", "--short", "HEAD"]), head.status == 0
        else { return "unknown (the solmu binary is not inside a git checkout)" }
        let commit = head.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let status = try? Subprocess.run(git, ["-C", directory.path, "status", "--porcelain", "--untracked-files=no"])
        let dirty = status.map { $0.status == 0 && !$0.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ?? false
        return dirty ? "\(commit) (with uncommitted changes)" : commit
    }

    /// The argument as a POSIX shell would need it, so the command line can be pasted back.
    private static func shellQuoted(_ argument: String) -> String {
        let plain = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./=:,+@%")
        if !argument.isEmpty, argument.allSatisfy(plain.contains) { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
