import DuplicateDetection
import Foundation
import IdentityGraph
import Logging
import NIOPosix
import Synchronization
import CustomerLogin

/// Duplicate scans started through the admin API: one runs at a time, off the request threads,
/// and reports its progress until an admin fetches the result.
///
/// Scans live in this process's memory (the last few are kept for an hour). Behind a load
/// balancer, the admin CLI must reach the instance that started the scan (sticky sessions, or
/// point `--server` at one instance).
final class DuplicateScans: Sendable {
    /// A scan as the admin API reports it.
    struct Scan: Sendable {
        enum State: String, Sendable { case running, done, failed }

        var id: String
        var state: State
        var phase: String
        var done: Int
        var total: Int
        var minScore: Double
        var limit: Int
        var startedAt: Date
        var finishedAt: Date?
        var pairs: [ScoredPair]?
        var customersScanned: Int
    }

    static let keptScans = 8
    static let keptFor: TimeInterval = 3_600
    static let pageSize = 10_000

    private let scans = Mutex<[String: Scan]>([:])
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Starts a scan, or returns the id of the one already running.
    func start(store: any IdentityStore, finder: DuplicateFinder, minScore: Double, limit: Int, now: Date = Date()) -> Result<Scan, RunningScan> {
        let scan = Scan(id: "dsc_" + OpaqueToken().value, state: .running, phase: "loading", done: 0, total: 0, minScore: minScore, limit: limit,
                        startedAt: now, customersScanned: 0)
        let refused: String? = scans.withLock { scans in
            if let running = scans.values.first(where: { $0.state == .running }) { return running.id }
            let expired = scans.values.filter { ($0.finishedAt ?? now).addingTimeInterval(Self.keptFor) < now }.map(\.id)
            for id in expired { scans[id] = nil }
            let finished = scans.values.filter { $0.state != .running }.sorted { $0.startedAt < $1.startedAt }
            for old in finished.dropLast(Self.keptScans - 1) { scans[old.id] = nil }
            scans[scan.id] = scan
            return nil
        }
        if let refused { return .failure(RunningScan(id: refused)) }
        Task.detached { [self] in await self.run(scan.id, store: store, finder: finder, minScore: minScore, limit: limit) }
        return .success(scan)
    }

    func scan(_ id: String) -> Scan? {
        scans.withLock { $0[id] }
    }

    /// The id of a scan that is still running.
    struct RunningScan: Error {
        var id: String
    }

    private func run(_ id: String, store: any IdentityStore, finder: DuplicateFinder, minScore: Double, limit: Int) async {
        do {
            let total = try await store.statistics().customers
            update(id) { $0.total = total }
            var records: [CustomerRecord] = []
            records.reserveCapacity(total)
            var after: CustomerID?
            while true {
                let page = try await store.customers(after: after, limit: Self.pageSize)
                guard let last = page.last else { break }
                records.append(contentsOf: page.map { CustomerRecord(id: $0.id, profile: $0.profile, identifiers: $0.links.map(\.identifier)) })
                after = last.id
                let loaded = records.count
                update(id) { $0.done = loaded }
            }
            let refused = try await store.duplicateCandidates(limit: Int.max)
            let scanned = records.count
            // Scoring is CPU work: it runs on NIO's blocking pool, not on the threads that serve requests.
            let pairs = try await NIOThreadPool.singleton.runIfActive { [records] in
                finder.find(records, refusedLinks: refused, minimumScore: minScore, limit: limit) { progress in
                    self.update(id) {
                        $0.phase = progress.phase.rawValue
                        $0.done = progress.done
                        $0.total = progress.total
                    }
                }
            }
            update(id) {
                $0.state = .done
                $0.phase = "done"
                $0.pairs = pairs
                $0.customersScanned = scanned
                $0.finishedAt = Date()
            }
        } catch {
            logger.error("duplicate scan failed", metadata: ["scan": "\(id)", "error": "\(String(reflecting: error))"])
            update(id) {
                $0.state = .failed
                $0.finishedAt = Date()
            }
        }
    }

    private func update(_ id: String, _ change: (inout Scan) -> Void) {
        scans.withLock { scans in
            if var scan = scans[id] {
                change(&scan)
                scans[id] = scan
            }
        }
    }
}
