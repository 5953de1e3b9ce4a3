import ArgumentParser
import Channels
import Foundation
import Tokens
import Policies
import IdentityGraph
import Identifiers
import Tokens
import Logging

/// `solmu channels`: helpers for channel policy.
struct ChannelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channels",
        abstract: "Work with channels (OAuth clients).",
        subcommands: [HashSecret.self]
    )

    struct HashSecret: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hash-secret",
            abstract: "Print the scrypt hash of a client secret for channels.yaml.",
            discussion: "Reads the secret from standard input (one line), so that it stays out of shell history. With --generate, makes a random secret and prints both."
        )

        @Flag(help: "Generate a random 256-bit secret and print it with its hash.")
        var generate = false

        func run() throws {
            let secret: String
            if generate {
                var generator = SystemRandomNumberGenerator()
                let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
                secret = Base64URL.encode(bytes)
                print("secret: \(secret)")
            } else {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw CLIError("no secret on standard input")
                }
                secret = line
            }
            print("secret_hash: \"\(try SecretHash.make(secret: secret))\"")
        }
    }
}
