import ArgumentParser
import NIOHTTP1
import Foundation

/// `solmu admin duplicates`.
struct DuplicatesCommand: AdminSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "Find customers who may be one person, with a score and the reasons.",
        discussion: """
            Evidence: links refused because the identifier belonged to another customer; identifiers \
            equal after looser matching (e-mail sub-addresses and provider dots, phone numbers with \
            and without country code); profile similarity (names with nicknames and typos, swapped \
            names, birth date, postal code). Each reason is shown with its weight. The scan runs on \
            the server; progress is shown on standard error. See docs/duplicates.md.
            """
    )

    @Option(help: "Only pairs scoring at least this, from 0 to 1 (default: the server's threshold).")
    var minScore: Double?

    @Option(help: "At most this many pairs, best first (1 to 100000).")
    var limit = 100

    @OptionGroup var admin: AdminOptions

    static let pollInterval: Duration = .milliseconds(500)

    func validate() throws {
        if let minScore, !(minScore.isFinite && (0...1).contains(minScore)) { throw ValidationError("--min-score must be from 0 to 1") }
        guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 100000") }
    }

    func execute(_ client: AdminClient) async throws {
        var body: [String: Any] = ["limit": limit]
        if let minScore { body["min_score"] = minScore }
        var scanID: String
        do {
            scanID = try await client.object(.POST, "/admin/v1/duplicate-scans", body: body).json.text("id")
        } catch let error as AdminError where error.problemType == "scan-running" {
            // Someone else's scan is running: follow it rather than fail.
            guard let running = error.problemDetails["scan"] else { throw error }
            AdminOutput.warn("a scan is already running on the server; following \(running)")
            scanID = running
        }
        var scan: (data: Data, json: [String: Any])
        while true {
            scan = try await client.object(.GET, "/admin/v1/duplicate-scans/\(scanID)")
            let progress = scan.json.object("progress")
            let state = scan.json.text("state")
            if state != "running" { break }
            let done = progress["done"] as? Int ?? 0
            let total = progress["total"] as? Int ?? 0
            AdminOutput.progress("\(progress.text("phase")): \(done)\(total > 0 ? " of \(total)" : "")")
            try await Task.sleep(for: Self.pollInterval)
        }
        AdminOutput.endProgress()
        guard scan.json.text("state") == "done" else {
            throw AdminError.failure("the duplicate scan \(scanID) failed on the server; its log has the reason")
        }
        if admin.json { return AdminOutput.printJSON(scan.data) }
        let pairs = scan.json.objects("pairs")
        AdminOutput.print("\(pairs.count) candidate pair(s) among \(scan.json.text("customers_scanned")) customers, min score \(scan.json.text("min_score"))")
        guard !pairs.isEmpty else { return }
        var table = TextTable("SCORE", "FIRST", "SECOND", "REASONS")
        for pair in pairs {
            let reasons = pair.objects("reasons").map { reason in
                let weight = reason["weight"] as? Double ?? 0
                return "\(reason.text("code")) \(weight >= 0 ? "+" : "")\(String(format: "%.2f", weight))"
            }
            table.add(String(format: "%.3f", pair["score"] as? Double ?? 0), pair.text("first"), pair.text("second"), reasons.joined(separator: ", "))
        }
        AdminOutput.print(table.rendered)
    }
}
