import BulkImport
import Crypto
import Foundation
import Identifiers
import IdentityGraph
import SQLiteStore
import Testing

struct BulkImporterTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("solmu-import-\(UUID().uuidString)")

    func makeStore() throws -> SQLiteIdentityStore {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try SQLiteIdentityStore(path: directory.appendingPathComponent("db.sqlite").path, rules: .default,
                                       keys: LinkLogKeys(master: SymmetricKey(size: .bits256)))
    }

    func write(_ lines: [String]) throws -> String {
        let path = directory.appendingPathComponent("in.ndjson").path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func importsGoodLinesAndRejectsBadOnesWithReasons() async throws {
        let store = try makeStore()
        let input = try write([
            #"{"identifiers":[{"kind":"email","value":"Anna@Example.com"},{"kind":"phone","value":"040 123 4567"}],"profile":{"given_name":"Anna"}}"#,
            #"{"identifiers":[{"kind":"email","value":"anna@example.com"}]}"#,                       // conflict with line 1
            #"not json"#,
            "",
            #"{"identifiers":[{"kind":"phone","value":"040 CALL"}]}"#,                               // invalid value
            #"{"identifiers":[]}"#,                                                                   // no identifiers
            #"{"identifiers":[{"kind":"loyalty_card","namespace":"plussa","value":"6012 3456 7890 1234"}],"profile":{"birthdate":"1990-02-31"}}"#,
            #"{"identifiers":[{"kind":"loyalty_card","namespace":"plussa","value":"6012 3456 7890 1234"}],"profile":{"birthdate":"1990-02-28"}}"#,
            "{\"identifiers\":[{\"kind\":\"email\",\"value\":\"last@example.com\",\"assurance\":\"verified\"}]}\r",
        ])
        let rejects = directory.appendingPathComponent("rejects.ndjson").path
        let importer = BulkImporter(store: store, normalizer: IdentifierNormalizer(policy: .default), actor: "import", batchSize: 3)
        let report = try await importer.run(input: input, rejects: rejects)

        #expect(report.lines == 8, "blank lines are skipped")
        #expect(report.customersCreated == 3)
        #expect(report.identifiersLinked == 4)
        #expect(report.rejected == 5)
        let rejected = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode([String: String].self, from: Data($0.utf8))
        }
        #expect(rejected.map { $0["line"] } == ["2", "3", "5", "6", "7"])
        #expect(rejected[0]["reason"]?.contains("already belongs") == true)
        #expect(rejected[1]["reason"]?.contains("not valid JSON") == true)
        #expect(rejected[2]["reason"]?.hasPrefix("identifiers[0]") == true)
        #expect(rejected[4]["reason"]?.contains("birthdate") == true)
        #expect(!rejected.contains { $0["reason"]?.contains("CALL") == true }, "reasons do not repeat values")

        let anna = try #require(try await store.resolve(Identifier(trustedKind: .phone, namespace: nil, value: "+358401234567")))
        #expect(anna.links.count == 2)
        let last = try #require(try await store.resolve(Identifier(trustedKind: .email, namespace: nil, value: "last@example.com")))
        #expect(last.links.first?.provenance.assurance == .verified)
        #expect(last.links.first?.provenance.channel == "import")
        #expect(try await store.statistics() == StoreStatistics(customers: 3, links: 4, logEntries: 7))
    }

    @Test func aMissingFileIsAClearError() async throws {
        let store = try makeStore()
        let importer = BulkImporter(store: store, normalizer: IdentifierNormalizer(policy: .default))
        await #expect(throws: ImportError.self) {
            try await importer.run(input: directory.appendingPathComponent("missing.ndjson").path, rejects: directory.appendingPathComponent("r").path)
        }
    }

    @Test func manyBatchesKeepOrderAndCount() async throws {
        let store = try makeStore()
        let lines = (0..<2_500).map { "{\"identifiers\":[{\"kind\":\"email\",\"value\":\"p\($0)@example.com\"},{\"kind\":\"receipt\",\"namespace\":\"s\($0 % 7)\",\"value\":\"1-\($0)\"}]}" }
        let importer = BulkImporter(store: store, normalizer: IdentifierNormalizer(policy: .default), batchSize: 400)
        let report = try await importer.run(input: try write(lines), rejects: directory.appendingPathComponent("r").path)
        #expect(report.customersCreated == 2_500)
        #expect(report.identifiersLinked == 5_000)
        #expect(report.rejected == 0)
        let log = try await store.linkLog(customer: nil, after: nil, limit: 10_000)
        #expect(log.map(\.sequence) == Array(1...7_500))
    }
}
