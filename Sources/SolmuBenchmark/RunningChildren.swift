#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The children running now, so that SIGINT or SIGTERM to the benchmark stops them too
/// (a server left behind would hold its port and skew the next run).
///
/// The signal handler may only do async-signal-safe things: it reads process ids from a fixed
/// table (no locks, no allocation), sends them SIGTERM with `kill` and leaves with `_exit`.
/// (A Dispatch signal source does not fit: on Linux it needs the signal blocked in every thread,
/// and the children would inherit that mask.)
enum RunningChildren {
    private static let capacity = 16
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<pid_t> = {
        let slots = UnsafeMutablePointer<pid_t>.allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        return slots
    }()
    nonisolated(unsafe) private static let message: UnsafeMutableBufferPointer<CChar> = {
        let text = Array("\nsolmu-benchmark: interrupted; sent SIGTERM to the server and wrk\n".utf8CString)
        let buffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: text.count)
        _ = buffer.initialize(from: text)
        return buffer
    }()

    /// Called from the main thread only (the benchmark starts its children one after another).
    static func add(_ pid: pid_t) {
        for index in 0..<capacity where slots[index] == 0 {
            slots[index] = pid
            return
        }
    }

    static func remove(_ pid: pid_t) {
        for index in 0..<capacity where slots[index] == pid { slots[index] = 0 }
    }

    /// On SIGINT or SIGTERM: SIGTERM to every child, then exit with 128 + the signal.
    static func stopOnSignals() {
        _ = slots  // initialize the statics now, never inside the handler
        _ = message
        for number in [SIGINT, SIGTERM] {
            signal(number) { number in
                for index in 0..<RunningChildren.capacity {
                    let pid = RunningChildren.slots[index]
                    if pid > 0 { kill(pid, SIGTERM) }
                }
                _ = write(2, RunningChildren.message.baseAddress, RunningChildren.message.count - 1)
                _exit(128 + number)
            }
        }
    }
}
