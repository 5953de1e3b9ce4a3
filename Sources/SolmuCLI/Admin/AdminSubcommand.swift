import ArgumentParser
import Foundation
import Identifiers

/// An `solmu admin` command: connects with the admin credentials, does its work, and turns an
/// `AdminError` into a message on standard error and its exit code (1 error, 2 usage, 3 refused).
protocol AdminSubcommand: AsyncParsableCommand {
    var admin: AdminOptions { get }
    /// Checks that need no server (file contents, confirmation); usage errors before connecting.
    func validateInput() async throws
    func execute(_ client: AdminClient) async throws
}

extension AdminSubcommand {
    func run() async throws {
        do {
            let settings = try admin.settings()
            try await validateInput()
            let client = try await AdminClient.connect(settings)
            try await execute(client)
        } catch let error as AdminError {
            AdminOutput.warn("error: \(error.description)")
            throw ExitCode(error.exitCode)
        }
    }

    func validateInput() async throws {}
}

/// `KIND:[NAMESPACE:]VALUE` from the command line, as the API's identifier object.
enum IdentifierArgument {
    static func parse(_ text: String, option: String) throws -> [String: Any] {
        let raw: RawIdentifier
        do {
            raw = try RawIdentifier(compact: text)
        } catch {
            throw ValidationError("\(option): \(error.reason)")
        }
        var object: [String: Any] = ["kind": raw.kind, "value": raw.value]
        if let namespace = raw.namespace { object["namespace"] = namespace }
        return object
    }
}

/// Customer and merge ids are checked before anything is sent.
enum IDArgument {
    static func customer(_ text: String, _ name: String = "customer id") throws -> String {
        guard text.hasPrefix("cus_"), text.utf8.count == 30 else {
            throw ValidationError("\(name) must be cus_ followed by 26 characters")
        }
        return text
    }

    static func merge(_ text: String) throws -> String {
        guard text.hasPrefix("mrg_"), text.utf8.count == 30 else {
            throw ValidationError("merge id must be mrg_ followed by 26 characters")
        }
        return text
    }
}
