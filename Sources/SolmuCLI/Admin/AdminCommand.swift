import ArgumentParser
import NIOHTTP1

/// `solmu admin`: find and merge duplicates, undo merges, move and erase, over the admin API
/// of a running server.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Administer customers on a running Solmu server (duplicates, merges, erasure).",
        discussion: """
            Talks to --server as the admin-cli channel: credentials from SOLMU_CLIENT_ID and \
            SOLMU_CLIENT_SECRET or from the config file. Every change records --operator and
            --reason in the link log.

            Exit codes: 0 done, 1 error (unknown id, server unreachable), 2 usage (bad arguments \
            or input), 3 refused by a rule (conflict, limit, merge dependency).
            """,
        subcommands: [
            CustomerCommand.self, LinkCommand.self, UnlinkCommand.self, MoveCommand.self, DuplicatesCommand.self,
            MergeCommand.self, UnmergeCommand.self, EraseCommand.self, ExportCommand.self,
        ]
    )
}

/// `solmu admin customer`.
struct CustomerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer",
        abstract: "Look at customers.",
        subcommands: [Show.self]
    )

    struct Show: AdminSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a customer: status, profile, links with provenance, merge history.",
            discussion: "Name the customer by id, or by one of their identifiers with --identifier KIND:[NAMESPACE:]VALUE."
        )

        @Argument(help: "The customer id (cus_…).")
        var id: String?

        @Option(help: ArgumentHelp("An identifier of the customer instead of the id.", valueName: "kind:[namespace:]value"))
        var identifier: String?

        @OptionGroup var admin: AdminOptions

        func validate() throws {
            guard (id == nil) != (identifier == nil) else {
                throw ValidationError("name the customer by id or by --identifier, not both and not neither")
            }
            if let id { _ = try IDArgument.customer(id) }
            if let identifier { _ = try IdentifierArgument.parse(identifier, option: "--identifier") }
        }

        func execute(_ client: AdminClient) async throws {
            let answer = if let id {
                try await client.object(.GET, "/admin/v1/customers/\(id)")
            } else {
                try await client.object(.POST, "/admin/v1/customers/lookup",
                                        body: ["identifier": try IdentifierArgument.parse(identifier ?? "", option: "--identifier")])
            }
            if admin.json { return AdminOutput.printJSON(answer.data) }
            AdminOutput.print(CustomerReport.render(answer.json))
        }
    }
}

/// A customer as a person reads it.
enum CustomerReport {
    static func render(_ customer: [String: Any]) -> String {
        var lines = ["customer  \(customer.text("id"))", "status    \(customer.text("status"))"]
        switch customer.text("status") {
        case "merged":
            lines.append("merged    into \(customer.text("merged_into")) by \(customer.text("merge_id"))")
        case "erased":
            lines.append("erased    \(customer.text("erased_at"))")
        default:
            lines.append("created   \(customer.text("created_at"))")
            let profile = customer.object("profile")
            if !profile.isEmpty {
                lines.append("profile   " + profile.keys.sorted().map { "\($0)=\(profile.text($0))" }.joined(separator: " "))
            }
        }
        let identifiers = customer.objects("identifiers")
        if !identifiers.isEmpty {
            lines += ["", "identifiers (\(identifiers.count))", identifiers.linkTable]
        }
        let merges = customer.objects("merges")
        if !merges.isEmpty {
            var table = TextTable("MERGE", "ROLE", "SURVIVOR", "DUPLICATE", "STATE", "TIME", "OPERATOR", "REASON")
            for merge in merges {
                table.add(merge.text("id"), merge.text("role"), merge.text("survivor"), merge.text("duplicate"), merge.text("state"),
                          merge.text("time"), merge.text("operator"), merge.text("reason"))
            }
            lines += ["", "merge history", table.rendered]
        }
        return lines.joined(separator: "\n")
    }
}
