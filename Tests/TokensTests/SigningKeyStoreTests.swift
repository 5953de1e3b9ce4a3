import Foundation
import Logging
import Testing
@testable import Tokens

@Suite("Signing key store reloads")
struct SigningKeyStoreTests {
    @Test("nothing changed: the manifest is stat'ed and the set stays the same")
    func unchanged() throws {
        let fixture = try RotationFixture()
        let before = fixture.store.snapshot
        #expect(fixture.store.reloadIfChanged() == .unchanged)
        #expect(fixture.store.reloadIfChanged() == .unchanged)
        #expect(fixture.store.snapshot === before)
    }

    @Test("a rotation by another SigningKeySet.rotate call on disk is picked up once")
    func picksUpRotationOnDisk() throws {
        let fixture = try RotationFixture()
        let old = fixture.store.current.keys
        // Same second, same size as far as the store can tell: the rename still changes the inode.
        let new = try SigningKeySet.rotate(directory: fixture.directory.keys, algorithm: .edDSA, now: fixture.clock.now)
        #expect(fixture.store.reloadIfChanged() == .reloaded(previous: old, current: fixture.store.current.keys))
        #expect(fixture.store.current.activeKey(for: .edDSA) == new)
        #expect(fixture.store.current.linkLogKey == SigningKeyStore(keys: try SigningKeySet.loadOrCreate(directory: fixture.directory.keys)).current.linkLogKey)
        #expect(fixture.store.reloadIfChanged() == .unchanged)
    }

    @Test("a store around a loaded set re-reads once, then only on change")
    func reloadingStoreFromSet() throws {
        let temporary = try TemporaryDirectory()
        let keys = try SigningKeySet.loadOrCreate(directory: temporary.keys)
        let store = SigningKeyStore(reloading: keys)
        #expect(store.reloadIfChanged() == .unchanged)  // same keys: nothing to report
        _ = try SigningKeySet.rotate(directory: temporary.keys, algorithm: .es256)
        guard case .reloaded = store.reloadIfChanged() else {
            Issue.record("expected a reload")
            return
        }
        #expect(store.current.keys.count == 3)
    }

    @Test("a fixed store never reloads")
    func fixedStore() throws {
        let temporary = try TemporaryDirectory()
        let store = SigningKeyStore(keys: try SigningKeySet.loadOrCreate(directory: temporary.keys))
        _ = try SigningKeySet.rotate(directory: temporary.keys, algorithm: .es256)
        #expect(store.reloadIfChanged() == .unchanged)
        #expect(store.current.keys.count == 2)
        #expect(!store.reloads)
    }

    @Test("a corrupt manifest keeps the old set, is not retried until it changes, then reloads")
    func corruptManifestKeepsOldSet() async throws {
        let fixture = try RotationFixture()
        let before = fixture.store.current
        let good = try Data(contentsOf: URL(fileURLWithPath: fixture.manifestPath))
        try Data("{\"version\": 1, \"keys\": [".utf8).write(to: URL(fileURLWithPath: fixture.manifestPath), options: .atomic)

        let result = fixture.store.reloadIfChanged()
        guard case .failed(let error) = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        #expect(error.code == .malformedManifest)
        #expect(fixture.store.current.keys == before.keys)
        #expect(fixture.store.reloadIfChanged() == .unchanged)
        // Signing and verifying go on with the old keys.
        _ = try await fixture.verifier.verify(try await fixture.accessToken())

        try good.write(to: URL(fileURLWithPath: fixture.manifestPath), options: .atomic)
        #expect(fixture.store.reloadIfChanged() == .unchanged)  // same keys as before
        let new = try fixture.rotate(.es256)
        guard case .reloaded = fixture.store.reloadIfChanged() else {
            Issue.record("expected a reload")
            return
        }
        #expect(fixture.store.current.activeKey(for: .es256) == new)
    }

    @Test("a manifest without an active key, or naming a missing file, is refused on reload")
    func refusesIncompleteDirectory() throws {
        let fixture = try RotationFixture()
        let before = fixture.store.current.keys
        var text = try String(contentsOfFile: fixture.manifestPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"retired_at\" : null", with: "\"retired_at\" : \"2025-01-01T00:00:00Z\"")
        try text.write(toFile: fixture.manifestPath, atomically: true, encoding: .utf8)
        guard case .failed(let error) = fixture.store.reloadIfChanged() else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == .malformedManifest)
        #expect(fixture.store.current.keys == before)

        // A restored manifest whose key file is missing.
        let temporary = try TemporaryDirectory()
        let store = try SigningKeyStore(directory: temporary.keys)
        let new = try SigningKeySet.rotate(directory: temporary.keys, algorithm: .es256)
        try FileManager.default.removeItem(atPath: temporary.keys + "/es256-\(new.kid).pem")
        guard case .failed(let missing) = store.reloadIfChanged() else {
            Issue.record("expected a failure")
            return
        }
        #expect(missing.code == .missingFile)
        #expect(store.current.activeKey(for: .es256) != new)
    }

    @Test("the reload service picks up a rotation and stops when cancelled")
    func reloadService() async throws {
        let fixture = try RotationFixture()
        let service = KeyReloadService(store: fixture.store, interval: .milliseconds(10), logger: Logger(label: "test"))
        let task = Task { try await service.run() }
        let new = try fixture.rotate(.es256)
        var attempts = 0
        while fixture.store.current.activeKey(for: .es256) != new && attempts < 500 {
            try await Task.sleep(for: .milliseconds(10))
            attempts += 1
        }
        #expect(fixture.store.current.activeKey(for: .es256) == new)
        task.cancel()
        try await task.value
    }

    @Test("reload log metadata names kids only")
    func reloadMetadata() throws {
        let created = Date(timeIntervalSince1970: 1_750_000_000)
        let old = SigningKeyInfo(kid: "old", algorithm: .es256, createdAt: created, retiredAt: nil)
        let gone = SigningKeyInfo(kid: "gone", algorithm: .es256, createdAt: created, retiredAt: created)
        let retired = SigningKeyInfo(kid: "old", algorithm: .es256, createdAt: created, retiredAt: created.addingTimeInterval(60))
        let new = SigningKeyInfo(kid: "new", algorithm: .es256, createdAt: created.addingTimeInterval(60), retiredAt: nil)
        let metadata = KeyReloadService.metadata(previous: [gone, old], current: [retired, new])
        #expect(metadata["added"] == .array([.string("new")]))
        #expect(metadata["retired"] == .array([.string("old")]))
        #expect(metadata["removed"] == .array([.string("gone")]))
        #expect(metadata["active"] == .array([.string("ES256:new")]))
    }
}
