import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What every `solmu admin` command needs: where the server is, who the operator is, how to
/// print. Credentials come from `SOLMU_CLIENT_ID` / `SOLMU_CLIENT_SECRET` or the config file.
struct AdminOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The Solmu server. [env: SOLMU_SERVER] (default: http://127.0.0.1:8080)", valueName: "url"))
    var server: String?

    @Option(name: .customLong("operator"), help: ArgumentHelp("Who is making the change, for the link log. [env: SOLMU_OPERATOR] (default: your login name)", valueName: "name"))
    var operatorName: String?

    @Option(help: ArgumentHelp("""
        A YAML file with server, client_id, client_secret and operator; it must be readable by you only. \
        [env: SOLMU_ADMIN_CONFIG] (default: ~/.config/solmu/admin.yaml when it exists)
        """, valueName: "file"))
    var config: String?

    @Flag(help: "Print JSON for scripts instead of tables.")
    var json = false

    /// The resolved settings: flags, then environment, then the config file, then defaults.
    func settings() throws -> AdminSettings {
        let environment = ProcessInfo.processInfo.environment
        let file = try AdminConfigFile.load(path: config ?? environment["SOLMU_ADMIN_CONFIG"])
        var settings = try AdminSettings.resolve(server: server, file: file, json: json)
        let operatorName = operatorName ?? environment["SOLMU_OPERATOR"].nonEmpty ?? file.operatorName ?? Self.loginName()
        guard let operatorName, !operatorName.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw AdminError.usage("no operator: pass --operator NAME")
        }
        settings.operatorName = operatorName
        return settings
    }

    private static func loginName() -> String? {
        if let user = ProcessInfo.processInfo.environment["USER"].nonEmpty { return user }
        #if canImport(Glibc)
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        #endif
        return nil
    }
}

/// The admin and audit CLIs' settings after every source was consulted.
struct AdminSettings: Sendable {
    var server: String
    var clientID: String
    var clientSecret: String
    var operatorName: String
    var json: Bool

    /// The server and the credentials: flag, then environment, then the config file, then defaults.
    static func resolve(server: String?, file: AdminConfigFile, json: Bool) throws -> AdminSettings {
        let environment = ProcessInfo.processInfo.environment
        let server = server ?? environment["SOLMU_SERVER"].nonEmpty ?? file.server ?? "http://127.0.0.1:8080"
        guard let url = URL(string: server), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw AdminError.usage("--server must be an http or https URL")
        }
        guard let clientID = environment["SOLMU_CLIENT_ID"].nonEmpty ?? file.clientID,
              let clientSecret = environment["SOLMU_CLIENT_SECRET"].nonEmpty ?? file.clientSecret
        else {
            throw AdminError.usage("no credentials: set SOLMU_CLIENT_ID and SOLMU_CLIENT_SECRET, or client_id and client_secret in the config file")
        }
        return AdminSettings(server: server.hasSuffix("/") ? String(server.dropLast()) : server, clientID: clientID,
                             clientSecret: clientSecret, operatorName: "", json: json)
    }
}

extension Optional where Wrapped == String {
    /// `nil` for an absent or empty environment variable.
    var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
