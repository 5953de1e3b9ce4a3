import CustomerLogin
import Messaging
import Synchronization

/// A `MessageSender` that records what it was given and fails as scripted: each call takes the
/// next error from the script (`nil` = success); when the script is empty it succeeds.
final class ScriptedSender: MessageSender {
    private struct State {
        var script: [MessagingError?]
        var sent: [OutboxMessage] = []
    }

    private let state: Mutex<State>

    init(failing script: [MessagingError?] = []) {
        self.state = Mutex(State(script: script))
    }

    /// Every message handed over, in order, including failed ones.
    var sent: [OutboxMessage] { self.state.withLock { $0.sent } }

    func send(_ message: OutboxMessage) async throws {
        let failure: MessagingError? = self.state.withLock { state in
            state.sent.append(message)
            return state.script.isEmpty ? nil : state.script.removeFirst()
        }
        if let failure { throw failure }
    }
}
