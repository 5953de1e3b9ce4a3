import Foundation
import Glibc
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `solmu admin …` end to end: a real `solmu serve` on a free loopback port, the real `solmu`
/// binary as the admin would run it, exit codes and output as a script sees them.
@Suite("solmu admin", .serialized)
struct AdminCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func findMergeUnmergeEraseAndExportFromTheCommandLine() async throws {
        let server = try await SolmuServer.start(customers: """
            {"identifiers":[{"kind":"email","value":"anna.virtanen@example.com"},{"kind":"loyalty_card","namespace":"plussa","value":"6012345678901234"}],"profile":{"given_name":"Anna","family_name":"Virtanen","birthdate":"1985-04-12","postal_code":"00100"}}
            {"identifiers":[{"kind":"email","value":"anna.v+shop@example.com"},{"kind":"phone","value":"+358401234567"}],"profile":{"given_name":"Anna","family_name":"Virtanen","birthdate":"1985-04-12","postal_code":"00100"}}
            {"identifiers":[{"kind":"email","value":"matti@example.com"},{"kind":"loyalty_card","namespace":"plussa","value":"6012000000000003"}],"profile":{"given_name":"Matti","family_name":"Meikäläinen","birthdate":"1970-01-01"}}
            """)
        defer { server.stop() }

        let anna = try server.customerID("email:anna.virtanen@example.com")
        let annaShop = try server.customerID("email:anna.v+shop@example.com")
        let matti = try server.customerID("email:matti@example.com")

        // The two Annas are found, with reasons.
        let duplicates = try server.admin("duplicates", "--json")
        #expect(duplicates.status == 0, "\(duplicates.errors)")
        let pairs = try #require(duplicates.json["pairs"] as? [[String: Any]])
        #expect(pairs.contains { Set([$0["first"] as? String, $0["second"] as? String]) == [anna, annaShop] })
        #expect(!pairs.contains { [$0["first"] as? String, $0["second"] as? String].contains(matti) })
        let table = try server.admin("duplicates")
        #expect(table.status == 0 && table.output.contains("SCORE") && table.output.contains(anna))

        // Dry run, then the merge.
        let dryRun = try server.admin("merge", anna, annaShop, "--reason", "same person", "--dry-run")
        #expect(dryRun.status == 0 && dryRun.output.contains("dry run") && dryRun.output.contains("+358401234567"))
        #expect(try server.admin("customer", "show", annaShop, "--json").json["status"] as? String == "active")
        let merge = try server.admin("merge", anna, annaShop, "--reason", "same person", "--operator", "maija", "--json")
        #expect(merge.status == 0, "\(merge.errors)")
        let mergeID = try #require(merge.json["id"] as? String)
        let shown = try server.admin("customer", "show", annaShop)
        #expect(shown.output.contains("merged") && shown.output.contains(anna))
        let history = try server.admin("customer", "show", "--identifier", "phone:+358401234567")
        #expect(history.output.contains(mergeID) && history.output.contains("maija") && history.output.contains("survivor"))

        // A merge that would give Anna two cards of one program is refused by the rule: exit 3.
        let refused = try server.admin("merge", anna, matti, "--reason", "test")
        #expect(refused.status == 3 && refused.errors.contains("at most 1 loyalty_card"))

        let unmerge = try server.admin("unmerge", mergeID, "--reason", "different people")
        #expect(unmerge.status == 0, "\(unmerge.errors)")
        #expect(unmerge.output.contains("restored 2"))
        #expect(try server.admin("unmerge", mergeID, "--reason", "again").status == 3)

        // Export, then erasure.
        let exportFile = server.directory.appendingPathComponent("anna.json").path
        let export = try server.admin("export", anna, "--out", exportFile)
        #expect(export.status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: exportFile)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: exportFile, encoding: .utf8).contains("anna.virtanen@example.com"))

        let unconfirmed = try server.admin("erase", anna, "--reason", "request 17")
        #expect(unconfirmed.status == 2 && unconfirmed.errors.contains("--yes"))
        let erase = try server.admin("erase", anna, "--reason", "request 17", "--yes")
        #expect(erase.status == 0, "\(erase.errors)")
        #expect(try server.admin("customer", "show", anna, "--json").json["status"] as? String == "erased")
        #expect(try server.admin("customer", "show", "--identifier", "email:anna.virtanen@example.com").status == 1)
    }

    @Test func batchMergesReportEachPair() async throws {
        let server = try await SolmuServer.start(customers: """
            {"identifiers":[{"kind":"email","value":"a@example.com"}]}
            {"identifiers":[{"kind":"email","value":"b@example.com"}]}
            {"identifiers":[{"kind":"email","value":"c@example.com"}]}
            {"identifiers":[{"kind":"email","value":"d@example.com"}]}
            """)
        defer { server.stop() }
        let ids = try ["a", "b", "c", "d"].map { try server.customerID("email:\($0)@example.com") }
        let file = server.directory.appendingPathComponent("pairs.csv")
        try """
            survivor,duplicate,reason
            # checked by the call center
            \(ids[0]),\(ids[1])
            \(ids[2]),\(ids[3]),same card holder
            \(ids[1]),\(ids[2])
            """.write(to: file, atomically: true, encoding: .utf8)
        let batch = try server.admin("merge", "--file", file.path, "--reason", "batch 1", "--json")
        // The third pair names a customer merged away by the first: refused, so exit 3.
        #expect(batch.status == 3, "\(batch.errors)")
        let results = try #require(batch.json["results"] as? [[String: Any]])
        #expect(results.map { $0["result"] as? String } == ["merged", "merged", "refused"])
        #expect((results[2]["detail"] as? String)?.contains("was merged into") == true)
        #expect(batch.json["merged"] as? Int == 2)

        let bad = server.directory.appendingPathComponent("bad.csv")
        try "\(ids[0]),not-an-id\n".write(to: bad, atomically: true, encoding: .utf8)
        let refused = try server.admin("merge", "--file", bad.path, "--reason", "x")
        #expect(refused.status == 2 && refused.errors.contains("bad.csv:1"))
    }

    @Test func badInputGetsAClearMessageAndExitCode() async throws {
        let server = try await SolmuServer.start(customers: #"{"identifiers":[{"kind":"email","value":"a@example.com"}]}"#)
        defer { server.stop() }
        let id = try server.customerID("email:a@example.com")
        let cases: [([String], Int32, String)] = [
            (["merge", id, "cus_aaaaaaaaaaaaaaaaaaaaaaaaaa", "--reason", "x"], 1, "no customer"),
            (["merge", id, "cus_short", "--reason", "x"], 2, "DUPLICATE must be cus_"),
            (["merge", id, id], 2, "--reason"),
            (["merge", id, id, "--reason", "x"], 3, "cannot be merged with or moved to itself"),
            (["unmerge", "mrg_aaaaaaaaaaaaaaaaaaaaaaaaaa", "--reason", "x"], 1, "no merge"),
            (["link", id, "email:not an email", "--reason", "x"], 2, "email address"),
            (["link", id, "bogus:value", "--reason", "x"], 2, "kind"),
            (["customer", "show"], 2, "by id or by --identifier"),
            (["move", "email:a@example.com", "--to", id, "--reason", "x"], 3, "itself"),
            (["duplicates", "--min-score", "7"], 2, "--min-score"),
        ]
        for (arguments, status, message) in cases {
            let result = try server.admin(arguments)
            #expect(result.status == status, "\(arguments): \(result.errors)")
            #expect(result.errors.lowercased().contains(message.lowercased()), "\(arguments): \(result.errors)")
        }
        // Nothing changed: the customer still has exactly its one identifier.
        let shown = try server.admin("customer", "show", id, "--json")
        #expect((shown.json["identifiers"] as? [[String: Any]])?.count == 1)

        let config = server.directory.appendingPathComponent("admin.yaml")
        try "client_id: admin-cli\nclient_secret: admin-cli-dev-secret\n".write(to: config, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: config.path)
        let exposed = try server.admin(["customer", "show", id, "--config", config.path], credentials: false)
        #expect(exposed.status == 2 && exposed.errors.contains("chmod 600"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: config.path)
        #expect(try server.admin(["customer", "show", id, "--config", config.path], credentials: false).status == 0)
        let wrongSecret = try server.admin(["customer", "show", id], environment: ["SOLMU_CLIENT_SECRET": "wrong"])
        #expect(wrongSecret.status == 1 && wrongSecret.errors.contains("refused the credentials"))
    }
}

/// A `solmu serve` child process on a free port, with its own data, keys and imported customers.
struct SolmuServer {
    let process: Process
    let port: Int
    let directory: URL

    struct Result {
        var status: Int32
        var output: String
        var errors: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(output.utf8))) as? [String: Any] ?? [:] }
    }

    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("solmu")
    }

    static func start(customers: String) async throws -> SolmuServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("solmu-admin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("customers.ndjson")
        try (customers + "\n").write(to: file, atomically: true, encoding: .utf8)
        let common = ["--database", "sqlite:" + directory.appendingPathComponent("solmu.sqlite").path,
                      "--keys", directory.appendingPathComponent("keys").path,
                      "--policies", AdminCommandTests.repository.appendingPathComponent("policies").path]
        let imported = try run(["import", file.path, "--quiet"] + common, environment: [:])
        guard imported.status == 0 else { throw ServerError("import failed: \(imported.errors)") }

        let port = try freePort()
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "\(port)", "--issuer", "http://127.0.0.1:\(port)"] + common
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = SolmuServer(process: process, port: port, directory: directory)
        for _ in 0..<300 {
            if let (_, response) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/health/live")!),
               (response as? HTTPURLResponse)?.statusCode == 200 {
                return server
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        server.stop()
        throw ServerError("the server did not start on port \(port)")
    }

    func stop(keepingFiles: Bool = false) {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        if !keepingFiles { try? FileManager.default.removeItem(at: directory) }
    }

    func admin(_ arguments: String...) throws -> Result {
        try admin(arguments)
    }

    func admin(_ arguments: [String], credentials: Bool = true, environment: [String: String] = [:]) throws -> Result {
        var variables = ["SOLMU_SERVER": "http://127.0.0.1:\(port)", "SOLMU_OPERATOR": "test-operator", "HOME": directory.path]
        if credentials {
            variables["SOLMU_CLIENT_ID"] = "admin-cli"
            variables["SOLMU_CLIENT_SECRET"] = "admin-cli-dev-secret"
        }
        variables.merge(environment) { _, new in new }
        return try Self.run(["admin"] + arguments, environment: variables)
    }

    func customerID(_ identifier: String) throws -> String {
        let shown = try admin("customer", "show", "--identifier", identifier, "--json")
        guard let id = shown.json["id"] as? String else { throw ServerError("no customer for \(identifier): \(shown.errors)") }
        return id
    }

    static func run(_ arguments: [String], environment: [String: String]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SOLMU_") }
        variables.merge(environment) { _, new in new }
        process.environment = variables
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes while the process runs, so that a full pipe never blocks it.
        let outputData = Mutex(Data())
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            outputData.withLock { $0 = data }
            group.leave()
        }
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: outputData.withLock { $0 }, as: UTF8.self),
                      errors: String(decoding: errorData, as: UTF8.self))
    }

    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
            }
        }
        guard bound else { throw ServerError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct ServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
