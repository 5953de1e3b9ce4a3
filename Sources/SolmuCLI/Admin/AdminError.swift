import ArgumentParser

/// Why an admin command failed, with its exit code: 1 error, 2 usage, 3 refused by a rule.
struct AdminError: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32
    /// The problem's type (e.g. `scan-running`) and its string members, when the server sent one.
    var problemType: String?
    var problemDetails: [String: String] = [:]

    static func usage(_ message: String) -> AdminError { AdminError(description: message, exitCode: 2) }
    static func failure(_ message: String) -> AdminError { AdminError(description: message, exitCode: 1) }
    static func refused(_ message: String) -> AdminError { AdminError(description: message, exitCode: 3) }

    /// The exit code for a server's answer: bad input is a usage error, a rule's refusal (409,
    /// 410, 422) is 3, anything else (unknown ids, authentication, server errors) 1.
    static func exitCode(forStatus status: Int) -> Int32 {
        switch status {
        case 400: 2
        case 409, 410, 422: 3
        default: 1
        }
    }
}
