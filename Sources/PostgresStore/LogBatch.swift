import IdentityGraph

/// The link-log entries of one transaction, numbered after the size locked at its start; written
/// together by ``PostgresVerifiableLog/flush(_:connection:logger:)`` before the commit.
final class LogBatch {
    /// The log's size when the transaction locked it.
    let start: Int64
    private(set) var records: [LinkLogRecord] = []

    init(start: Int64) {
        self.start = start
    }

    /// Adds an entry; returns its sequence number.
    @discardableResult
    func append(_ record: LinkLogRecord) -> Int64 {
        records.append(record)
        return start + Int64(records.count)
    }
}
