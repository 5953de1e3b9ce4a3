import CustomerLogin
import Foundation

/// Test messages.
enum Fixtures {
    static let epoch = Date(timeIntervalSince1970: 1_750_000_000)

    static func code(id: String = "msg_code_1", to destination: String = "anna@example.com", code: String = "482913", attempts: Int = 0, at time: Date = epoch) -> OutboxMessage {
        OutboxMessage(
            id: id,
            kind: .oneTimeCode,
            destination: destination,
            payload: #"{"code":"\#(code)","locale":"fi"}"#,
            createdAt: time,
            attempts: attempts,
            nextAttemptAt: time
        )
    }

    static func logout(id: String = "msg_logout_1", to destination: String, token: String = "eyJhbGciOiJFUzI1NiJ9.eyJzaWQiOiJzXzEifQ.c2lnbmF0dXJl", at time: Date = epoch) -> OutboxMessage {
        OutboxMessage(id: id, kind: .backchannelLogout, destination: destination, payload: token, createdAt: time, nextAttemptAt: time)
    }
}
