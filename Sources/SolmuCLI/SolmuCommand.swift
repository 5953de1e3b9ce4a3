public import ArgumentParser

/// `solmu`: the single binary operators run.
public struct SolmuCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "solmu",
        abstract: "Single sign-on and unified customer identity for retailers with many channels.",
        discussion: """
            Every option can also be set with an environment variable named SOLMU_ and the option's
            name in capitals (--database → SOLMU_DATABASE). A flag on the command line wins.
            """,
        subcommands: [Serve.self, Import.self, ChannelsCommand.self, PoliciesCommand.self, KeysCommand.self]
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
            exit(withError: error)
        }
    }
}
