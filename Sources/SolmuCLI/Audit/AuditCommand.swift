import ArgumentParser
import Foundation
import IdentityGraph
import Identifiers
import NIOHTTP1
import VerifiableLog

/// `solmu audit`: check the link log without trusting the server.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify the link log: signed checkpoints, the Merkle tree, and the history's meaning.",
        discussion: """
            Talks to --server as the auditor channel (scope audit:read): credentials from \
            SOLMU_CLIENT_ID and SOLMU_CLIENT_SECRET or the config file. The log's verifier key \
            (`solmu keys log-verifier` on the server) comes from --verifier or SOLMU_LOG_VERIFIER; \
            pin it once and keep it. See docs/auditing.md. Exit codes: 0 verified, 1 verification \
            failed or error, 2 usage.
            """,
        subcommands: [AuditCheckpointCommand.self, AuditVerifyCommand.self, AuditExportCommand.self, AuditLogCommand.self]
    )
}

/// Options every audit command shares.
struct AuditOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The Solmu server. [env: SOLMU_SERVER] (default: http://127.0.0.1:8080)", valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp("The log's verifier key, name+id+key. [env: SOLMU_LOG_VERIFIER]", valueName: "key"))
    var verifier: String?

    @Option(help: ArgumentHelp("A YAML file with server, client_id and client_secret, readable by you only. [env: SOLMU_ADMIN_CONFIG]", valueName: "file"))
    var config: String?

    func noteVerifier() throws -> NoteVerifier {
        guard let key = verifier ?? ProcessInfo.processInfo.environment["SOLMU_LOG_VERIFIER"].nonEmpty else {
            throw AdminError.usage("no verifier key: pass --verifier or set SOLMU_LOG_VERIFIER (solmu keys log-verifier prints it)")
        }
        do {
            return try NoteVerifier(verifierKey: key)
        } catch {
            throw AdminError.usage("the verifier key is malformed: \(error)")
        }
    }

    /// Connects, fetches the server's checkpoint and verifies its signature.
    func serverCheckpoint() async throws -> (client: AdminClient, note: String, checkpoint: Checkpoint) {
        let verifier = try noteVerifier()
        let client = try await connect()
        let note = try await client.text("/log/checkpoint")
        return (client, note, try openCheckpoint(note, verifier: verifier, what: "the server's checkpoint"))
    }

    /// Connects with `audit:read`; `audit log` also needs `identity:read` (the link log's filters).
    func connect(scope: String = "audit:read") async throws -> AdminClient {
        let file = try AdminConfigFile.load(path: config ?? ProcessInfo.processInfo.environment["SOLMU_ADMIN_CONFIG"])
        return try await AdminClient.connect(try AdminSettings.resolve(server: server, file: file, json: false), scope: scope)
    }
}

/// Runs an audit command's body, turning `AdminError` and findings into messages and exit codes.
func auditing(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as AdminError {
        AdminOutput.warn("error: \(error.description)")
        throw ExitCode(error.exitCode)
    } catch let finding as LogAudit.Finding {
        AdminOutput.warn("verification failed: \(finding.description)")
        throw ExitCode(1)
    }
}

/// The signed checkpoint, opened with the verifier key.
func openCheckpoint(_ note: String, verifier: NoteVerifier, what: String) throws -> Checkpoint {
    do {
        return try Checkpoint.open(note, verifiers: [verifier])
    } catch {
        throw LogAudit.Finding(sequence: nil, problem: "\(what) does not verify with the verifier key (\(error))")
    }
}

/// `solmu audit checkpoint`.
struct AuditCheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "checkpoint", abstract: "Fetch the signed checkpoint, verify its signature, save it.")

    @Option(help: "Where to save the checkpoint (keep it: later verifications prove the log only grew since).")
    var save: String?

    @OptionGroup var audit: AuditOptions

    func run() async throws {
        try await auditing {
            let (_, note, checkpoint) = try await audit.serverCheckpoint()
            if let save {
                guard FileManager.default.createFile(atPath: save, contents: Data(note.utf8)) else { throw AdminError.failure("cannot write \(save)") }
            }
            AdminOutput.print("checkpoint \(checkpoint.origin): size \(checkpoint.size), root \(checkpoint.rootHash.base64)\(save.map { " (saved to \($0))" } ?? "")")
        }
    }
}

/// `solmu audit verify`.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the whole log against its signed checkpoint, online or from an export.",
        discussion: """
            Checks the checkpoint's signature, recomputes the Merkle root from every entry, checks \
            the sequence numbers and the history's meaning, and with --since that the log only grew \
            since an earlier checkpoint. Names the first bad entry it finds and exits 1.
            """
    )

    @Option(help: "Verify this export file (solmu audit export) offline instead of asking the server.")
    var export: String?

    @Option(help: "An earlier saved checkpoint: the log must be an extension of it.")
    var since: String?

    @OptionGroup var audit: AuditOptions

    func run() async throws {
        try await auditing {
            let verifier = try audit.noteVerifier()
            let note: String
            var entries: [LinkLogEntry]
            var leaves: [TreeHash] = []
            var client: AdminClient?
            if let export {
                (note, entries, leaves) = try LogExportFile.read(export)
            } else {
                let connected = try await audit.connect()
                client = connected
                note = try await connected.text("/log/checkpoint")
                entries = []
            }
            let checkpoint = try openCheckpoint(note, verifier: verifier, what: "the checkpoint")
            if let client {
                entries = try await fetchEntries(client, count: checkpoint.size)
                leaves = LogAudit.leafHashes(entries)
            }
            guard UInt64(entries.count) == checkpoint.size else {
                throw LogAudit.Finding(sequence: nil, problem: "the checkpoint covers \(checkpoint.size) entries, but \(entries.count) were given")
            }
            if let finding = LogAudit.checkMeaning(entries, start: 0) { throw finding }
            if TreeHasher.rootHash(leafHashes: leaves) != checkpoint.rootHash {
                if let client, let bad = try await firstBadEntry(client, leaves: leaves, checkpoint: checkpoint) {
                    throw LogAudit.Finding(sequence: Int64(bad) + 1, problem: "the entry differs from the one the signed tree holds (changed or replaced)")
                }
                throw LogAudit.Finding(sequence: nil, problem: "the entries do not hash to the checkpoint's root: an entry was changed, added, removed or reordered")
            }
            if let since {
                guard let text = try? String(contentsOfFile: since, encoding: .utf8) else { throw AdminError.usage("cannot read \(since)") }
                let old = try openCheckpoint(text, verifier: verifier, what: "the saved checkpoint \(since)")
                guard old.size <= checkpoint.size else {
                    throw LogAudit.Finding(sequence: Int64(checkpoint.size) + 1, problem: "the log shrank from \(old.size) to \(checkpoint.size) entries since the saved checkpoint")
                }
                guard TreeHasher.rootHash(leafHashes: leaves.prefix(Int(old.size))) == old.rootHash else {
                    throw LogAudit.Finding(sequence: nil, problem: "the first \(old.size) entries differ from those of the saved checkpoint: the log was rewritten")
                }
                if let client, old.size > 0, old.size < checkpoint.size {
                    let proof = try await consistencyProof(client, from: old.size, to: checkpoint.size)
                    do {
                        try MerkleProof.verifyConsistency(from: old.size, to: checkpoint.size, proof: proof, oldRoot: old.rootHash, newRoot: checkpoint.rootHash)
                    } catch {
                        throw LogAudit.Finding(sequence: nil, problem: "the server's consistency proof from the saved checkpoint does not verify (\(error))")
                    }
                }
            }
            AdminOutput.print("verified: \(checkpoint.size) entries, root \(checkpoint.rootHash.base64), signed by \(checkpoint.origin)\(since.map { "; an extension of \($0)" } ?? "")")
        }
    }

    private func fetchEntries(_ client: AdminClient, count: UInt64) async throws -> [LinkLogEntry] {
        var entries: [LinkLogEntry] = []
        entries.reserveCapacity(Int(count))
        var start: UInt64 = 0
        while start < count {
            let end = min(count, start + 1_000)
            let data = try await client.call(.GET, "/log/entries?start=\(start)&end=\(end)")
            let page = try LogAudit.makeDecoder().decode(LogEntriesPage.self, from: data)
            entries += page.entries
            guard !page.entries.isEmpty else { break }
            start += UInt64(page.entries.count)
            if count > 10_000 { AdminOutput.progress("fetched \(start) of \(count) entries") }
        }
        if count > 10_000 { AdminOutput.endProgress() }
        return entries
    }

    /// The first leaf that differs from the signed tree: the longest prefix whose root the
    /// server's consistency proofs confirm, found by bisection (O(log n) requests).
    private func firstBadEntry(_ client: AdminClient, leaves: [TreeHash], checkpoint: Checkpoint) async throws -> UInt64? {
        var good: UInt64 = 0
        var bad = checkpoint.size
        while bad - good > 1 {
            let middle = (good + bad) / 2
            let prefix = TreeHasher.rootHash(leafHashes: leaves.prefix(Int(middle)))
            let proof = try await consistencyProof(client, from: middle, to: checkpoint.size)
            if (try? MerkleProof.verifyConsistency(from: middle, to: checkpoint.size, proof: proof, oldRoot: prefix, newRoot: checkpoint.rootHash)) != nil {
                good = middle
            } else {
                bad = middle
            }
        }
        return bad - 1
    }

    private func consistencyProof(_ client: AdminClient, from: UInt64, to: UInt64) async throws -> [TreeHash] {
        let proof = try await client.object(.GET, "/log/proof/consistency?from=\(from)&to=\(to)").json
        return (proof["hashes"] as? [String] ?? []).compactMap { TreeHash(base64: $0) }
    }
}

/// One page of `GET /log/entries`.
struct LogEntriesPage: Decodable {
    var start: UInt64
    var entries: [LinkLogEntry]
}

/// `solmu audit export`.
struct AuditExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the checkpoint and the entries it covers to a JSON Lines file, for offline verification.",
        discussion: "Only a whole log (from 0 to the checkpoint's size) can be verified offline against the root; a range is for review."
    )

    @Option(help: "The first leaf index (default 0).")
    var from: UInt64 = 0

    @Option(help: "The leaf index after the last (default: the checkpoint's size).")
    var to: UInt64?

    @Option(help: "The file to write.")
    var out: String

    @OptionGroup var audit: AuditOptions

    func run() async throws {
        try await auditing {
            let (client, note, checkpoint) = try await audit.serverCheckpoint()
            let end = min(to ?? checkpoint.size, checkpoint.size)
            guard from <= end else { throw AdminError.usage("--from must not exceed --to (\(end))") }
            guard FileManager.default.createFile(atPath: out, contents: nil, attributes: [.posixPermissions: 0o600]),
                  let handle = FileHandle(forWritingAtPath: out)
            else { throw AdminError.failure("cannot write \(out)") }
            defer { try? handle.close() }
            let header = try JSONSerialization.data(withJSONObject: ["checkpoint": note], options: [.sortedKeys])
            handle.write(header + Data("\n".utf8))
            var start = from
            while start < end {
                let page = try await client.call(.GET, "/log/entries?start=\(start)&end=\(min(end, start + 1_000))")
                guard let object = try JSONSerialization.jsonObject(with: page) as? [String: Any],
                      let entries = object["entries"] as? [[String: Any]], !entries.isEmpty
                else { break }
                for entry in entries {
                    handle.write(try JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys, .withoutEscapingSlashes]) + Data("\n".utf8))
                }
                start += UInt64(entries.count)
            }
            AdminOutput.print("exported entries \(from)..<\(start) with the checkpoint of size \(checkpoint.size) to \(out)")
        }
    }
}

/// `solmu audit log`.
struct AuditLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Review entries: filter by customer, identifier, actor, action and time; a table, --json or --csv.",
        discussion: """
            The server filters (POST /log/search): an identifier is sent in the request body, the \
            server finds its entries through lookup hashes kept beside the log. Entries show the \
            readable value while the customer is not erased.
            """
    )

    @Option(help: "Only entries naming this customer (either side of a merge or move).")
    var customer: String?

    @Option(help: ArgumentHelp("Only entries about this identifier, whoever held it.", valueName: "kind:[namespace:]value"))
    var identifier: String?

    @Option(help: "Only entries by this actor (channel).")
    var actor: String?

    @Option(help: "Only this action (linked, merged, erased, …).")
    var action: String?

    @Option(help: "Only entries at or after this RFC 3339 time.")
    var since: String?

    @Option(help: "Only entries before this RFC 3339 time.")
    var until: String?

    @Flag(help: "Print JSON Lines.")
    var json = false

    @Flag(help: "Print CSV.")
    var csv = false

    @OptionGroup var audit: AuditOptions

    func validate() throws {
        if let action, LinkLogAction(rawValue: action) == nil {
            throw ValidationError("--action must be one of \(LinkLogAction.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let customer { _ = try IDArgument.customer(customer, "--customer") }
        if let identifier { _ = try IdentifierArgument.parse(identifier, option: "--identifier") }
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, ISO8601DateFormatter().date(from: value) == nil {
                throw ValidationError("\(name) must be an RFC 3339 time such as 2026-11-22T12:00:00Z")
            }
        }
        if json && csv { throw ValidationError("choose --json or --csv") }
    }

    func run() async throws {
        try await auditing {
            let client = try await audit.connect(scope: "audit:read")
            var filters: [String: Any] = [:]
            filters["customer_id"] = customer
            filters["identifier"] = try identifier.map { try IdentifierArgument.parse($0, option: "--identifier") }
            filters["actor"] = actor
            filters["action"] = action
            filters["since"] = since
            filters["until"] = until
            var matching: [ReviewedLogEntry] = []
            var after: Int64 = 0
            while true {
                var body = filters
                body["after"] = after
                body["limit"] = 1_000
                let data = try await client.call(.POST, "/log/search", body: body)
                let page = try LogAudit.makeDecoder().decode(LogSearchPage.self, from: data)
                matching += page.entries
                guard let next = page.nextAfter else { break }
                after = next
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                encoder.dateEncodingStrategy = .iso8601
                for entry in matching { AdminOutput.print(String(decoding: try encoder.encode(entry), as: UTF8.self)) }
                return
            }
            let rows = matching.map { reviewed -> [String] in
                let record = reviewed.entry.record
                return [String(reviewed.entry.sequence), ISO8601DateFormatter().string(from: record.time), record.actor, record.operatorName ?? "",
                        record.action.rawValue, record.customerID.rawValue, record.relatedCustomerID?.rawValue ?? "",
                        [record.identifierKind?.rawValue, record.namespace].compactMap { $0 }.joined(separator: ":"),
                        reviewed.detail?.value ?? reviewed.detail?.name ?? "", record.valueHash ?? "", record.reason ?? ""]
            }
            if csv {
                AdminOutput.print("sequence,time,actor,operator,action,customer,related,kind,detail,value_hash,reason")
                for row in rows { AdminOutput.print(row.map(Self.csvField).joined(separator: ",")) }
                return
            }
            var table = TextTable("SEQ", "TIME", "ACTOR", "OPERATOR", "ACTION", "CUSTOMER", "RELATED", "KIND", "DETAIL", "VALUE HASH", "REASON")
            for row in rows { table.rows.append(row) }
            AdminOutput.print(table.rendered)
        }
    }

    static func csvField(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}

/// One page of `POST /log/search`.
struct LogSearchPage: Decodable {
    var entries: [ReviewedLogEntry]
    var nextAfter: Int64?

    enum CodingKeys: String, CodingKey {
        case entries
        case nextAfter = "next_after"
    }
}
