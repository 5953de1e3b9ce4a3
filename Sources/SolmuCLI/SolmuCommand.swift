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
        subcommands: [Serve.self, Import.self, ChannelsCommand.self, PoliciesCommand.self]
    )

    public init() {}
}
