import ArgumentParser
import NIOHTTP1
import Foundation

/// `solmu admin merge`.
struct MergeCommand: AdminSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge a duplicate customer into a survivor, or a batch of pairs from a CSV file.",
        discussion: """
            Every link of DUPLICATE moves to SURVIVOR; DUPLICATE keeps resolving to SURVIVOR. A merge \
            that would break a per-kind limit is refused (exit 3) and changes nothing. --dry-run shows \
            the survivor as it would be.

            --file reads lines "survivor,duplicate[,reason]" (a header line and # comments are \
            skipped; a line's reason overrides --reason), merges them in order and prints a report. \
            Exit 0 when all merged, 3 when some were refused, 1 when some failed.
            """
    )

    @Argument(help: "The customer that stays (cus_…).")
    var survivor: String?

    @Argument(help: "The customer merged into it (cus_…).")
    var duplicate: String?

    @Option(help: "A CSV file of pairs to merge.")
    var file: String?

    @Option(help: "Why, for the link log.")
    var reason: String

    @Flag(help: "Show what the merge would do without doing it.")
    var dryRun = false

    @OptionGroup var admin: AdminOptions

    func validate() throws {
        if file != nil {
            guard survivor == nil, duplicate == nil else { throw ValidationError("give either SURVIVOR DUPLICATE or --file, not both") }
        } else {
            guard let survivor, let duplicate else { throw ValidationError("give SURVIVOR and DUPLICATE, or --file") }
            _ = try IDArgument.customer(survivor, "SURVIVOR")
            _ = try IDArgument.customer(duplicate, "DUPLICATE")
        }
    }

    func validateInput() async throws {
        if let file { _ = try MergeBatch.read(file) }
    }

    func execute(_ client: AdminClient) async throws {
        let operatorName = try admin.settings().operatorName
        if let file {
            return try await MergeBatch(pairs: MergeBatch.read(file), reason: reason, operatorName: operatorName, dryRun: dryRun, json: admin.json)
                .run(client)
        }
        guard let survivor, let duplicate else { return }
        let body: [String: Any] = ["survivor": survivor, "duplicate": duplicate, "operator": operatorName, "reason": reason, "dry_run": dryRun]
        let answer = try await client.object(.POST, "/admin/v1/merges", body: body)
        if admin.json { return AdminOutput.printJSON(answer.data) }
        if dryRun {
            let filled = (answer.json["filled_profile_fields"] as? [String] ?? []).joined(separator: ", ")
            AdminOutput.print("""
                dry run: merging \(duplicate) into \(survivor) would move \(answer.json.text("moved_identifiers")) identifier(s)\
                \(filled.isEmpty ? "" : " and fill \(filled)")
                """)
            AdminOutput.print(answer.json.objects("identifiers").linkTable)
        } else {
            AdminOutput.print("merged \(duplicate) into \(survivor): merge \(answer.json.text("id")) (undo with: solmu admin unmerge \(answer.json.text("id")) --reason …)")
        }
    }
}

/// A batch of merges from a CSV file, with a report.
struct MergeBatch {
    struct Pair {
        var line: Int
        var survivor: String
        var duplicate: String
        var reason: String?
    }

    var pairs: [Pair]
    var reason: String
    var operatorName: String
    var dryRun: Bool
    var json: Bool

    static let maxPairs = 100_000

    /// Reads and checks the whole file before anything is merged.
    static func read(_ path: String) throws -> [Pair] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read \(path)") }
        var pairs: [Pair] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if pairs.isEmpty, fields.first?.lowercased() == "survivor" { continue }
            guard fields.count >= 2 else { throw ValidationError("\(path):\(index + 1): expected survivor,duplicate[,reason]") }
            do {
                _ = try IDArgument.customer(fields[0], "survivor")
                _ = try IDArgument.customer(fields[1], "duplicate")
            } catch let error as ValidationError {
                throw ValidationError("\(path):\(index + 1): \(error.message)")
            }
            let reason = fields.count > 2 && !fields[2].isEmpty ? fields[2] : nil
            pairs.append(Pair(line: index + 1, survivor: fields[0], duplicate: fields[1], reason: reason))
        }
        guard !pairs.isEmpty else { throw ValidationError("\(path): no pairs to merge") }
        guard pairs.count <= maxPairs else { throw ValidationError("\(path): at most \(maxPairs) pairs per file") }
        return pairs
    }

    func run(_ client: AdminClient) async throws {
        var rows: [[String: Any]] = []
        var refused = 0
        var failed = 0
        for (index, pair) in pairs.enumerated() {
            AdminOutput.progress("\(dryRun ? "checking" : "merging") \(index + 1) of \(pairs.count)")
            var row: [String: Any] = ["line": pair.line, "survivor": pair.survivor, "duplicate": pair.duplicate]
            do {
                let answer = try await client.object(.POST, "/admin/v1/merges", body: [
                    "survivor": pair.survivor, "duplicate": pair.duplicate, "operator": operatorName,
                    "reason": pair.reason ?? reason, "dry_run": dryRun,
                ])
                row["result"] = dryRun ? "would merge" : "merged"
                if !dryRun { row["merge_id"] = answer.json.text("id") }
            } catch let error as AdminError {
                row["result"] = error.exitCode == 3 || error.exitCode == 2 ? "refused" : "failed"
                row["detail"] = error.description
                if error.exitCode == 3 || error.exitCode == 2 { refused += 1 } else { failed += 1 }
            }
            rows.append(row)
        }
        AdminOutput.endProgress()
        let done = pairs.count - refused - failed
        if json {
            AdminOutput.printJSON(["results": rows, "merged": dryRun ? 0 : done, "refused": refused, "failed": failed] as [String: Any])
        } else {
            var table = TextTable("LINE", "SURVIVOR", "DUPLICATE", "RESULT", "MERGE / DETAIL")
            for row in rows {
                table.add(row.text("line"), row.text("survivor"), row.text("duplicate"), row.text("result"),
                          row["merge_id"] as? String ?? row["detail"] as? String ?? "")
            }
            AdminOutput.print(table.rendered)
            AdminOutput.print("\(done) \(dryRun ? "would merge" : "merged"), \(refused) refused, \(failed) failed")
        }
        if failed > 0 { throw ExitCode(1) }
        if refused > 0 { throw ExitCode(3) }
    }
}

/// `solmu admin unmerge`.
struct UnmergeCommand: AdminSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "unmerge",
        abstract: "Undo a merge, restoring both customers as they were before it.",
        discussion: """
            The duplicate gets back its links (with their original provenance) and its profile. \
            Identifiers the survivor gained after the merge stay with it unless named with --move. \
            A merge that a later merge builds on is refused (exit 3) with that merge named.
            """
    )

    @Argument(help: "The merge id (mrg_…).")
    var mergeID: String

    @Option(help: "Why, for the link log.")
    var reason: String

    @Option(name: .customLong("move"), help: ArgumentHelp("An identifier gained after the merge that goes to the restored customer too (repeatable).", valueName: "kind:[namespace:]value"))
    var moving: [String] = []

    @OptionGroup var admin: AdminOptions

    func validate() throws {
        _ = try IDArgument.merge(mergeID)
        for identifier in moving { _ = try IdentifierArgument.parse(identifier, option: "--move") }
    }

    func execute(_ client: AdminClient) async throws {
        let body: [String: Any] = [
            "operator": try admin.settings().operatorName, "reason": reason,
            "move": try moving.map { try IdentifierArgument.parse($0, option: "--move") },
        ]
        let answer = try await client.object(.POST, "/admin/v1/merges/\(mergeID)/undo", body: body)
        if admin.json { return AdminOutput.printJSON(answer.data) }
        let merge = answer.json.object("merge")
        AdminOutput.print("undid merge \(mergeID): \(merge.text("duplicate")) stands on its own again")
        AdminOutput.print("restored \(answer.json.objects("restored").count), moved \(answer.json.objects("moved").count) identifier(s)")
        let missing = answer.json.objects("missing")
        if !missing.isEmpty {
            AdminOutput.print("not restored (no longer held by \(merge.text("survivor"))): " + missing.map(describe).joined(separator: ", "))
        }
    }
}
