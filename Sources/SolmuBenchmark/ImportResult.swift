import Foundation

/// What `solmu import` did and how long it took, as seen from outside the process.
struct ImportResult {
    let customers: Int
    let identifiers: Int
    let rejected: Int
    /// Wall time of the whole `solmu import` process: start-up, policies, import, exit.
    let wallSeconds: Double
    /// The rate `solmu import` reports itself (its own clock, without process start-up).
    let reportedIdentifiersPerSecond: Double

    var identifiersPerSecond: Double { Double(identifiers) / wallSeconds }

    /// Reads the summary line:
    /// `imported 1000 customers with 3000 identifiers from 1000 lines in 0.1 s (30000 identifiers/s); 0 rejected`.
    init(summary output: String, wallSeconds: Double) throws {
        let pattern = /imported (\d+) customers with (\d+) identifiers from \d+ lines in [\d.]+ s \((\d+) identifiers\/s\); (\d+) rejected/
        guard let match = output.firstMatch(of: pattern),
              let customers = Int(match.1), let identifiers = Int(match.2),
              let rate = Double(match.3), let rejected = Int(match.4)
        else {
            throw BenchmarkError("solmu import printed no summary line:\n\(output)")
        }
        self.customers = customers
        self.identifiers = identifiers
        self.rejected = rejected
        self.wallSeconds = wallSeconds
        self.reportedIdentifiersPerSecond = rate
    }
}
