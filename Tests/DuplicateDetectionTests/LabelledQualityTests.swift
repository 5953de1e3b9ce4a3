import DuplicateDetection
import Identifiers
import IdentityGraph
import Testing

/// Precision and recall of `find` at the default threshold on a seeded, labelled population
/// (see `LabelledDataSet`). The figures are printed; `docs/duplicates.md` quotes them.
@Suite struct LabelledQualityTests {
    static let seed: UInt64 = 20_251_122
    static let data = LabelledDataSet.generate(people: 4_000, seed: seed)

    struct Quality {
        var found: Int
        var truePositives: Int
        var falsePositives: [LabelledDataSet.Pair]
        var missed: [LabelledDataSet.Pair]
        var precision: Double { found == 0 ? 1 : Double(truePositives) / Double(found) }
        var recall: Double { Double(truePositives) / Double(truePositives + missed.count) }
    }

    static func measure(_ pairs: [ScoredPair], against data: LabelledDataSet) -> Quality {
        let foundPairs = Set(pairs.map { LabelledDataSet.Pair($0.first, $0.second) })
        let truePositives = foundPairs.filter { data.truePairs[$0] != nil }
        return Quality(
            found: foundPairs.count,
            truePositives: truePositives.count,
            falsePositives: foundPairs.filter { data.truePairs[$0] == nil }.sorted { ($0.first, $0.second) < ($1.first, $1.second) },
            missed: data.truePairs.keys.filter { !foundPairs.contains($0) }.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
        )
    }

    @Test func precisionAndRecallAtTheDefaultThreshold() {
        let data = Self.data
        let pairs = DuplicateFinder().find(data.records, refusedLinks: data.refusedLinks)
        let quality = Self.measure(pairs, against: data)
        print("labelled set (seed \(Self.seed)): \(data.records.count) records, \(data.truePairs.count) true pairs, \(data.hardNegatives.count) hard non-duplicate pairs, \(data.refusedLinks.count) refused links")
        print("threshold 0.70: found \(quality.found), precision \(Self.format(quality.precision)), recall \(Self.format(quality.recall))")
        let scores = Dictionary(pairs.map { (LabelledDataSet.Pair($0.first, $0.second), $0) }, uniquingKeysWith: { a, _ in a })
        for pair in quality.falsePositives.prefix(15) {
            let scored = scores[pair]!
            print("  false positive (\(data.hardNegatives[pair] ?? "unrelated")): \(scored.score) \(scored.reasons.map { "\($0.code.rawValue) \($0.weight)" }.joined(separator: ", "))")
        }
        let finder = DuplicateFinder()
        let byID = Dictionary(data.records.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var missedBy: [String: Int] = [:]
        for pair in quality.missed {
            missedBy[data.truePairs[pair]!, default: 0] += 1
        }
        for (label, count) in missedBy.sorted(by: { $0.value > $1.value }).prefix(20) { print("  missed \(count): \(label)") }
        for pair in quality.missed.prefix(10) {
            let scored = finder.score(byID[pair.first]!, byID[pair.second]!, refusedLinks: data.refusedLinks)
            print("  missed (\(data.truePairs[pair]!)): \(scored.score) \(scored.reasons.map { "\($0.code.rawValue) \($0.weight)" }.joined(separator: ", "))")
        }
        #expect(quality.precision >= 0.95)
        #expect(quality.recall >= 0.90)
    }

    @Test func otherThresholds() {
        let data = Self.data
        let all = DuplicateFinder().find(data.records, refusedLinks: data.refusedLinks, minimumScore: 0.5)
        for threshold in [0.5, 0.6, 0.7, 0.8, 0.9] {
            let quality = Self.measure(all.filter { $0.score >= threshold }, against: data)
            print("threshold \(threshold): found \(quality.found), precision \(Self.format(quality.precision)), recall \(Self.format(quality.recall))")
        }
    }

    static func format(_ value: Double) -> String {
        String((value * 1000).rounded() / 1000)
    }
}

extension LabelledQualityTests {
    /// Reasons explain without personal data: no identifier value, birth date or postal code of
    /// the labelled set appears in any reason of any pair found at a low minimum score.
    @Test func noReasonContainsPersonalData() {
        let data = Self.data
        let pairs = DuplicateFinder().find(data.records, refusedLinks: data.refusedLinks, minimumScore: 0.3)
        #expect(pairs.count > data.truePairs.count)
        var values = Set<String>()
        for record in data.records {
            for identifier in record.identifiers {
                values.insert(identifier.value)
                if identifier.kind == .email, let local = identifier.value.split(separator: "@").first, local.count >= 4 { values.insert(String(local)) }
                if identifier.kind == .phone { values.insert(String(identifier.value.dropFirst(4))) }
            }
            if let birthdate = record.profile.birthdate { values.insert(birthdate) }
            if let postalCode = record.profile.postalCode { values.insert(postalCode) }
        }
        let details = Set(pairs.flatMap { $0.reasons.map(\.detail) })
        #expect(!details.isEmpty)
        for detail in details {
            let leaked = values.filter { detail.contains($0) }
            #expect(leaked.isEmpty, "a reason detail contains personal data")
        }
    }
}
