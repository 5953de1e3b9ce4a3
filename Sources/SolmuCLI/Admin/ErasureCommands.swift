import ArgumentParser
import NIOHTTP1
import Foundation

/// `solmu admin erase`.
struct EraseCommand: AdminSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase a customer on request (right to erasure). Irreversible.",
        discussion: """
            Links, profile, merge snapshots, sessions and refresh tokens are deleted; the id becomes a \
            tombstone that answers 410 Gone. The link log keeps its entries, which hold keyed hashes \
            and never identifier values. Asks for confirmation on a terminal; scripts pass --yes.
            """
    )

    @Argument(help: "The customer id (cus_…).")
    var id: String

    @Option(help: "Why, for the link log (e.g. the request's reference).")
    var reason: String

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    @OptionGroup var admin: AdminOptions

    func validate() throws {
        _ = try IDArgument.customer(id)
    }

    func validateInput() async throws {
        guard !yes else { return }
        guard isatty(STDIN_FILENO) == 1 else {
            throw AdminError.usage("erasure cannot be undone: confirm with --yes when not on a terminal")
        }
        AdminOutput.warn("Erase \(id)? This cannot be undone. Type the customer id to confirm:")
        guard readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces) == id else {
            throw AdminError.usage("not confirmed; nothing was erased")
        }
    }

    func execute(_ client: AdminClient) async throws {
        let answer = try await client.object(.POST, "/admin/v1/customers/\(id)/erase",
                                             body: ["operator": try admin.settings().operatorName, "reason": reason])
        if admin.json { return AdminOutput.printJSON(answer.data) }
        let merged = answer.json["merged_ids"] as? [String] ?? []
        AdminOutput.print("""
            erased \(id): \(answer.json.text("erased_identifiers")) identifier(s), \(answer.json.text("login_records_removed")) login record(s)\
            \(merged.isEmpty ? "" : "; also the ids merged into it: \(merged.joined(separator: ", "))")
            """)
    }
}

/// `solmu admin export`.
struct ExportCommand: AdminSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Everything Solmu holds about a customer, as JSON (right of access).",
        discussion: "Profile, links with provenance, merge history, link-log entries, sessions and refresh grants. The file is created readable by you only."
    )

    @Argument(help: "The customer id (cus_…).")
    var id: String

    @Option(help: "Write to this file instead of standard output.")
    var out: String?

    @OptionGroup var admin: AdminOptions

    func validate() throws {
        _ = try IDArgument.customer(id)
    }

    func execute(_ client: AdminClient) async throws {
        let data = try await client.call(.GET, "/admin/v1/customers/\(id)/export")
        guard let out else { return AdminOutput.printJSON(data) }
        // Personal data: owner-only from the start, never world-readable for a moment.
        guard FileManager.default.createFile(atPath: out, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw AdminError.failure("cannot write \(out)")
        }
        AdminOutput.warn("wrote \(data.count) bytes to \(out)")
    }
}
