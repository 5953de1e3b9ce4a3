import ArgumentParser
import NIOHTTP1

/// `solmu admin link`.
struct LinkCommand: AdminSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Link an identifier to a customer.",
        discussion: "A conflict (the identifier belongs to someone else) exits 3 and is recorded as a duplicate candidate."
    )

    @Argument(help: "The customer id (cus_…).")
    var id: String

    @Argument(help: ArgumentHelp("The identifier.", valueName: "kind:[namespace:]value"))
    var identifier: String

    @OptionGroup var change: AssuredChangeOptions

    @OptionGroup var admin: AdminOptions

    func validate() throws {
        _ = try IDArgument.customer(id)
        _ = try IdentifierArgument.parse(identifier, option: "identifier")
    }

    func execute(_ client: AdminClient) async throws {
        var body: [String: Any] = [
            "identifier": try IdentifierArgument.parse(identifier, option: "identifier"),
            "operator": try admin.settings().operatorName, "reason": change.reason,
        ]
        if let assurance = change.assurance { body["assurance"] = assurance }
        let answer = try await client.object(.POST, "/admin/v1/customers/\(id)/links", body: body)
        if admin.json { return AdminOutput.printJSON(answer.data) }
        AdminOutput.print("\(answer.json.text("result")): \(describe(answer.json.object("identifier"))) → \(id)")
    }
}

/// `solmu admin unlink`.
struct UnlinkCommand: AdminSubcommand {
    static let configuration = CommandConfiguration(commandName: "unlink", abstract: "Remove an identifier from a customer.")

    @Argument(help: "The customer id (cus_…).")
    var id: String

    @Argument(help: ArgumentHelp("The identifier.", valueName: "kind:[namespace:]value"))
    var identifier: String

    @Option(help: "Why, for the link log.")
    var reason: String

    @OptionGroup var admin: AdminOptions

    func validate() throws {
        _ = try IDArgument.customer(id)
        _ = try IdentifierArgument.parse(identifier, option: "identifier")
    }

    func execute(_ client: AdminClient) async throws {
        let body: [String: Any] = [
            "identifier": try IdentifierArgument.parse(identifier, option: "identifier"),
            "operator": try admin.settings().operatorName, "reason": reason,
        ]
        let answer = try await client.object(.DELETE, "/admin/v1/customers/\(id)/links", body: body)
        if admin.json { return AdminOutput.printJSON(answer.data) }
        AdminOutput.print("unlinked: \(describe(answer.json.object("identifier"))) from \(id)")
    }
}

/// `solmu admin move`.
struct MoveCommand: AdminSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: "Give an identifier to another customer (e.g. a recycled phone number); history is kept.",
        discussion: "The identifier starts over at --assurance (default asserted) at its new owner."
    )

    @Argument(help: ArgumentHelp("The identifier.", valueName: "kind:[namespace:]value"))
    var identifier: String

    @Option(help: "The new owner (cus_…).")
    var to: String

    @OptionGroup var change: AssuredChangeOptions

    @OptionGroup var admin: AdminOptions

    func validate() throws {
        _ = try IDArgument.customer(to, "--to")
        _ = try IdentifierArgument.parse(identifier, option: "identifier")
    }

    func execute(_ client: AdminClient) async throws {
        var body: [String: Any] = [
            "identifier": try IdentifierArgument.parse(identifier, option: "identifier"), "to": to,
            "operator": try admin.settings().operatorName, "reason": change.reason,
        ]
        if let assurance = change.assurance { body["assurance"] = assurance }
        let answer = try await client.object(.POST, "/admin/v1/moves", body: body)
        if admin.json { return AdminOutput.printJSON(answer.data) }
        AdminOutput.print("moved: \(describe(answer.json.object("identifier"))) from \(answer.json.text("previous_owner")) to \(to)")
    }
}

/// `kind:namespace:value` of an identifier object the API returned.
func describe(_ identifier: [String: Any]) -> String {
    [identifier["kind"], identifier["namespace"], identifier["value"]].compactMap { $0 as? String }.joined(separator: ":")
}

/// `--assurance` and `--reason` of a change that links an identifier.
struct AssuredChangeOptions: ParsableArguments {
    @Option(help: "inferred, asserted or verified (default: asserted).")
    var assurance: String?

    @Option(help: "Why, for the link log.")
    var reason: String

    func validate() throws {
        if let assurance, !["inferred", "asserted", "verified"].contains(assurance) {
            throw ValidationError("--assurance must be inferred, asserted or verified")
        }
    }
}
