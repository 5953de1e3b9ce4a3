import Foundation
import Crypto
import _CryptoExtras

/// A client secret's scrypt hash, written as a PHC string:
/// `$scrypt$ln=15,r=8,p=1$<salt, base64>$<hash, base64>` (unpadded standard base64).
///
/// Policy files carry only this; the secret itself is never stored.
public struct SecretHash: Sendable, Equatable, CustomStringConvertible {
    /// log2 of the scrypt cost N.
    public let logRounds: Int
    public let blockSize: Int
    public let parallelism: Int
    public let salt: [UInt8]
    public let hash: [UInt8]

    /// Parses a PHC string.
    public init(phc: String) throws(SecretHashError) {
        let parts = phc.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == "scrypt" else {
            throw SecretHashError(reason: "must be a PHC string $scrypt$ln=…,r=…,p=…$salt$hash")
        }
        var parameters: [Substring: Int] = [:]
        for pair in parts[2].split(separator: ",") {
            let keyValue = pair.split(separator: "=", maxSplits: 1)
            guard keyValue.count == 2, let number = Int(keyValue[1]) else {
                throw SecretHashError(reason: "has a malformed parameter; expected ln=…,r=…,p=…")
            }
            parameters[keyValue[0]] = number
        }
        guard let ln = parameters["ln"], let r = parameters["r"], let p = parameters["p"], parameters.count == 3 else {
            throw SecretHashError(reason: "needs exactly the parameters ln, r and p")
        }
        guard (10...20).contains(ln), (1...32).contains(r), (1...16).contains(p) else {
            throw SecretHashError(reason: "has scrypt parameters out of range (ln 10–20, r 1–32, p 1–16)")
        }
        guard let salt = Self.decode(parts[3]), salt.count >= 16 else {
            throw SecretHashError(reason: "needs a base64 salt of at least 16 bytes")
        }
        guard let hash = Self.decode(parts[4]), hash.count >= 32 else {
            throw SecretHashError(reason: "needs a base64 hash of at least 32 bytes")
        }
        self.logRounds = ln
        self.blockSize = r
        self.parallelism = p
        self.salt = salt
        self.hash = hash
    }

    /// Hashes `secret` with a fresh random salt.
    public static func make(secret: String, logRounds: Int = 15, blockSize: Int = 8, parallelism: Int = 1) throws -> SecretHash {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let hash = try derive(Array(secret.utf8), salt: salt, logRounds: logRounds, blockSize: blockSize, parallelism: parallelism)
        return SecretHash(logRounds: logRounds, blockSize: blockSize, parallelism: parallelism, salt: salt, hash: hash)
    }

    /// Whether `secret` matches, compared in constant time. Deliberately slow (scrypt).
    public func verify(_ secret: some StringProtocol) -> Bool {
        guard let derived = try? Self.derive(Array(secret.utf8), salt: salt, logRounds: logRounds, blockSize: blockSize, parallelism: parallelism) else {
            return false
        }
        return ConstantTime.equals(derived, hash)
    }

    /// The PHC string.
    public var description: String {
        "$scrypt$ln=\(logRounds),r=\(blockSize),p=\(parallelism)$\(Self.encode(salt))$\(Self.encode(hash))"
    }

    private init(logRounds: Int, blockSize: Int, parallelism: Int, salt: [UInt8], hash: [UInt8]) {
        self.logRounds = logRounds
        self.blockSize = blockSize
        self.parallelism = parallelism
        self.salt = salt
        self.hash = hash
    }

    private static func derive(_ secret: [UInt8], salt: [UInt8], logRounds: Int, blockSize: Int, parallelism: Int) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: secret, salt: salt, outputByteCount: 32, rounds: 1 << logRounds, blockSize: blockSize, parallelism: parallelism
        )
        return key.withUnsafeBytes { Array($0) }
    }

    private static func encode(_ bytes: [UInt8]) -> String {
        var string = Data(bytes).base64EncodedString()
        while string.hasSuffix("=") { string.removeLast() }
        return string
    }

    private static func decode(_ text: Substring) -> [UInt8]? {
        var padded = String(text)
        while padded.count % 4 != 0 { padded += "=" }
        return Data(base64Encoded: padded).map(Array.init)
    }
}

/// Why a secret hash in policy is not acceptable.
public struct SecretHashError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public var description: String { "secret_hash \(reason)" }
}
