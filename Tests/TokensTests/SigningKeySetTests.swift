import Crypto
import Foundation
import Testing
@testable import Tokens

@Suite("Signing keys on disk")
struct SigningKeySetTests {
    @Test("first start creates the directory, both keys, the manifest and link-log.key with tight modes")
    func firstStartCreatesFiles() throws {
        let temporary = try TemporaryDirectory()
        let keys = try SigningKeySet.loadOrCreate(directory: temporary.keys)

        #expect(try permissions(of: temporary.keys) == 0o700)
        #expect(keys.keys.map(\.algorithm).sorted { $0.rawValue < $1.rawValue } == [.es256, .edDSA])
        #expect(keys.keys.allSatisfy { $0.retiredAt == nil })

        let manifestPath = temporary.keys + "/signing-keys.json"
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath))) as? [String: Any]
        )
        #expect(manifest["version"] as? Int == 1)
        let entries = try #require(manifest["keys"] as? [[String: Any]])
        #expect(entries.count == 2)
        for entry in entries {
            let kid = try #require(entry["kid"] as? String)
            let alg = try #require(entry["alg"] as? String)
            let file = try #require(entry["file"] as? String)
            #expect(["ES256", "EdDSA"].contains(alg))
            #expect(entry["retired_at"] is NSNull)
            let created = try #require(entry["created_at"] as? String)
            #expect(RFC3339.parse(created) != nil)
            #expect(file == "\(alg.lowercased())-\(kid).pem")
            #expect(try permissions(of: temporary.keys + "/" + file) == 0o600)
            let pem = try String(contentsOfFile: temporary.keys + "/" + file, encoding: .utf8)
            #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        }
        // The literal null is in the file, so operators see the field they may set.
        let manifestText = try String(contentsOfFile: manifestPath, encoding: .utf8)
        #expect(manifestText.contains("\"retired_at\" : null"))

        #expect(try permissions(of: temporary.keys + "/link-log.key") == 0o600)
        #expect(keys.linkLogKey.bitCount == 256)
    }

    @Test("reloading gives the same kids and the same link-log key, and writes nothing")
    func reloadIsStable() throws {
        let temporary = try TemporaryDirectory()
        let first = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        let manifestPath = temporary.keys + "/signing-keys.json"
        let manifestBefore = try Data(contentsOf: URL(fileURLWithPath: manifestPath))

        let second = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        #expect(second.keys == first.keys)
        #expect(second.jwks == first.jwks)
        #expect(second.activeKey(for: .es256) == first.activeKey(for: .es256))
        #expect(second.linkLogKey == first.linkLogKey)
        #expect(try Data(contentsOf: URL(fileURLWithPath: manifestPath)) == manifestBefore)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.keys).count == 4)
    }

    @Test("a key file readable by group or others is refused")
    func refusesWorldReadableKey() throws {
        let temporary = try TemporaryDirectory()
        let keys = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        let kid = try #require(keys.activeKey(for: .es256)).kid
        let path = temporary.keys + "/es256-\(kid).pem"
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)

        let error = try #require(throws: SigningKeyError.self) { try SigningKeySet.loadOrCreate(directory: temporary.keys) }
        #expect(error.code == .insecurePermissions)
        #expect(error.path == path)
        #expect(error.description.contains("644"))
    }

    @Test("a link-log.key readable by others is refused")
    func refusesWorldReadableLinkLogKey() throws {
        let temporary = try TemporaryDirectory()
        _ = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        try FileManager.default.setAttributes([.posixPermissions: 0o604], ofItemAtPath: temporary.keys + "/link-log.key")
        let error = try #require(throws: SigningKeyError.self) { try SigningKeySet.loadOrCreate(directory: temporary.keys) }
        #expect(error.code == .insecurePermissions)
    }

    @Test("a manifest naming a missing file is refused")
    func refusesMissingFile() throws {
        let temporary = try TemporaryDirectory()
        let keys = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        let kid = try #require(keys.activeKey(for: .edDSA)).kid
        try FileManager.default.removeItem(atPath: temporary.keys + "/eddsa-\(kid).pem")

        let error = try #require(throws: SigningKeyError.self) { try SigningKeySet.loadOrCreate(directory: temporary.keys) }
        #expect(error.code == .missingFile)
        #expect(error.path.hasSuffix("eddsa-\(kid).pem"))
    }

    @Test("a file whose key does not match its kid is refused")
    func refusesKeyMismatch() throws {
        let temporary = try TemporaryDirectory()
        let keys = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        let kid = try #require(keys.activeKey(for: .es256)).kid
        let path = temporary.keys + "/es256-\(kid).pem"
        try FileManager.default.removeItem(atPath: path)
        let other = P256.Signing.PrivateKey().pemRepresentation
        #expect(FileManager.default.createFile(atPath: path, contents: Data(other.utf8), attributes: [.posixPermissions: 0o600]))

        let error = try #require(throws: SigningKeyError.self) { try SigningKeySet.loadOrCreate(directory: temporary.keys) }
        #expect(error.code == .keyMismatch)
    }

    @Test("a key file holding a key of the other algorithm is refused")
    func refusesWrongAlgorithmInFile() throws {
        let temporary = try TemporaryDirectory()
        let keys = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        let es = try #require(keys.activeKey(for: .es256)).kid
        let ed = try #require(keys.activeKey(for: .edDSA)).kid
        let esPath = temporary.keys + "/es256-\(es).pem"
        try FileManager.default.removeItem(atPath: esPath)
        try FileManager.default.copyItem(atPath: temporary.keys + "/eddsa-\(ed).pem", toPath: esPath)

        let error = try #require(throws: SigningKeyError.self) { try SigningKeySet.loadOrCreate(directory: temporary.keys) }
        #expect(error.code == .malformedKey)
    }

    @Test("a manifest file name with a directory part is refused", arguments: ["../escape.pem", "/etc/passwd", ""])
    func refusesPathInManifest(file: String) throws {
        let temporary = try TemporaryDirectory()
        let keys = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        let manifestPath = temporary.keys + "/signing-keys.json"
        let kid = try #require(keys.activeKey(for: .es256)).kid
        let text = try String(contentsOfFile: manifestPath, encoding: .utf8)
            .replacingOccurrences(of: "es256-\(kid).pem", with: file)
        try text.write(toFile: manifestPath, atomically: false, encoding: .utf8)

        let error = try #require(throws: SigningKeyError.self) { try SigningKeySet.loadOrCreate(directory: temporary.keys) }
        #expect(error.code == .malformedManifest)
    }

    @Test("a missing link-log.key next to an existing manifest is refused, not regenerated")
    func refusesLostLinkLogKey() throws {
        let temporary = try TemporaryDirectory()
        _ = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        try FileManager.default.removeItem(atPath: temporary.keys + "/link-log.key")
        let error = try #require(throws: SigningKeyError.self) { try SigningKeySet.loadOrCreate(directory: temporary.keys) }
        #expect(error.code == .missingFile)
        #expect(!FileManager.default.fileExists(atPath: temporary.keys + "/link-log.key"))
    }

    @Test("an existing empty directory is used, and its mode left alone")
    func existingDirectory() throws {
        let temporary = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: temporary.keys, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o750])
        let keys = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        #expect(keys.keys.count == 2)
        #expect(try permissions(of: temporary.keys) == 0o750)
    }

    @Test("the active key is the newest non-retired one per algorithm; every listed key verifies")
    func rotationSemantics() async throws {
        let temporary = try TemporaryDirectory()
        let clock = TestClock()
        let original = try SigningKeySet.loadOrCreate(directory: temporary.keys, now: { clock.now })
        let oldToken = try await TokenSigner(keys: original, issuer: issuer, now: clock.closure)
            .issueAccessToken(subject: "s", audience: [audience], clientID: "c", scope: [], lifetime: .seconds(600)).token

        // What `rotate` will do: a new key file, appended to the manifest.
        let directory = KeyDirectory(path: temporary.keys)
        clock.advance(by: 60)
        let newKey = try SigningKeySet.createKey(.es256, in: directory, createdAt: clock.now)
        var manifest = try SigningKeyManifest.decode(
            directory.readFile(SigningKeyManifest.fileName, secret: false), path: "")
        manifest.keys.insert(newKey.entry, at: 0)  // order in the file does not matter, created_at does
        try directory.replaceFile(SigningKeyManifest.fileName, contents: manifest.encoded())

        let rotated = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        #expect(rotated.keys.count == 3)
        #expect(rotated.jwks.keys.count == 3)
        #expect(rotated.activeKey(for: .es256)?.kid == newKey.kid)
        #expect(rotated.activeKey(for: .edDSA) == original.activeKey(for: .edDSA))

        let signer = TokenSigner(keys: rotated, issuer: issuer, now: clock.closure)
        let verifier = AccessTokenVerifier(keys: rotated, issuer: issuer, audience: audience, now: clock.closure)
        let newToken = try await signer.issueAccessToken(subject: "s", audience: [audience], clientID: "c", scope: [], lifetime: .seconds(600)).token
        #expect(try jsonPart(newToken, 0)["kid"] as? String == newKey.kid)
        _ = try await verifier.verify(newToken)
        _ = try await verifier.verify(oldToken)

        // Retiring the new key makes the older one active again; both still verify.
        manifest.keys[0].retiredAt = clock.now
        try directory.replaceFile(SigningKeyManifest.fileName, contents: manifest.encoded())
        let retired = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        #expect(retired.activeKey(for: .es256) == original.activeKey(for: .es256))
        #expect(retired.keys.first { $0.kid == newKey.kid }?.retiredAt != nil)
        let verifier2 = AccessTokenVerifier(keys: retired, issuer: issuer, audience: audience, now: clock.closure)
        _ = try await verifier2.verify(newToken)
        _ = try await verifier2.verify(oldToken)
    }

    @Test("when every key of an algorithm is retired, a new one is generated on load")
    func allRetiredGeneratesNew() throws {
        let temporary = try TemporaryDirectory()
        let original = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        let directory = KeyDirectory(path: temporary.keys)
        var manifest = try SigningKeyManifest.decode(directory.readFile(SigningKeyManifest.fileName, secret: false), path: "")
        for index in manifest.keys.indices where manifest.keys[index].algorithm == .edDSA {
            manifest.keys[index].retiredAt = Date()
        }
        try directory.replaceFile(SigningKeyManifest.fileName, contents: manifest.encoded())

        let reloaded = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        #expect(reloaded.keys.count == 3)
        #expect(reloaded.activeKey(for: .edDSA) != nil)
        #expect(reloaded.activeKey(for: .edDSA)?.kid != original.activeKey(for: .edDSA)?.kid)
        #expect(reloaded.activeKey(for: .es256) == original.activeKey(for: .es256))
    }

    @Test("kid is the RFC 7638 thumbprint (RFC 8037 appendix A.3 vector)")
    func thumbprintVector() throws {
        let x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
        #expect(JWKThumbprint.compute((kty: "OKP", crv: "Ed25519", x: x, y: nil)) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
    }

    @Test("an ES256 kid is the thumbprint of the canonical EC JWK")
    func ecThumbprint() throws {
        let fixture = try Fixture()
        let jwk = try #require(fixture.keys.jwks.keys.first { $0.algorithm == "ES256" })
        let canonical = #"{"crv":"P-256","kty":"EC","x":"\#(jwk.x)","y":"\#(jwk.y!)"}"#
        #expect(jwk.keyID == Base64URL.encode(Array(SHA256.hash(data: Data(canonical.utf8)))))
    }
}
