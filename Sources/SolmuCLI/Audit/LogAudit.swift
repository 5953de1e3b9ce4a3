import Foundation
import Synchronization
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

    /// A decoder for entries as `GET /log/entries` and export files carry them (RFC 3339 times
    /// with milliseconds). Not shared between threads: make one per thread.
    static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339Time.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 UTC time")
            }
            return date
        }
        return decoder
    }

    /// Decodes the entries at `lines` (byte ranges of `data`, one JSON object each), in order, on
    /// every core, with each entry's leaf hash. The fast parser reads what exports hold; anything
    /// it does not take goes to `JSONDecoder`.
    static func decodeEntries(
        _ data: Data, lines: [Range<Int>], firstLineNumber: Int, path: String
    ) throws -> (entries: [LinkLogEntry], leaves: [TreeHash]) {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, lines.count / 10_000 + 1))
        let chunk = (lines.count + workers - 1) / workers
        let results = Mutex<[Int: Result<([LinkLogEntry], [TreeHash]), Finding>]>([:])
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let decoder = makeDecoder()
            let range = (worker * chunk)..<min(lines.count, (worker + 1) * chunk)
            var entries: [LinkLogEntry] = []
            var leaves: [TreeHash] = []
            entries.reserveCapacity(range.count)
            leaves.reserveCapacity(range.count)
            let outcome: Result<([LinkLogEntry], [TreeHash]), Finding> = data.withUnsafeBytes { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                for index in range {
                    let line = UnsafeBufferPointer(rebasing: bytes[lines[index]])
                    guard let entry = LinkLogEntryParser.parse(line) ?? (try? decoder.decode(LinkLogEntry.self, from: Data(buffer: line))) else {
                        return .failure(Finding(sequence: nil, problem: "\(path):\(firstLineNumber + index): not a link-log entry"))
                    }
                    leaves.append(TreeHasher.leafHash(of: entry.leafBytes))
                    entries.append(entry)
                }
                return .success((entries, leaves))
            }
            results.withLock { $0[worker] = outcome }
        }
        var entries: [LinkLogEntry] = []
        var leaves: [TreeHash] = []
        entries.reserveCapacity(lines.count)
        leaves.reserveCapacity(lines.count)
        for worker in 0..<workers {
            switch results.withLock({ $0[worker] }) {
            case let .success((someEntries, someLeaves))?:
                entries += someEntries
                leaves += someLeaves
            case let .failure(finding)?: throw finding
            case nil: break
            }
        }
        return (entries, leaves)
    }

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

/// `2026-11-22T18:40:58.688Z` to a date, without a formatter: verification parses a million of
/// them. UTC (`Z`) only, with 0 to 9 fractional digits (kept to the millisecond).
enum RFC3339Time {
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z"), bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var millis = 0
        if bytes.count > 20 {
            guard bytes[19] == UInt8(ascii: "."), bytes.count - 21 <= 9, bytes.count > 21 else { return nil }
            let digits = bytes[20..<(bytes.count - 1)]
            var scale = 100
            for byte in digits {
                let digit = Int(byte) - 48
                guard (0...9).contains(digit) else { return nil }
                millis += digit * scale
                scale /= 10
            }
        } else if bytes.count != 20 {
            return nil
        }
        // Days since 1970-01-01 from the civil date (H. Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let total = Int64(days) * 86_400_000 + Int64(hour * 3_600_000 + minute * 60_000 + second * 1_000 + millis)
        return Date(timeIntervalSince1970: Double(total) / 1000)
    }
}
