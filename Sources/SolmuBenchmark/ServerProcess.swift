import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A running `solmu serve`, its output going to a log file.
final class ServerProcess {
    let port: Int
    private let process = Process()
    private let log: URL

    /// Starts `solmu serve` on 127.0.0.1:`port`. Instances serving as one (behind a load balancer)
    /// share one `issuer`; by default it is this instance's own address.
    init(solmu: URL, port: Int, storage: [String], log: URL, issuer: String? = nil) throws {
        self.port = port
        self.log = log
        guard FileManager.default.createFile(atPath: log.path, contents: nil),
              let logHandle = FileHandle(forWritingAtPath: log.path)
        else {
            throw BenchmarkError("cannot create \(log.path)")
        }
        process.executableURL = solmu
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", String(port),
                             "--issuer", issuer ?? "http://127.0.0.1:\(port)"] + storage
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw BenchmarkError("cannot start \(solmu.path) serve: \(error.localizedDescription)")
        }
        RunningChildren.add(process.processIdentifier)
    }

    /// Polls `GET /health/ready` until it answers 200.
    func waitUntilReady(timeout: Duration = .seconds(120)) throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var lastProblem = "no answer"
        while clock.now < deadline {
            guard process.isRunning else {
                throw BenchmarkError("solmu serve exited with status \(process.terminationStatus) before it was ready:\n\(logTail())")
            }
            do {
                let response = try LoopbackHTTP.request(port: port, path: "/health/ready")
                if response.status == 200 { return }
                lastProblem = "GET /health/ready answered \(response.status) \(response.body)"
            } catch {
                lastProblem = "\(error)"
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw BenchmarkError("solmu serve was not ready within \(timeout) (\(lastProblem)):\n\(logTail())")
    }

    /// The server's peak resident set size (`VmHWM` of /proc/PID/status), in bytes.
    func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kibibytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return nil }
        return kibibytes * 1024
    }

    /// SIGTERM, then waits for the graceful shutdown; SIGKILL if it takes longer than `grace`.
    /// - Returns: The exit status, or nil if the server had to be killed.
    @discardableResult
    func stop(grace: TimeInterval = 20) -> Int32? {
        defer { RunningChildren.remove(process.processIdentifier) }
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        let deadline = Date().addingTimeInterval(grace)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    /// The last lines the server wrote, for error messages.
    func logTail(lines: Int = 20) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}
