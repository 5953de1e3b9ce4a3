import Foundation

/// What one wrk run measured, read from its text output.
struct WrkResult {
    var requests = 0
    var requestsPerSecond = 0.0
    /// Latency percentiles of the `--latency` distribution, in seconds.
    var p50: Double?
    var p99: Double?
    /// Responses with a status outside 2xx and 3xx.
    var non2xx = 0
    /// connect + read + write + timeout errors.
    var socketErrors = 0
    var timeouts = 0

    /// Parses the output of `wrk --latency`:
    /// ```
    ///   Latency Distribution
    ///      50%  512.00us
    ///      99%    3.20ms
    ///   123456 requests in 20.00s, 12.34MB read
    ///   Non-2xx or 3xx responses: 12
    ///   Socket errors: connect 0, read 0, write 0, timeout 3
    /// Requests/sec:  6172.80
    /// ```
    init(parsing output: String) throws {
        var sawRate = false
        for rawLine in output.split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if line.hasPrefix("50%"), words.count >= 2 {
                p50 = Self.seconds(words[1])
            } else if line.hasPrefix("99%"), words.count >= 2 {
                p99 = Self.seconds(words[1])
            } else if words.count >= 3, words[1] == "requests", words[2] == "in", let count = Int(words[0]) {
                requests = count
            } else if line.hasPrefix("Non-2xx or 3xx responses:"), let count = Int(words.last ?? "") {
                non2xx = count
            } else if line.hasPrefix("Socket errors:") {
                // "Socket errors: connect 0, read 0, write 0, timeout 3"
                let numbers = words.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",")) }.compactMap(Int.init)
                socketErrors = numbers.reduce(0, +)
                timeouts = numbers.last ?? 0
            } else if line.hasPrefix("Requests/sec:"), let rate = Double(words.last ?? "") {
                requestsPerSecond = rate
                sawRate = true
            }
        }
        guard sawRate else { throw BenchmarkError("wrk printed no Requests/sec line:\n\(output)") }
    }

    /// wrk's durations: `812.00us`, `3.20ms`, `1.02s`, `2.00m`.
    static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("us", 1e-6), ("ms", 1e-3), ("m", 60), ("s", 1), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * scale }
        }
        return Double(text)
    }
}

extension WrkResult {
    /// Several simultaneous runs (one per instance) as one: counts and rates summed, each
    /// percentile the worst run's (an upper bound of the combined percentile).
    static func combined(_ results: [WrkResult]) -> WrkResult {
        guard var total = results.first else { preconditionFailure("no wrk results to combine") }
        for result in results.dropFirst() {
            total.requests += result.requests
            total.requestsPerSecond += result.requestsPerSecond
            total.p50 = [total.p50, result.p50].compactMap { $0 }.max()
            total.p99 = [total.p99, result.p99].compactMap { $0 }.max()
            total.non2xx += result.non2xx
            total.socketErrors += result.socketErrors
            total.timeouts += result.timeouts
        }
        return total
    }
}
