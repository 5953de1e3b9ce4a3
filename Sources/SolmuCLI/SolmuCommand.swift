public import ArgumentParser
import Foundation

/// `solmu`: the single binary operators run.
public struct SolmuCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "solmu",
        abstract: "Single sign-on and unified customer identity for retailers with many channels.",
        discussion: """
            Every option can also be set with an environment variable named SOLMU_ and the option's \
            name in capitals (--database → SOLMU_DATABASE). A flag on the command line wins.
            """,
        subcommands: [Serve.self, Import.self, Migrate.self, AdminCommand.self, AuditCommand.self, ChannelsCommand.self, PoliciesCommand.self, KeysCommand.self]
    )

    public init() {}

    /// Parses the process arguments and runs the command asynchronously. (Calling `main()` from
    /// top-level code resolves to ArgumentParser's synchronous overload, which refuses async commands.)
    public static func runFromCommandLine() async {
        do {
            var command = try await asyncParseAsRoot(nil)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // Usage errors exit 2, as the admin commands document (ArgumentParser's default is 64).
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
