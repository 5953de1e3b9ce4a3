import ArgumentParser
import BulkImport
import Foundation
import Identifiers
import IdentityGraph
import Policies
import PostgresStore
import Channels
import Tokens
import Logging

/// `solmu import FILE.ndjson`: load existing customer databases.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import customers from an NDJSON file, one customer per line.",
        discussion: """
            Each line has the shape of POST /v1/customers (identifiers, and an optional profile):

            {"identifiers":[{"kind":"email","value":"anna@example.com"}]}

            Lines go through the same normalization and rules as the API. Refused lines are \
            written to the rejects file with their line number and reason; the others are imported.

            A first import into an empty SQLite database builds three secondary indexes once at \
            its end instead of row by row, which takes about 40 % less time. A server on the \
            same database meanwhile answers resolves, customers and the link log more slowly. \
            Should the import be killed, the next solmu command that opens the database builds \
            them.
            """
    )

    @Argument(help: "The NDJSON file.")
    var file: String

    @Option(help: "Where to write refused lines (default: FILE.rejects.ndjson).")
    var rejects: String?

    @Option(help: "The actor recorded in the link log for every imported link.")
    var actor: String = "import"

    @Option(help: "The assurance of identifiers whose line does not say: inferred, asserted or verified.")
    var assurance: String = "asserted"

    @Option(help: "Customers per transaction. Large batches write each touched index page once per batch.")
    var batchSize: Int = 50_000

    @Flag(help: "Print no progress.")
    var quiet = false

    @OptionGroup var storage: StoreOptions

    func validate() throws {
        guard (1...100_000).contains(batchSize) else { throw ValidationError("--batch-size must be from 1 to 100000") }
        guard Assurance(rawValue: assurance) != nil else { throw ValidationError("--assurance must be inferred, asserted or verified") }
        guard !actor.isEmpty, actor.count <= 64 else { throw ValidationError("--actor must be 1 to 64 characters") }
    }

    func run() async throws {
        guard FileManager.default.isReadableFile(atPath: file) else { throw CLIError("cannot read \(file)") }
        let policies = try storage.loadPolicies()
        let keys = try storage.loadKeys()
        let stores = try await storage.openStores(policies: policies, keys: keys)
        stores.postgres?.startInBackground()
        do {
            try await run(store: stores.identities, policies: policies)
        } catch {
            await stores.postgres?.shutdown()
            throw error
        }
        await stores.postgres?.shutdown()
    }

    private func run(store: any IdentityStore, policies: PolicySet) async throws {
        let importer = BulkImporter(
            store: store, normalizer: IdentifierNormalizer(policy: policies.identifiers), actor: actor,
            batchSize: batchSize, defaultAssurance: Assurance(rawValue: assurance)!
        )
        let rejectsPath = rejects ?? file + ".rejects.ndjson"
        let quiet = self.quiet
        let report = try await importer.run(input: file, rejects: rejectsPath) { report in
            guard !quiet else { return }
            let line = String(format: "\r%d lines, %d customers, %d identifiers, %d rejected, %.0f identifiers/s",
                              report.lines, report.customersCreated, report.identifiersLinked, report.rejected, report.identifiersPerSecond)
            FileHandle.standardError.write(Data(line.utf8))
        }
        if !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
        print(String(format: "imported %d customers with %d identifiers from %d lines in %.1f s (%.0f identifiers/s); %d rejected%@",
                     report.customersCreated, report.identifiersLinked, report.lines, report.seconds, report.identifiersPerSecond,
                     report.rejected, report.rejected > 0 ? " (see \(rejectsPath))" : ""))
    }
}
