import IdentityGraph
import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs `query` and collects its rows.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await self.query(query, logger: logger) {
            rows.append(row.makeRandomAccess())
        }
        return rows
    }

    /// Runs `query`, discarding any rows; returns how many rows it returned (a `RETURNING 1`
    /// counts changed rows).
    @discardableResult
    func execute(_ query: PostgresQuery, logger: Logger) async throws -> Int {
        var count = 0
        for try await _ in try await self.query(query, logger: logger) {
            count += 1
        }
        return count
    }
}

extension PostgresRandomAccessRow {
    /// The column `name` decoded as `type`; a malformed value is `IdentityGraphError.storage`.
    func value<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        do {
            return try self[name].decode(T.self)
        } catch {
            throw IdentityGraphError.storage("column \(name) of an unexpected type")
        }
    }
}
