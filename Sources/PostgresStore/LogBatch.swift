import IdentityGraph

/// The link-log entries of one transaction, numbered after the size locked at its start, with the
/// sealed details beside them; written together by
/// ``PostgresVerifiableLog/flush(_:connection:logger:)`` before the commit.
final class LogBatch {
    /// A sealed detail for an entry of this batch.
    struct Detail {
        var sequence: Int64
        var lookup: String?
        var sealed: [UInt8]
    }

    /// The log's size when the transaction locked it.
    let start: Int64
    private(set) var records: [LinkLogRecord] = []
    private(set) var details: [Detail] = []

    init(start: Int64) {
        self.start = start
    }

    /// Adds an entry; returns its sequence number.
    @discardableResult
    func append(_ record: LinkLogRecord) -> Int64 {
        records.append(record)
        return start + Int64(records.count)
    }

    /// Adds the sealed detail of an entry of this batch.
    func addDetail(sequence: Int64, lookup: String?, sealed: [UInt8]) {
        details.append(Detail(sequence: sequence, lookup: lookup, sealed: sealed))
    }
}
