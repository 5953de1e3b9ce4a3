import Testing
import Crypto
import Foundation
import IdentityGraph
import PostgresStore
import SQLiteStore

/// The backends the conformance suite runs against. Every test takes one as its argument, so a
/// new backend is one more case here and nothing else.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    /// Only when `SOLMU_TEST_POSTGRES_URL` is set (see `PostgresTestServer`).
    case postgres

    static var allCases: [StoreBackend] {
        PostgresTestServer.url == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    var testDescription: String { rawValue }

    static let logKey = SymmetricKey(data: Data(repeating: 7, count: 32))

    /// A fresh, empty store with `rules`.
    func make(rules: GraphRules = .default) throws -> any IdentityStore {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("solmu-conformance-\(UUID().uuidString)")
            return try SQLiteIdentityStore(
                path: directory.appendingPathComponent("solmu.sqlite").path, rules: rules, keys: LinkLogKeys(master: Self.logKey)
            )
        case .postgres:
            return PendingIdentityStore {
                PostgresIdentityStore(database: try await PostgresTestServer.freshDatabase(), rules: rules, keys: LinkLogKeys(master: Self.logKey))
            }
        }
    }
}
