import Crypto
import Foundation
import Synchronization
import Testing
@testable import Tokens

/// A fresh directory under the system temporary directory, removed by `cleanUp()`.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("solmu-tokens-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The keys directory inside it (not created).
    var keys: String { path + "/keys" }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A clock tests can move.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ date: Date = Date(timeIntervalSince1970: 1_750_000_000)) {
        current = Mutex(date)
    }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    func set(_ date: Date) {
        current.withLock { $0 = date }
    }

    var closure: @Sendable () -> Date { { self.now } }
}

/// The POSIX permission bits of a file.
func permissions(of path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

let issuer = "https://sso.example.com"
let audience = "https://api.example.com"

/// Keys, a signer and a verifier sharing one test clock.
final class Fixture: Sendable {
    let directory: TemporaryDirectory
    let keys: SigningKeySet
    let clock: TestClock
    let signer: TokenSigner
    let verifier: AccessTokenVerifier

    init(cacheCapacity: Int = 50_000) throws {
        directory = try TemporaryDirectory()
        keys = try SigningKeySet.loadOrCreate(directory: directory.keys)
        clock = TestClock()
        signer = TokenSigner(keys: keys, issuer: issuer, now: clock.closure)
        verifier = AccessTokenVerifier(
            keys: keys, issuer: issuer, audience: audience, cacheCapacity: cacheCapacity, now: clock.closure
        )
    }

    /// The active key of `algorithm`.
    func key(_ algorithm: SigningAlgorithm) -> SigningKey {
        keys.signingKey(for: algorithm)!
    }

    /// Claims that pass verification at the clock's current time, as a JSON object.
    func validPayload() -> [String: Any] {
        let now = Int(clock.now.timeIntervalSince1970)
        return [
            "iss": issuer, "sub": "customer-1", "aud": audience, "exp": now + 300, "iat": now,
            "jti": "abc", "scope": "openid profile", "client_id": "web",
        ]
    }

    /// A header that passes verification for `algorithm`.
    func validHeader(_ algorithm: SigningAlgorithm = .es256) -> [String: Any] {
        ["alg": algorithm.rawValue, "kid": key(algorithm).kid, "typ": "at+jwt"]
    }

    /// A token built by hand from JSON objects, signed with our key of `algorithm` (or unsigned).
    func craft(header: [String: Any], payload: [String: Any], signWith algorithm: SigningAlgorithm? = .es256) throws -> String {
        let input = try encodePart(header) + "." + encodePart(payload)
        guard let algorithm else { return input + "." }
        let signature = try key(algorithm).privateKey.signature(for: Array(input.utf8))
        return input + "." + Base64URL.encode(signature)
    }

    func encodePart(_ object: [String: Any]) throws -> String {
        Base64URL.encode(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }
}

/// The decoded JSON object of part `index` (0 header, 1 payload) of a compact token.
func jsonPart(_ token: String, _ index: Int) throws -> [String: Any] {
    let part = token.split(separator: ".", omittingEmptySubsequences: false)[index]
    let bytes = try #require(Base64URL.decode(String(part)))
    return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
}
