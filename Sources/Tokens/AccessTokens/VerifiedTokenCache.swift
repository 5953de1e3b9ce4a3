import Synchronization

/// A bounded map from the exact text of successfully verified tokens to what verification
/// produced, so that repeated requests with the same token skip parsing and signature checks.
///
/// Only tokens that passed every check are inserted; a hit still has its time-dependent checks
/// redone by the caller. When full, the oldest insertion is evicted (a ring of keys next to the
/// dictionary, O(1) per operation). One mutex around both; the critical sections are a hash
/// lookup or an insert.
final class VerifiedTokenCache<Value: Sendable>: Sendable {
    private struct State: ~Copyable {
        var entries: [String: Value] = [:]
        /// Insertion order; `nil` for free slots.
        var ring: [String?]
        var next = 0
    }

    let capacity: Int
    private let state: Mutex<State>

    /// Creates a cache holding at most `capacity` tokens; 0 disables caching.
    init(capacity: Int) {
        self.capacity = max(0, capacity)
        self.state = Mutex(State(ring: Array(repeating: nil, count: max(0, capacity))))
    }

    /// The value cached for `token`.
    func value(for token: String) -> Value? {
        guard capacity > 0 else { return nil }
        return state.withLock { $0.entries[token] }
    }

    /// Caches `value` for `token`, evicting the oldest entry when full.
    func insert(_ value: Value, for token: String) {
        guard capacity > 0 else { return }
        state.withLock { state in
            if state.entries.updateValue(value, forKey: token) != nil { return }
            if let evicted = state.ring[state.next] {
                state.entries.removeValue(forKey: evicted)
            }
            state.ring[state.next] = token
            state.next = (state.next + 1) % capacity
        }
    }

    /// Drops `token` (e.g. once expired); its ring slot is reclaimed when reached.
    func remove(_ token: String) {
        guard capacity > 0 else { return }
        state.withLock { _ = $0.entries.removeValue(forKey: token) }
    }

    /// The number of cached tokens.
    var count: Int {
        state.withLock { $0.entries.count }
    }
}
