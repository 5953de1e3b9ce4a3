import SeededRandom
import DuplicateDetection
import Foundation
import Identifiers
import IdentityGraph
import Synchronization
import Testing

@Suite struct DuplicateFinderTests {
    typealias F = Fixtures

    @Test func aRefusedLinkAloneSurfacesAPair() {
        let records = [F.record(1, F.email("anna@example.com")), F.record(2, F.email("mikko@example.org")), F.record(3)]
        let pairs = DuplicateFinder().find(records, refusedLinks: [F.refused(1, 2)])
        #expect(pairs.count == 1)
        #expect(pairs.first?.first == min(F.id(1), F.id(2)))
        #expect(pairs.first?.second == max(F.id(1), F.id(2)))
        #expect(pairs.first?.codes == [.refusedLink])
    }

    @Test func aRefusedLinkToACustomerNoLongerPresentIsSkipped() {
        let records = [F.record(1), F.record(2)]
        let pairs = DuplicateFinder().find(records, refusedLinks: [F.refused(1, 99), F.refused(98, 99), F.refused(1, 1)])
        #expect(pairs.isEmpty)
    }

    @Test func looseIdentifiersAreFoundThroughBlocking() {
        let records = [
            F.record(1, given: "Anna", F.email("anna.virtanen@gmail.com")),
            F.record(2, given: "Anna", F.email("annavirtanen+kauppa@googlemail.com")),
            F.record(3, given: "Mikko", F.phone("+358401234567")),
            F.record(4, given: "Mikko", F.phone("+46401234567")),
            F.record(5, given: "Liisa", F.email("liisa@example.com")),
        ]
        let pairs = DuplicateFinder().find(records)
        #expect(Set(pairs.map { [$0.first, $0.second] }) == [[F.id(1), F.id(2)].sorted(), [F.id(3), F.id(4)].sorted()])
    }

    @Test func profileSimilarityIsFoundThroughBlocking() {
        let records = [
            F.record(1, given: "William", family: "Mäkinen", birthdate: "1980-05-17", postalCode: "00100"),
            F.record(2, given: "Bill", family: "Makinen", birthdate: "1980-05-17", postalCode: "00100"),
            F.record(3, given: "Makinen", family: "William", birthdate: "1980-05-17"),
            F.record(4, given: "William", family: "Mäkinen", birthdate: "1961-02-03", postalCode: "00100"),
        ]
        let pairs = DuplicateFinder().find(records)
        let found = Set(pairs.map { [$0.first, $0.second] })
        #expect(found.contains([F.id(1), F.id(2)].sorted()))
        #expect(found.contains([F.id(1), F.id(3)].sorted()))
        #expect(!found.contains([F.id(1), F.id(4)].sorted()))
    }

    @Test func aWidelySharedPhoneIsNoEvidenceAndDoesNotExplode() {
        // A store's phone number given by 200 customers: one block far over the cap.
        let store = "+358912345678"
        let records = (0..<200).map { F.record($0, given: "Customer", family: "Number\($0)", F.phone(store)) }
        var configuration = MatchConfiguration.default
        configuration.maxBlockSize = 50
        let total = Mutex(0)
        let pairs = DuplicateFinder(configuration: configuration).find(records, minimumScore: 0) { progress in
            if progress.phase == .scoring { total.withLock { $0 = progress.total } }
        }
        #expect(total.withLock { $0 } < 200 * 199 / 2)
        #expect(!pairs.contains { $0.codes.contains(.phoneEqual) })
        // The same phone on two customers only is evidence.
        let two = DuplicateFinder(configuration: configuration).find(Array(records.prefix(2)), minimumScore: 0)
        #expect(two.first?.codes.contains(.phoneEqual) == true)
    }

    @Test func minimumScoreAndLimitAreHonoured() {
        let data = LabelledDataSet.generate(people: 600, seed: 7)
        let finder = DuplicateFinder()
        let all = finder.find(data.records, refusedLinks: data.refusedLinks, minimumScore: 0.3)
        #expect(all.count > 20)
        #expect(all.allSatisfy { $0.score >= 0.3 })
        #expect(all.contains { $0.score < MatchConfiguration.default.threshold })
        let ordered = zip(all, all.dropFirst()).allSatisfy { x, y in
            x.score > y.score || (x.score == y.score && (x.first, x.second) < (y.first, y.second))
        }
        #expect(ordered)
        let high = finder.find(data.records, refusedLinks: data.refusedLinks, minimumScore: 0.9)
        #expect(high == all.filter { $0.score >= 0.9 })
        let top = finder.find(data.records, refusedLinks: data.refusedLinks, minimumScore: 0.3, limit: 7)
        #expect(top == Array(all.prefix(7)))
        #expect(finder.find(data.records, refusedLinks: data.refusedLinks, limit: 0).isEmpty)
        let byDefault = finder.find(data.records, refusedLinks: data.refusedLinks)
        #expect(byDefault == all.filter { $0.score >= MatchConfiguration.default.threshold })
    }

    @Test func theResultIsDeterministic() {
        let data = LabelledDataSet.generate(people: 1_500, seed: 11)
        let first = DuplicateFinder().find(data.records, refusedLinks: data.refusedLinks, minimumScore: 0.4)
        #expect(!first.isEmpty)
        #expect(DuplicateFinder().find(data.records, refusedLinks: data.refusedLinks, minimumScore: 0.4) == first)
        #expect(DuplicateFinder(workers: 1).find(data.records, refusedLinks: data.refusedLinks, minimumScore: 0.4) == first)
        var generator = SeededGenerator(seed: 5)
        let shuffled = data.records.shuffled(using: &generator)
        #expect(DuplicateFinder(workers: 3).find(shuffled, refusedLinks: data.refusedLinks.reversed(), minimumScore: 0.4) == first)
    }

    @Test func aRepeatedIDIsNeverPairedWithItself() {
        let record = F.record(1, given: "Anna", family: "Virtanen", birthdate: "1980-05-17", F.email("anna@example.com"))
        let pairs = DuplicateFinder().find([record, record, F.record(2, given: "Anna", family: "Virtanen", birthdate: "1980-05-17")])
        #expect(pairs.allSatisfy { $0.first != $0.second })
        #expect(pairs.count == 1)
    }

    @Test func progressReportsBothPhases() {
        let data = LabelledDataSet.generate(people: 300, seed: 3)
        let seen = Mutex<[DetectionProgress]>([])
        _ = DuplicateFinder().find(data.records, refusedLinks: data.refusedLinks) { progress in seen.withLock { $0.append(progress) } }
        let reports = seen.withLock { $0 }
        #expect(reports.contains { $0.phase == .blocking && $0.done == $0.total && $0.total == data.records.count })
        #expect(reports.contains { $0.phase == .scoring && $0.done == $0.total && $0.total > 0 })
    }

    @Test func jsonUsesSnakeCaseCodes() throws {
        let pair = DuplicateFinder().score(F.record(1, given: "Anna"), F.record(2, given: "Anna"), refusedLinks: [F.refused(1, 2)])
        let json = try #require(String(data: JSONEncoder().encode(pair), encoding: .utf8))
        #expect(json.contains("\"code\":\"refused_link\""))
        #expect(json.contains("\"code\":\"given_name_equal\""))
        for key in ["\"first\"", "\"second\"", "\"score\"", "\"reasons\"", "\"weight\"", "\"detail\""] { #expect(json.contains(key)) }
        #expect(try JSONDecoder().decode(ScoredPair.self, from: Data(json.utf8)) == pair)
        #expect(MatchReason.Code.allCases.allSatisfy { $0.rawValue == $0.rawValue.lowercased() && !$0.rawValue.contains(" ") })
    }

    @Test func emptyInput() {
        #expect(DuplicateFinder().find([]).isEmpty)
        #expect(DuplicateFinder().find([F.record(1)], refusedLinks: [F.refused(1, 2)]).isEmpty)
    }
}
