import Foundation
import Yams

/// `~/.config/solmu/admin.yaml`: the admin CLI's defaults. It holds a client secret, so it must
/// not be readable by anyone but its owner (like an SSH key).
struct AdminConfigFile: Sendable {
    var server: String?
    var clientID: String?
    var clientSecret: String?
    var operatorName: String?

    static let knownKeys: Set<String> = ["server", "client_id", "client_secret", "operator"]

    /// Reads `path`, or the default file when it exists; no file gives empty settings.
    static func load(path: String?) throws -> AdminConfigFile {
        let defaultPath = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config/solmu/admin.yaml").path
        let chosen = path ?? defaultPath
        guard FileManager.default.fileExists(atPath: chosen) else {
            if path != nil { throw AdminError.usage("config file \(chosen) does not exist") }
            return AdminConfigFile()
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: chosen)
        if let permissions = attributes[.posixPermissions] as? Int, permissions & 0o077 != 0 {
            throw AdminError.usage("config file \(chosen) is readable by others; run chmod 600 \(chosen)")
        }
        guard let text = try? String(contentsOfFile: chosen, encoding: .utf8) else {
            throw AdminError.usage("cannot read config file \(chosen)")
        }
        let node: Any?
        do {
            node = try Yams.load(yaml: text)
        } catch {
            throw AdminError.usage("config file \(chosen) is not valid YAML")
        }
        guard let map = node as? [String: Any] else {
            throw AdminError.usage("config file \(chosen) must be a mapping of \(knownKeys.sorted().joined(separator: ", "))")
        }
        if let unknown = map.keys.sorted().first(where: { !knownKeys.contains($0) }) {
            throw AdminError.usage("config file \(chosen): unknown key '\(unknown)'; known keys: \(knownKeys.sorted().joined(separator: ", "))")
        }
        func string(_ key: String) throws -> String? {
            guard let value = map[key] else { return nil }
            guard let text = value as? String, !text.isEmpty else { throw AdminError.usage("config file \(chosen): \(key) must be a non-empty string") }
            return text
        }
        return AdminConfigFile(server: try string("server"), clientID: try string("client_id"),
                               clientSecret: try string("client_secret"), operatorName: try string("operator"))
    }
}
