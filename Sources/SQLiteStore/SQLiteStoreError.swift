/// Why the SQLite store could not start.
public enum SQLiteStoreError: Error, Sendable, CustomStringConvertible {
    case cannotOpen(String)
    /// The database was migrated by a newer Solmu; this build must not touch it.
    case schemaTooNew

    public var description: String {
        switch self {
        case let .cannotOpen(detail): "cannot open the SQLite database: \(detail)"
        case .schemaTooNew: "the database schema is newer than this build of Solmu knows; upgrade Solmu"
        }
    }
}
