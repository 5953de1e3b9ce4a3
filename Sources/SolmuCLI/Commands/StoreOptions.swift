import ArgumentParser
import Foundation
import IdentityGraph
import Policies
import SQLiteStore
import Tokens
import CustomerLogin
import Identifiers
import Channels
import Logging

/// Where Solmu keeps its data, keys and policies; shared by every command that opens them.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The database: sqlite:PATH. [env: SOLMU_DATABASE] (default: sqlite:data/solmu.sqlite)", valueName: "url"))
    var database: String?

    @Option(help: ArgumentHelp("The directory of signing keys; generated on first start. [env: SOLMU_KEYS] (default: keys)", valueName: "dir"))
    var keys: String?

    @Option(help: ArgumentHelp("The directory of policy files. [env: SOLMU_POLICIES] (default: policies)", valueName: "dir"))
    var policies: String?

    var databaseURL: String { EnvironmentVariables.value(database, "SOLMU_DATABASE", default: "sqlite:data/solmu.sqlite") }
    var keysDirectory: String { EnvironmentVariables.value(keys, "SOLMU_KEYS", default: "keys") }
    var policiesDirectory: String { EnvironmentVariables.value(policies, "SOLMU_POLICIES", default: "policies") }

    func loadPolicies() throws -> PolicySet {
        do {
            return try PolicySet.load(directory: policiesDirectory)
        } catch {
            throw CLIError("policy error: \(error)")
        }
    }

    func loadKeys() throws -> SigningKeySet {
        do {
            return try SigningKeySet.loadOrCreate(directory: keysDirectory)
        } catch {
            throw CLIError("key error: \(error)")
        }
    }

    func openStore(policies: PolicySet, keys: SigningKeySet) throws -> any IdentityStore {
        try openStores(policies: policies, keys: keys).identities
    }

    /// The identity store and the login store, in one database.
    func openStores(policies: PolicySet, keys: SigningKeySet) throws -> (identities: any IdentityStore, login: any LoginStore) {
        let url = databaseURL
        guard url.hasPrefix("sqlite:") else {
            throw CLIError("unsupported --database \(url.split(separator: ":").first.map { "scheme '\($0)'" } ?? "value"): use sqlite:PATH")
        }
        let path = String(url.dropFirst("sqlite:".count))
        guard !path.isEmpty else { throw CLIError("--database sqlite: needs a file path") }
        do {
            let database = try SQLiteDatabase(path: path)
            return (
                SQLiteIdentityStore(database: database, rules: policies.rules, keys: LinkLogKeys(master: keys.linkLogKey)),
                SQLiteLoginStore(database: database)
            )
        } catch {
            throw CLIError("\(error)")
        }
    }
}

/// Reads an option's environment variable when the flag is absent.
enum EnvironmentVariables {
    static func value(_ flag: String?, _ variable: String, default fallback: String) -> String {
        if let flag { return flag }
        if let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty { return value }
        return fallback
    }
}

/// A message for the operator, printed without a stack trace; exit code 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
