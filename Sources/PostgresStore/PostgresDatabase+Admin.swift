import PostgresNIO

/// Creating databases: for test suites and operators' scripts that give each run a database of
/// its own. Needs the CREATEDB privilege.
extension PostgresDatabase {
    /// Creates an empty database on this server.
    /// - Parameter name: Lowercase letters, digits and `_`, starting with a letter, at most 63
    ///   characters (so that it needs no quoting).
    /// - Throws: ``PostgresStoreError`` `invalidOption` for another name; `IdentityGraphError.storage`
    ///   when the server refuses (the name is taken, no privilege).
    public func createDatabase(named name: String) async throws {
        guard Self.isPlainIdentifier(name) else {
            throw PostgresStoreError(.invalidOption, reason: "a database name here is lowercase letters, digits and _")
        }
        // CREATE DATABASE takes no parameters and cannot run in a transaction.
        try await withConnection { connection in
            try await connection.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: self.logger)
        }
    }

    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, (1...63).contains(name.utf8.count), ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
