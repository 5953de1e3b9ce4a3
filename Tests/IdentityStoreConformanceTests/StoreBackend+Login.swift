import CustomerLogin
import Foundation
import PostgresStore
import SQLiteStore

extension StoreBackend {
    /// A fresh, empty login store.
    func makeLoginStore() throws -> any LoginStore {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("solmu-login-conformance-\(UUID().uuidString)")
            return SQLiteLoginStore(database: try SQLiteDatabase(path: directory.appendingPathComponent("solmu.sqlite").path))
        case .postgres:
            return PendingLoginStore { PostgresLoginStore(database: try await PostgresTestServer.freshDatabase()) }
        }
    }
}
