import Foundation
import IdentityGraph
import VerifiableLog

/// What an auditor checks in the link log without trusting the server: the entries hash to the
/// signed root, the sequence has no gaps, and the history makes sense.
enum LogAudit {
    /// The first thing found wrong, naming the entry when there is one.
    struct Finding: Error, CustomStringConvertible, Equatable {
        var sequence: Int64?
        var problem: String

        var description: String {
            sequence.map { "entry \($0): \(problem)" } ?? problem
        }
    }

    /// Entries as `GET /log/entries` and export files carry them (RFC 3339 times with milliseconds).
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let plain = ISO8601DateFormatter()
            guard let date = formatter.date(from: text) ?? plain.date(from: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 time")
            }
            return date
        }
        return decoder
    }()

    /// Checks sequence numbers (leaf `i` is sequence `start + i + 1`) and meaning: an unmerge names
    /// an earlier merge still in effect, nothing is linked to, moved to or merged with an erased
    /// customer after its erasure. Merge rules need the whole log (`start` 0).
    static func checkMeaning(_ entries: [LinkLogEntry], start: UInt64) -> Finding? {
        var activeMerges: Set<MergeID> = []
        var seenMerges: Set<MergeID> = []
        var erased: Set<CustomerID> = []
        let wholeLog = start == 0
        for (offset, entry) in entries.enumerated() {
            let expected = Int64(start) + Int64(offset) + 1
            guard entry.sequence == expected else {
                return Finding(sequence: entry.sequence, problem: "expected sequence number \(expected) here: an entry is missing, added or out of order")
            }
            let record = entry.record
            switch record.action {
            case .linked, .assuranceRaised, .moved, .customerCreated:
                if erased.contains(record.customerID) {
                    return Finding(sequence: entry.sequence, problem: "\(record.action.rawValue) for customer \(record.customerID) after its erasure")
                }
            case .merged:
                guard let merge = record.mergeID, let duplicate = record.relatedCustomerID else {
                    return Finding(sequence: entry.sequence, problem: "a merge without its merge id or duplicate")
                }
                if erased.contains(record.customerID) || erased.contains(duplicate) {
                    return Finding(sequence: entry.sequence, problem: "a merge involving an erased customer")
                }
                if seenMerges.contains(merge) {
                    return Finding(sequence: entry.sequence, problem: "merge \(merge) appears twice")
                }
                seenMerges.insert(merge)
                activeMerges.insert(merge)
            case .unmerged:
                guard let merge = record.mergeID else {
                    return Finding(sequence: entry.sequence, problem: "an unmerge without a merge id")
                }
                if wholeLog, activeMerges.remove(merge) == nil {
                    return Finding(sequence: entry.sequence, problem: "unmerge of \(merge), which no earlier entry merged (or which was undone already)")
                }
            case .erased:
                erased.insert(record.customerID)
            case .unlinked, .tokenExchanged:
                break
            }
        }
        return nil
    }

    static func leafHashes(_ entries: [LinkLogEntry]) -> [TreeHash] {
        entries.map { TreeHasher.leafHash(of: $0.leafBytes) }
    }
}
