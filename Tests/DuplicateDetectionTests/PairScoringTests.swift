import DuplicateDetection
import Identifiers
import IdentityGraph
import Testing

@Suite struct PairScoringTests {
    let finder = DuplicateFinder()
    typealias F = Fixtures

    func score(_ a: CustomerRecord, _ b: CustomerRecord, refused: [DuplicateCandidate] = []) -> ScoredPair {
        let pair = finder.score(a, b, refusedLinks: refused)
        #expect(finder.score(b, a, refusedLinks: refused) == pair, "scoring does not depend on the order")
        return pair
    }

    func weight(_ code: MatchReason.Code) -> Double { MatchWeights.default[code] }

    @Test(arguments: [
        ("William", "Bill"), ("Robert", "Bob"), ("Elizabeth", "Liz"), ("Elisabet", "Liisa"), ("Katherine", "Kate"),
        ("Katariina", "Kaisa"), ("Johannes", "Jussi"), ("Johannes", "Hannes"), ("Matias", "Matti"), ("Johanna", "Hanna"),
        ("Kristian", "Kride"), ("Christian", "Kristoffer"), ("Mikael", "Mikko"), ("Peter", "Pekka"), ("Wilhelm", "Ville"),
    ])
    func nicknamesAreOneName(formal: String, short: String) {
        let pair = score(F.record(1, given: formal, family: "Virtanen"), F.record(2, given: short, family: "Virtanen"))
        #expect(pair.codes == [.givenNameNickname, .familyNameEqual])
        #expect(abs(pair.score - (weight(.givenNameNickname) + weight(.familyNameEqual))) < 1e-9)
    }

    @Test(arguments: [("Anna", "Hanna"), ("Sanna", "Hanna"), ("Mikko", "Matti"), ("William", "Robert"), ("Liisa", "Pekka")])
    func differentKnownNamesDisagree(a: String, b: String) {
        let pair = score(F.record(1, given: a, family: "Virtanen"), F.record(2, given: b, family: "Virtanen"))
        #expect(pair.codes == [.givenNameDifferent, .familyNameEqual])
    }

    @Test func similarNamesOutsideTheTableAreNoEvidence() {
        // Jari and Kari are not in the nickname table; Jaro–Winkler 0.83 is between the thresholds.
        #expect(score(F.record(1, given: "Jari", family: "Virtanen"), F.record(2, given: "Kari", family: "Virtanen")).codes == [.familyNameEqual])
    }

    @Test func typosAreSimilar() {
        #expect(score(F.record(1, given: "Kerttu", family: "Virtanen"), F.record(2, given: "Kertu", family: "Virtanen")).codes == [.givenNameSimilar, .familyNameEqual])
        #expect(score(F.record(1, given: "Sanna", family: "Palosalo"), F.record(2, given: "Sanna", family: "Paosalo")).codes == [.givenNameEqual, .familyNameSimilar])
        #expect(score(F.record(1, given: "Sanna", family: "Virtanen"), F.record(2, given: "Sanna", family: "Korhonen")).codes == [.givenNameEqual, .familyNameDifferent])
    }

    @Test func diacriticsAndCaseAreFolded() {
        let pair = score(F.record(1, given: "Väinö", family: "Mäkinen"), F.record(2, given: "VAINO", family: "makinen"))
        #expect(pair.codes == [.givenNameEqual, .familyNameEqual])
    }

    @Test func multiPartNamesShareAPart() {
        let given = score(F.record(1, given: "Anna-Liisa", family: "Virtanen"), F.record(2, given: "Liisa", family: "Virtanen"))
        #expect(given.codes == [.givenNamePartial, .familyNameEqual])
        let family = score(F.record(1, given: "Anna", family: "Virtanen-Korhonen"), F.record(2, given: "Anna", family: "Korhonen"))
        #expect(family.codes == [.givenNameEqual, .familyNamePartial])
    }

    @Test func swappedNames() {
        let pair = score(
            F.record(1, given: "Mikko", family: "Virtanen", birthdate: "1980-05-17"),
            F.record(2, given: "Virtanen", family: "Mikko", birthdate: "1980-05-17")
        )
        #expect(pair.codes == [.namesSwapped, .birthdateEqual])
        #expect(abs(pair.score - (weight(.namesSwapped) + weight(.birthdateEqual))) < 1e-9)
        // A nickname on the swapped side still counts.
        let nickname = score(F.record(1, given: "William", family: "Smith"), F.record(2, given: "Smith", family: "Bill"))
        #expect(nickname.codes == [.namesSwapped])
    }

    @Test func birthdates() {
        func codes(_ a: String, _ b: String) -> [MatchReason.Code] {
            score(F.record(1, birthdate: a), F.record(2, birthdate: b)).codes
        }
        #expect(codes("1980-05-17", "1980-05-17") == [.birthdateEqual])
        #expect(codes("1980-05-07", "1980-07-05") == [.birthdateDayMonthSwapped])
        #expect(codes("1980-05-17", "1980-05-18") == [.birthdateOneTypo])
        #expect(codes("1980-05-17", "1908-05-17") == [.birthdateOneTypo])
        #expect(codes("1980-05-17", "1981-06-17") == [.birthdateDifferent])
        #expect(codes("1980-05-17", "not a date") == [])
    }

    @Test func postalCodes() {
        #expect(score(F.record(1, postalCode: "00100"), F.record(2, postalCode: "00 100")).codes == [.postalCodeEqual])
        #expect(score(F.record(1, postalCode: "sw1a 1aa"), F.record(2, postalCode: "SW1A-1AA")).codes == [.postalCodeEqual])
        #expect(score(F.record(1, postalCode: "00100"), F.record(2, postalCode: "00200")).codes == [.postalCodeDifferent])
    }

    @Test func looseIdentifiers() {
        let email = score(F.record(1, F.email("anna.virtanen@gmail.com")), F.record(2, F.email("annavirtanen+shop@googlemail.com")))
        #expect(email.codes == [.emailLooseEqual])
        #expect(abs(email.score - (weight(.emailLooseEqual))) < 1e-9)
        let phone = score(F.record(1, F.phone("+358401234567")), F.record(2, F.phone("+46401234567")))
        #expect(phone.codes == [.phoneLooseEqual])
        let trunk = score(F.record(1, F.phone("+358401234567")), F.record(2, F.phone("+3580401234567")))
        #expect(trunk.codes == [.phoneLooseEqual])
        let dots = score(F.record(1, F.email("anna.virtanen@example.com")), F.record(2, F.email("annavirtanen@example.com")))
        #expect(dots.codes == [])
    }

    @Test func fullProfileReachesTheThreshold() {
        let pair = score(
            F.record(1, given: "Anna", family: "Virtanen", birthdate: "1980-05-17", postalCode: "00100", F.email("anna@example.com")),
            F.record(2, given: "Anna", family: "Virtanen", birthdate: "1980-05-17", postalCode: "00100", F.email("a.virtanen@example.fi"))
        )
        #expect(pair.codes == [.givenNameEqual, .familyNameEqual, .birthdateEqual, .postalCodeEqual])
        #expect(pair.score >= MatchConfiguration.default.threshold)
    }

    @Test func householdSharingContactDetailsStaysBelowTheThreshold() {
        let parent = F.record(1, given: "Anna", family: "Virtanen", birthdate: "1972-03-01", postalCode: "00100", F.phone("+358401234567"), F.email("perhe.virtanen@gmail.com"))
        let child = F.record(2, given: "Mikko", family: "Virtanen", birthdate: "2004-11-20", postalCode: "00100", F.phone("+358401234567"), F.email("perhe.virtanen+mikko@gmail.com"))
        let pair = score(parent, child)
        #expect(pair.codes == [.emailLooseEqual, .phoneEqual, .givenNameDifferent, .familyNameEqual, .birthdateDifferent, .postalCodeEqual])
        // The second identifier is not counted when the profiles contradict each other.
        #expect(pair.reasons[1].weight == 0)
        #expect(pair.score < MatchConfiguration.default.threshold)
    }

    @Test func additionalIdentifiersCountAtHalfWeight() {
        let a = F.record(1, F.phone("+358401234567"), F.email("anna@gmail.com"))
        let b = F.record(2, F.phone("+46401234567"), F.email("a.nna@gmail.com"))
        let pair = score(a, b)
        #expect(pair.codes == [.emailLooseEqual, .phoneLooseEqual])
        #expect(pair.reasons[1].weight == weight(.phoneLooseEqual) / 2)
        #expect(abs(pair.score - (weight(.emailLooseEqual) + weight(.phoneLooseEqual) / 2)) < 1e-9)
    }

    @Test func refusedLinkIsIdentifierEvidence() {
        let pair = score(F.record(1), F.record(2), refused: [F.refused(1, 2, kind: .phone, occurrences: 3), F.refused(3, 4)])
        #expect(pair.codes == [.refusedLink])
        #expect(abs(pair.score - (weight(.refusedLink))) < 1e-9)
        #expect(pair.reasons[0].detail.contains("a phone number"))
        #expect(pair.reasons[0].detail.contains("3 times"))
    }

    @Test func scoreIsClampedAndRounded() {
        let a = F.record(1, given: "Anna", family: "Virtanen", birthdate: "1980-05-17", postalCode: "00100", F.email("anna@gmail.com"))
        let b = F.record(2, given: "Anna", family: "Virtanen", birthdate: "1980-05-17", postalCode: "00100", F.email("a.nna@gmail.com"))
        #expect(score(a, b).score == 1)
        let c = F.record(3, given: "Mikko", family: "Korhonen", birthdate: "1950-01-02", postalCode: "99999")
        #expect(score(a, c).score == 0)
    }

    @Test func customWeightsApply() {
        var configuration = MatchConfiguration.default
        configuration.weights[.postalCodeEqual] = 0.25
        let pair = DuplicateFinder(configuration: configuration).score(F.record(1, postalCode: "00100"), F.record(2, postalCode: "00100"))
        #expect(abs(pair.score - (0.25)) < 1e-9)
        #expect(pair.reasons == [MatchReason(code: .postalCodeEqual, weight: 0.25, detail: "postal codes equal")])
    }
}
