import ArgumentParser
import Policies
import Foundation
import IdentityGraph
import Identifiers
import Channels
import Tokens
import Logging

/// `solmu policies check`: validate policy files before deploying them.
struct PoliciesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policies",
        abstract: "Work with policy files.",
        subcommands: [Check.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read and check every policy file; print the first error with its place.")

        @Option(help: ArgumentHelp("The directory of policy files. [env: SOLMU_POLICIES] (default: policies)", valueName: "dir"))
        var policies: String?

        func run() throws {
            let directory = EnvironmentVariables.value(policies, "SOLMU_POLICIES", default: "policies")
            do {
                let set = try PolicySet.load(directory: directory)
                print("policies in \(directory) are valid: \(set.channels.count) channels, \(set.rules.blocked.count) blocked values")
            } catch {
                throw CLIError("\(error)")
            }
        }
    }
}
