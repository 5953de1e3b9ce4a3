import CustomerLogin
import Foundation
import Logging
import ServiceLifecycle

/// Removes login state that can no longer be used, once an hour: expired requests, challenges,
/// codes, revocations and rate windows, dead sessions and refresh families, delivered messages.
/// Everything is kept for a day past its end, so that a replayed code is still recognised.
struct LoginHousekeeping: Service {
    let store: any LoginStore
    let logger: Logger
    var interval: Duration = .seconds(3_600)
    var grace: TimeInterval = 86_400

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let removed = try await store.purge(before: Date().addingTimeInterval(-grace))
                if removed > 0 { logger.info("purged expired login state", metadata: ["rows": "\(removed)"]) }
            } catch {
                logger.error("login housekeeping failed", metadata: ["error": "\(error)"])
            }
            let interval = self.interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
