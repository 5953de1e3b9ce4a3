import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The children running now, so that SIGINT or SIGTERM to the benchmark stops them too
/// (a server left behind would hold its port and skew the next run).
enum RunningChildren {
    private static let pids = Mutex<Set<pid_t>>([])
    /// Kept alive for the life of the process; written once, at start-up, before any other thread exists.
    nonisolated(unsafe) private static var signalSources: [any DispatchSourceSignal] = []

    static func add(_ pid: pid_t) { pids.withLock { _ = $0.insert(pid) } }
    static func remove(_ pid: pid_t) { pids.withLock { _ = $0.remove(pid) } }

    /// On SIGINT or SIGTERM: pass SIGTERM to every child, then exit.
    static func stopOnSignals() {
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let children = pids.withLock { $0 }
                for pid in children { kill(pid, SIGTERM) }
                FileHandle.standardError.write(Data("\nsolmu-benchmark: interrupted; stopped \(children.count) child process(es)\n".utf8))
                exit(128 + number)
            }
            source.resume()
            return source
        }
        signalSources = sources
    }
}
