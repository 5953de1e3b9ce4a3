import ArgumentParser
import Crypto
import SolmuHTTP
import VerifiableLog
import CustomerLogin
import Foundation
import Policies
import Tokens

/// `solmu keys list|rotate|prune`: the signing keys in the keys directory. See docs/keys.md.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "List, rotate and prune the token signing keys.",
        discussion: """
            Rotation adds a new key per algorithm that signs from then on; the previous key is \
            retired but stays published in the JWKS and keeps verifying until it is pruned. A \
            running server picks up both within seconds, without a restart. link-log.key is not \
            touched by these commands. See docs/keys.md.
            """,
        subcommands: [List.self, Rotate.self, Prune.self, LogVerifier.self]
    )

    /// `solmu keys log-verifier`.
    struct LogVerifier: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log-verifier",
            abstract: "Print the verifier key of the link log's checkpoints, for auditors to pin.",
            discussion: """
                The key name is the log's origin: the issuer without its scheme, and /link-log. Give the \
                server's --issuer. The key (log-signing.key) is generated on first use; see docs/auditing.md.
                """
        )

        @Option(help: ArgumentHelp("The server's issuer URL. [env: SOLMU_ISSUER] (default: http://127.0.0.1:8080)", valueName: "url"))
        var issuer: String?

        @OptionGroup var storage: StoreOptions

        func run() throws {
            let issuer = EnvironmentVariables.value(issuer, "SOLMU_ISSUER", default: "http://127.0.0.1:8080")
            let key: Curve25519.Signing.PrivateKey
            do {
                key = try LogSigningKey.loadOrCreate(directory: storage.keysDirectory)
            } catch {
                throw CLIError("key error: \(error)")
            }
            let signer = try NoteSigner(name: LogCheckpoints.origin(issuer: issuer), privateKey: key)
            print(signer.verifier.verifierKey)
        }
    }

    /// The margin added to the longest token lifetime for clock skew between servers and clients.
    static let clockSkewMargin: Duration = .seconds(300)

    /// The loaded keys of an existing keys directory; refuses a directory that has none yet, so a
    /// mistyped `--keys` does not silently create a new set.
    static func loadExisting(_ storage: StoreOptions) throws -> SigningKeySet {
        let directory = storage.keysDirectory
        let manifest = (directory.hasSuffix("/") ? directory : directory + "/") + "signing-keys.json"
        guard FileManager.default.fileExists(atPath: manifest) else {
            throw CLIError("no signing keys in \(directory) (signing-keys.json is missing); the first `solmu serve` creates them")
        }
        return try storage.loadKeys()
    }

    static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show every signing key: kid, algorithm, created, retired or active.")

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        @OptionGroup var storage: StoreOptions

        func run() throws {
            let keys = try KeysCommand.loadExisting(storage).keys
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let entries = keys.map { Entry($0) }
                print(String(decoding: try encoder.encode(entries), as: UTF8.self))
                return
            }
            let rows = [["KID", "ALG", "CREATED", "RETIRED"]] + keys.map {
                [$0.kid, $0.algorithm.rawValue, KeysCommand.format($0.createdAt), $0.retiredAt.map(KeysCommand.format) ?? "active"]
            }
            let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                print(row.enumerated().map { column, value in
                    column == 3 ? value : value.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                }.joined(separator: "  "))
            }
        }

        /// One key in `--json` output; `retired_at` is null for an active key.
        struct Entry: Encodable {
            var kid: String
            var alg: String
            var createdAt: String
            var retiredAt: String?
            var status: String

            init(_ info: SigningKeyInfo) {
                kid = info.kid
                alg = info.algorithm.rawValue
                createdAt = KeysCommand.format(info.createdAt)
                retiredAt = info.retiredAt.map(KeysCommand.format)
                status = info.retiredAt == nil ? "active" : "retired"
            }

            enum CodingKeys: String, CodingKey {
                case kid, alg, status
                case createdAt = "created_at"
                case retiredAt = "retired_at"
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(kid, forKey: .kid)
                try container.encode(alg, forKey: .alg)
                try container.encode(createdAt, forKey: .createdAt)
                try container.encode(retiredAt, forKey: .retiredAt)  // an explicit null when active
                try container.encode(status, forKey: .status)
            }
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a new signing key and retire the current one (per algorithm).",
            discussion: """
                The new key signs every new token from the moment a running server reloads (within \
                5 seconds). The retired key stays in the JWKS and keeps verifying the tokens it \
                signed; remove it later with `solmu keys prune`.
                """
        )

        @Option(help: ArgumentHelp("ES256, EdDSA or all.", valueName: "alg"))
        var algorithm: String = "all"

        @OptionGroup var storage: StoreOptions

        func validate() throws {
            guard algorithm == "all" || SigningAlgorithm(rawValue: algorithm) != nil else {
                throw ValidationError("--algorithm must be ES256, EdDSA or all")
            }
        }

        func run() throws {
            let before = try KeysCommand.loadExisting(storage)
            let algorithms = SigningAlgorithm(rawValue: algorithm).map { [$0] } ?? SigningAlgorithm.allCases
            for algorithm in algorithms {
                let retired = before.keys.filter { $0.algorithm == algorithm && $0.retiredAt == nil }.map(\.kid)
                let key: SigningKeyInfo
                do {
                    key = try SigningKeySet.rotate(directory: storage.keysDirectory, algorithm: algorithm)
                } catch {
                    throw CLIError("cannot rotate the \(algorithm.rawValue) key: \(error)")
                }
                print("\(algorithm.rawValue): new signing key \(key.kid)")
                for kid in retired {
                    print("\(algorithm.rawValue): retired \(kid) (still published and verifying until pruned)")
                }
            }
            print("A running server uses the new keys within 5 seconds. Run `solmu keys prune` once the longest token lifetime has passed.")
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove retired keys whose tokens can no longer be valid.",
            discussion: """
                A key is removed when it was retired more than --older-than seconds ago. The \
                default is the longest token lifetime (the longest access_token_lifetime in \
                channels.yaml, at least the 600-second ID token lifetime) plus 300 seconds for \
                clock skew. Active keys are never removed. Tokens signed with a removed key stop \
                verifying, and ID tokens signed with it are no longer accepted as id_token_hint.
                """
        )

        @Option(help: ArgumentHelp("Seconds since retirement after which a key is removed. (default: longest token lifetime + 300)", valueName: "seconds"))
        var olderThan: Int?

        @Flag(help: "Show what would be removed without changing anything.")
        var dryRun = false

        @OptionGroup var storage: StoreOptions

        func validate() throws {
            if let olderThan, olderThan < 0 { throw ValidationError("--older-than must be zero or more seconds") }
        }

        func run() throws {
            let keys = try KeysCommand.loadExisting(storage)
            let limit: Duration
            if let olderThan {
                limit = .seconds(olderThan)
            } else {
                let policies: PolicySet
                do {
                    policies = try storage.loadPolicies()
                } catch {
                    throw CLIError("\(error); pass --older-than SECONDS to prune without reading the policies")
                }
                limit = KeysCommand.longestTokenLifetime(policies) + KeysCommand.clockSkewMargin
            }
            let now = Date()
            let seconds = limit.components.seconds
            if dryRun {
                let due = keys.keys.filter { key in key.retiredAt.map { $0 < now.addingTimeInterval(-TimeInterval(seconds)) } ?? false }
                print(due.isEmpty ? "nothing to prune (limit \(seconds) s)" : due.map { "would remove \($0.algorithm.rawValue) \($0.kid)" }.joined(separator: "\n"))
                return
            }
            let pruned: [SigningKeyInfo]
            do {
                pruned = try SigningKeySet.prune(directory: storage.keysDirectory, olderThan: limit, now: now)
            } catch {
                throw CLIError("cannot prune: \(error)")
            }
            if pruned.isEmpty {
                print("nothing to prune: no key was retired more than \(seconds) s ago")
            }
            for key in pruned {
                print("removed \(key.algorithm.rawValue) \(key.kid) (retired \(key.retiredAt.map(KeysCommand.format) ?? "?"))")
            }
        }
    }

    /// The longest lifetime of any token this server signs: access tokens per channel, ID tokens.
    static func longestTokenLifetime(_ policies: PolicySet) -> Duration {
        let access = policies.channels.map(\.accessTokenLifetime).max() ?? .zero
        return max(access, LoginSettings().idTokenLifetime)
    }
}
