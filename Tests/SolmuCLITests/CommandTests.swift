import ArgumentParser
import Foundation
@testable import SolmuCLI
import Testing

struct CommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("solmu-cli-\(UUID().uuidString)")

    @Test func helpExplainsEveryServeFlagAndItsEnvironmentVariable() {
        let help = SolmuCommand.helpMessage(for: Serve.self)
        for flag in ["--host", "--port", "--database", "--keys", "--policies", "--issuer"] {
            #expect(help.contains(flag), "\(flag)")
        }
        for variable in ["SOLMU_HOST", "SOLMU_PORT", "SOLMU_DATABASE", "SOLMU_KEYS", "SOLMU_POLICIES", "SOLMU_ISSUER"] {
            #expect(help.contains(variable), "\(variable)")
        }
    }

    @Test(arguments: [
        ["serve", "--port", "70000"],
        ["serve", "--issuer", "ftp://example.com"],
        ["serve", "--issuer", "https://example.com/?q=1"],
        ["serve", "--log-level", "loud"],
        ["serve", "--database", "mysql://localhost/solmu"],
        ["serve", "--database", "sqlite:"],
    ])
    func serveRefusesBadSettingsBeforeStarting(arguments: [String]) async throws {
        var command = try SolmuCommand.parseAsRoot(arguments + ["--policies", Self.repository.appendingPathComponent("policies").path,
                                                                "--keys", directory.appendingPathComponent("keys").path])
        guard var serve = command as? Serve else { Issue.record("not serve"); return }
        await #expect(throws: CLIError.self) { try await serve.run() }
        command = serve
    }

    @Test(arguments: [
        ["import"],
        ["import", "x.ndjson", "--batch-size", "0"],
        ["import", "x.ndjson", "--assurance", "certain"],
        ["frobnicate"],
    ])
    func usageErrorsAreRefusedByTheParser(arguments: [String]) {
        #expect(throws: (any Error).self) { try SolmuCommand.parseAsRoot(arguments) }
    }

    @Test func policiesCheck() throws {
        var good = try SolmuCommand.parseAsRoot(["policies", "check", "--policies", Self.repository.appendingPathComponent("policies").path])
        try good.run()
        var bad = try SolmuCommand.parseAsRoot(["policies", "check", "--policies", directory.path])
        #expect(throws: CLIError.self) { try bad.run() }
    }

    @Test func importThroughTheCommand() async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let input = directory.appendingPathComponent("customers.ndjson")
        try """
            {"identifiers":[{"kind":"email","value":"anna@example.com"}]}
            {"identifiers":[{"kind":"email","value":"ANNA@example.com"}]}
            """.write(to: input, atomically: true, encoding: .utf8)
        let command = try SolmuCommand.parseAsRoot([
            "import", input.path, "--quiet",
            "--database", "sqlite:" + directory.appendingPathComponent("solmu.sqlite").path,
            "--keys", directory.appendingPathComponent("keys").path,
            "--policies", Self.repository.appendingPathComponent("policies").path,
        ])
        guard var importCommand = command as? Import else { Issue.record("not import"); return }
        try await importCommand.run()
        let rejects = try String(contentsOf: URL(fileURLWithPath: input.path + ".rejects.ndjson"), encoding: .utf8)
        #expect(rejects.contains("\"line\":\"2\""))
        // Keys were generated on first use, owner-only.
        let keyFiles = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("keys").path)
        #expect(keyFiles.contains("link-log.key"))
    }
}
