import Crypto
import Foundation
import Identifiers
import IdentityGraph
import Testing
import VerifiableLog

/// A bulk import's batch prepared ahead of its write, with its leaves hashed for the sequence
/// numbers the store predicts.
struct PreparedImportTests {
    let keys = LinkLogKeys(master: SymmetricKey(data: Data(repeating: 7, count: 32)))
    let context = ChangeContext(actor: "import", reason: "bulk import", time: Date(timeIntervalSince1970: 1_790_000_000))

    func customer(_ emails: String...) -> NewCustomer {
        NewCustomer(identifiers: emails.map { .init(identifier: Identifier(trustedKind: .email, namespace: nil, value: $0), assurance: .asserted) })
    }

    @Test func leavesFollowTheAcceptedCustomersEntriesInTheOrderTheStoreAppendsThem() throws {
        let tooMany = customer("1@example.com", "2@example.com", "3@example.com", "4@example.com", "5@example.com", "6@example.com")
        var prepared = try PreparedImport(
            [customer("anna@example.com", "anna@example.org"), tooMany, customer("ben@example.com")], context: context, rules: .default, keys: keys
        )
        #expect(prepared.entryCount == 3 + 2, "the refused customer has no entries")
        #expect(prepared.leaves == nil)
        prepared.predictLeaves(firstSequence: 41)

        let logs = prepared.items.compactMap { try? $0.get().log }
        let records = logs.flatMap { [$0.created] + $0.links.map(\.record) }
        #expect(records.map(\.action) == [.customerCreated, .linked, .linked, .customerCreated, .linked])
        let expected = records.enumerated().map { TreeHasher.leafHash(of: LinkLogEntry(sequence: 41 + Int64($0.offset), record: $0.element).leafBytes) }
        let leaves = try #require(prepared.leaves)
        #expect(leaves.firstSequence == 41 && leaves.hashes == expected)
    }

    @Test func aPredictedHashServesOnlyTheSequenceNumberItWasComputedFor() throws {
        var prepared = try PreparedImport([customer("anna@example.com")], context: context, rules: .default, keys: keys)
        prepared.predictLeaves(firstSequence: 10)
        let leaves = try #require(prepared.leaves)
        #expect(leaves.hash(at: 0, sequence: 10) == leaves.hashes[0])
        #expect(leaves.hash(at: 1, sequence: 11) == leaves.hashes[1])
        #expect(leaves.hash(at: 1, sequence: 12) == nil, "written later than predicted")
        #expect(leaves.hash(at: 0, sequence: 9) == nil)
        #expect(leaves.hash(at: 2, sequence: 12) == nil, "past the batch")
        #expect(leaves.hash(at: -1, sequence: 9) == nil)
    }

    @Test func hashingOnSeveralCoresGivesTheSameLeaves() throws {
        let record = LinkLogRecord(time: context.time, actor: "import", action: .customerCreated, customerID: CustomerID.random())
        let records = (0..<5_000).map { index in
            var record = record
            record.reason = "row \(index)"
            return record
        }
        let single = PredictedLeaves(records: records, firstSequence: 1, workers: 1)
        let several = PredictedLeaves(records: records, firstSequence: 1, workers: 3)
        #expect(several.hashes == single.hashes)
        #expect(Set(single.hashes).count == records.count)
        #expect(single.hashes[4_999] == TreeHasher.leafHash(of: LinkLogEntry(sequence: 5_000, record: records[4_999]).leafBytes))
    }
}

struct LogSequencePredictorTests {
    @Test func predictsNothingUntilTheLogSizeIsKnown() {
        var predictor = LogSequencePredictor()
        #expect(predictor.needsLogSize)
        #expect(predictor.reserve(6) == nil)
        // That batch is written first: 100 entries before it, 6 of its own.
        #expect(predictor.reserve(9, logSize: 100) == 107)
        #expect(!predictor.needsLogSize)
        #expect(predictor.reserve(3) == 116)
    }

    @Test func batchesReservedWhileOthersAreWrittenFollowThem() {
        var predictor = LogSequencePredictor()
        #expect(predictor.reserve(10, logSize: 0) == 1)
        #expect(predictor.reserve(20) == 11)
        predictor.settle(10, logSize: 10)
        #expect(predictor.reserve(30) == 31)
        predictor.settle(20, logSize: 30)
        predictor.settle(30, logSize: 60)
        #expect(predictor.reserve(5) == 61)
    }

    /// Refused customers write fewer entries, another writer more: the batches reserved already
    /// miss, the next reservation is back in step with the log's real size.
    @Test func settlingWithTheRealSizeCorrectsTheNextReservation() {
        var predictor = LogSequencePredictor()
        #expect(predictor.reserve(10, logSize: 0) == 1)
        #expect(predictor.reserve(20) == 11)
        predictor.settle(10, logSize: 7)
        #expect(predictor.reserve(5) == 28, "after the 7 entries written and the 20 still to come")
        predictor.settle(20, logSize: 40)
        #expect(predictor.reserve(1) == 46, "another writer added 13 entries")
    }

    @Test func aFailedWriteMakesTheNextReservationReadTheLogSize() {
        var predictor = LogSequencePredictor()
        #expect(predictor.reserve(10, logSize: 0) == 1)
        #expect(predictor.reserve(4) == 11)
        predictor.settle(10, logSize: nil)
        #expect(predictor.needsLogSize)
        #expect(predictor.reserve(2) == nil)
        let first = predictor.reserve(2, logSize: 3)
        #expect(first == 10, "after the log's 3 entries and the 4 and 2 reserved before it")
    }
}
