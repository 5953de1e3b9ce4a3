/// Which migrations a database has, compared with the ones this build knows.
public struct PostgresSchemaState: Sendable, Equatable {
    /// Migrations recorded in the database, in the order they were applied.
    public var applied: [String]
    /// Migrations this build knows that the database lacks, in the order they would run.
    public var pending: [String]
    /// Migrations recorded in the database that this build does not know: a newer Solmu ran them.
    public var unknown: [String]

    public init(applied: [String], pending: [String], unknown: [String]) {
        self.applied = applied
        self.pending = pending
        self.unknown = unknown
    }

    /// The database has exactly the migrations this build knows.
    public var isCurrent: Bool { pending.isEmpty && unknown.isEmpty }
}
