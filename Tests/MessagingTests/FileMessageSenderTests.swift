import CustomerLogin
import Foundation
import Logging
import Messaging
import Testing

@Suite struct FileMessageSenderTests {
    private func temporaryDirectory() -> String {
        "\(NSTemporaryDirectory())solmu-messaging-\(UUID().uuidString)/outbox"
    }

    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func writesTheMessageAsJSONWithPrivateModes() async throws {
        let directory = self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent) }
        let (logger, _) = CapturingLogHandler.logger()
        let sender = FileMessageSender(directory: directory, logger: logger)
        let message = Fixtures.code()

        try await sender.send(message)

        let path = sender.path(forMessage: message.id)
        #expect(path == "\(directory)/msg_code_1.json")
        let document = try MessageDocument.decode(Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(document == MessageDocument(message))
        #expect(try self.mode(path) == 0o600)
        #expect(try self.mode(directory) == 0o700)

        let raw = try String(contentsOfFile: path, encoding: .utf8)
        #expect(raw.contains(#""created_at" : "2025-06-15T15:06:40Z""#))
        #expect(!raw.contains("attempts"))
    }

    @Test func leavesNoTemporaryFilesAndReplacesAnEarlierWrite() async throws {
        let directory = self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent) }
        let (logger, _) = CapturingLogHandler.logger()
        let sender = FileMessageSender(directory: directory, logger: logger)

        try await sender.send(Fixtures.code(code: "111111"))
        try await sender.send(Fixtures.code(code: "222222"))

        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["msg_code_1.json"])
        let document = try MessageDocument.decode(Data(contentsOf: URL(fileURLWithPath: sender.path(forMessage: "msg_code_1"))))
        #expect(document.payload.contains("222222"))
    }

    @Test func aConcurrentReaderNeverSeesHalfAFile() async throws {
        let directory = self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent) }
        let (logger, _) = CapturingLogHandler.logger()
        let sender = FileMessageSender(directory: directory, logger: logger)
        // A large payload makes a torn write visible if the file were written in place.
        let big = String(repeating: "x", count: 512 * 1024)
        var padded = Fixtures.code()
        padded.payload = #"{"code":"123456","padding":"\#(big)"}"#
        let message = padded
        try await sender.send(message)
        let path = sender.path(forMessage: message.id)

        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                for _ in 0..<20 { try await sender.send(message) }
                return 0
            }
            group.addTask {
                var reads = 0
                for _ in 0..<200 {
                    let data = try Data(contentsOf: URL(fileURLWithPath: path))
                    _ = try MessageDocument.decode(data)  // throws on a partial file
                    reads += 1
                }
                return reads
            }
            try await group.waitForAll()
        }
    }

    @Test func logsOneRedactedLineWithoutThePayload() async throws {
        let directory = self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent) }
        let (logger, lines) = CapturingLogHandler.logger()
        let sender = FileMessageSender(directory: directory, logger: logger)

        try await sender.send(Fixtures.code(id: "msg_a", to: "anna@example.com", code: "482913"))
        try await sender.send(Fixtures.code(id: "msg_b", to: "+358401234567", code: "775533"))

        let logged = lines.all
        #expect(logged.count == 2)
        #expect(logged.allSatisfy { $0.level == .info })
        #expect(logged[0].metadata["destination"] == "a***@example.com")
        #expect(logged[0].metadata["message_id"] == "msg_a")
        #expect(logged[0].metadata["message_kind"] == "one_time_code")
        #expect(logged[1].metadata["destination"] == "+358******567")
        let everything = logged.map(\.rendered).joined(separator: "\n")
        #expect(!everything.contains("482913"))
        #expect(!everything.contains("775533"))
        #expect(!everything.contains("anna@"))
        #expect(!everything.contains("401234"))
    }

    @Test(arguments: ["../escape", ".hidden", "a/b", ""])
    func refusesIdsThatAreNotPlainFileNames(id: String) async throws {
        let directory = self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent) }
        let (logger, _) = CapturingLogHandler.logger()
        let sender = FileMessageSender(directory: directory, logger: logger)

        await #expect(throws: MessagingError.invalidDestination) {
            try await sender.send(Fixtures.code(id: id))
        }
    }
}
