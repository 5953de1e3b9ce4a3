import Identifiers
import IdentityGraph

/// Compares two records of a ``FeatureTable`` and scores the evidence.
///
/// Scoring first produces a ``PairOutcome`` (small enums, no allocation) for every candidate pair;
/// only pairs that reach the minimum score are turned into ``MatchReason``s.
struct PairScorer: Sendable {
    let configuration: MatchConfiguration
    private let w: ResolvedWeights
    private let similarThreshold: Double
    private let differentThreshold: Double
    private let additionalIdentifierFactor: Double

    init(configuration: MatchConfiguration) {
        self.configuration = configuration
        self.w = ResolvedWeights(configuration.weights)
        self.similarThreshold = configuration.similarNameThreshold
        self.differentThreshold = configuration.differentNameThreshold
        self.additionalIdentifierFactor = configuration.additionalIdentifierFactor
    }

    // MARK: - Outcome

    /// The evidence on two records, before weighting.
    struct PairOutcome: Sendable {
        var email = IdentifierEvidence()
        var phone = IdentifierEvidence()
        var other = IdentifierEvidence()
        var given = NameOutcome.missing
        var family = NameOutcome.missing
        var swapped = false
        var birthdate = BirthdateOutcome.missing
        var postalCode = PostalCodeOutcome.missing
    }

    /// What one identifier group (e-mail, phone, the rest) says.
    struct IdentifierEvidence: Sendable {
        var refusedKind: IdentifierKind?
        var refusedOccurrences = 0
        var equal = false
        var loose = false

        var isEmpty: Bool { refusedKind == nil && !equal && !loose }
    }

    enum NameOutcome: UInt8, Sendable {
        case missing, equal, partial, nickname, similar, neutral, different

        var agrees: Bool { self == .equal || self == .partial || self == .nickname || self == .similar }
    }

    enum BirthdateOutcome: UInt8, Sendable { case missing, equal, dayMonthSwapped, oneTypo, different }
    enum PostalCodeOutcome: UInt8, Sendable { case missing, equal, different }

    /// The evidence on records `a` and `b`, with the refused links recorded between them.
    /// - Parameter useOversharing: Whether identifiers marked overshared are ignored.
    func outcome(_ a: Int, _ b: Int, in view: FeatureView, cache: inout NameComparisonCache, refused: [DuplicateCandidate] = [], useOversharing: Bool = true) -> PairOutcome {
        var outcome = PairOutcome()
        for candidate in refused {
            switch candidate.kind {
            case .email: Self.addRefused(candidate, to: &outcome.email)
            case .phone: Self.addRefused(candidate, to: &outcome.phone)
            case .social, .loyaltyCard, .receipt: Self.addRefused(candidate, to: &outcome.other)
            }
        }
        compareIdentifiers(a, b, in: view, into: &outcome, useOversharing: useOversharing)
        compareNames(a, b, in: view, cache: &cache, into: &outcome)
        outcome.birthdate = Self.compareBirthdates(view.records[a].birthdate, view.records[b].birthdate)
        let pa = view.records[a].postalCode, pb = view.records[b].postalCode
        outcome.postalCode = pa == 0 || pb == 0 ? .missing : (pa == pb ? .equal : .different)
        return outcome
    }

    private static func addRefused(_ candidate: DuplicateCandidate, to evidence: inout IdentifierEvidence) {
        if evidence.refusedKind == nil { evidence.refusedKind = candidate.kind }
        evidence.refusedOccurrences += max(1, candidate.occurrences)
    }

    private func compareIdentifiers(_ a: Int, _ b: Int, in view: FeatureView, into outcome: inout PairOutcome, useOversharing: Bool) {
        let ra = view.records[a], rb = view.records[b]
        guard ra.identifierCount > 0, rb.identifierCount > 0 else { return }
        let bStart = Int(rb.identifierStart), bEnd = bStart + Int(rb.identifierCount)
        for x in Int(ra.identifierStart)..<(Int(ra.identifierStart) + Int(ra.identifierCount)) {
            let ix = view.identifiers[x]
            for y in bStart..<bEnd {
                let iy = view.identifiers[y]
                guard iy.kind == ix.kind else { continue }
                let equal = iy.exact == ix.exact
                let looseEqual = !equal && ix.loose != 0 && iy.loose == ix.loose
                guard equal || looseEqual else { continue }
                if useOversharing && (ix.overshared || iy.overshared) { continue }
                switch ix.kind {
                case IdentifierKindCode.email:
                    if equal { outcome.email.equal = true } else { outcome.email.loose = true }
                case IdentifierKindCode.phone:
                    if equal { outcome.phone.equal = true } else { outcome.phone.loose = true }
                default:
                    outcome.other.equal = true
                }
            }
        }
    }

    private func compareNames(_ a: Int, _ b: Int, in view: FeatureView, cache: inout NameComparisonCache, into outcome: inout PairOutcome) {
        let names = view.names
        let ra = view.records[a], rb = view.records[b]
        let givenA = NameTokens(full: ra.givenFull, start: ra.givenTokenStart, count: ra.givenTokenCount, pool: view.tokens)
        let givenB = NameTokens(full: rb.givenFull, start: rb.givenTokenStart, count: rb.givenTokenCount, pool: view.tokens)
        let familyA = NameTokens(full: ra.familyFull, start: ra.familyTokenStart, count: ra.familyTokenCount, pool: view.tokens)
        let familyB = NameTokens(full: rb.familyFull, start: rb.familyTokenStart, count: rb.familyTokenCount, pool: view.tokens)
        outcome.given = compare(givenA, givenB, names: names, nicknames: true, cache: &cache)
        outcome.family = compare(familyA, familyB, names: names, nicknames: false, cache: &cache)
        guard !(outcome.given.agrees && outcome.family.agrees) else { return }
        // Given and family name swapped: A's given name is B's family name and the other way round.
        // Both cross comparisons allow nicknames, so that the result does not depend on which
        // record is A.
        guard compare(givenA, familyB, names: names, nicknames: true, cache: &cache).agrees,
              compare(familyA, givenB, names: names, nicknames: true, cache: &cache).agrees
        else { return }
        if w.namesSwapped > weight(given: outcome.given) + weight(family: outcome.family) {
            outcome.swapped = true
        }
    }

    /// Compares two names, through the cache when both are single tokens.
    @inline(__always)
    func compare(_ a: NameTokens, _ b: NameTokens, names: NameView, nicknames: Bool, cache: inout NameComparisonCache) -> NameOutcome {
        guard a.full >= 0, b.full >= 0 else { return .missing }
        if a.full == b.full { return .equal }
        guard a.count == 1 && b.count == 1 else { return compare(a, b, names: names, nicknames: nicknames) }
        if let known = cache.lookup(a.full, b.full, nicknames: nicknames) { return known }
        let outcome = compare(a, b, names: names, nicknames: nicknames)
        cache.store(a.full, b.full, nicknames: nicknames, outcome)
        return outcome
    }

    /// Compares two names.
    func compare(_ a: NameTokens, _ b: NameTokens, names: NameView, nicknames: Bool) -> NameOutcome {
        guard a.full >= 0, b.full >= 0 else { return .missing }
        if a.full == b.full { return .equal }
        var tokenEqual = false
        var nickname = false
        var allKnown = nicknames
        for i in 0..<a.count {
            let ta = a[i]
            if allKnown && !names.isKnownName(ta) { allKnown = false }
            for j in 0..<b.count {
                let tb = b[j]
                if ta == tb {
                    if names.length(ta) > 1 { tokenEqual = true }
                } else if nicknames && names.shareNicknameGroup(ta, tb) {
                    nickname = true
                }
            }
        }
        if tokenEqual { return .partial }
        if nickname { return .nickname }
        // Two known given names that are not variants of each other (Anna and Hanna, Sanna and
        // Hanna) are different names, however similar their spelling: a typo rarely makes another
        // real name.
        if allKnown {
            var bKnown = true
            for j in 0..<b.count where !names.isKnownName(b[j]) { bKnown = false }
            if bKnown { return .different }
        }
        var best = names.similarity(a.full, b.full)
        if (a.count > 1 || b.count > 1) && best < similarThreshold {
            for i in 0..<a.count where names.length(a[i]) >= 3 {
                for j in 0..<b.count where names.length(b[j]) >= 3 {
                    best = max(best, names.similarity(a[i], b[j]))
                }
            }
        }
        if best >= similarThreshold { return .similar }
        // Jaro–Winkler punishes a letter dropped before a repeated one (Palosalo, Paosalo) hard;
        // one edit in a name of five or more letters is a typo too.
        if min(names.length(a.full), names.length(b.full)) >= Self.minimumOneEditLength && names.isOneEdit(a.full, b.full) {
            return .similar
        }
        // An initial ("A.") that fits the other name is no evidence either way.
        if (names.length(a[0]) == 1 || names.length(b[0]) == 1) && names.firstByte(a[0]) == names.firstByte(b[0]) {
            return .neutral
        }
        return best < differentThreshold ? .different : .neutral
    }

    /// Names at least this long count as similar when one edit apart.
    static let minimumOneEditLength = 5

    /// Compares two `yyyymmdd` dates.
    static func compareBirthdates(_ a: Int32, _ b: Int32) -> BirthdateOutcome {
        guard a != 0, b != 0 else { return .missing }
        if a == b { return .equal }
        let yearA = a / 10000, yearB = b / 10000
        let monthA = a / 100 % 100, monthB = b / 100 % 100
        let dayA = a % 100, dayB = b % 100
        if yearA == yearB && monthA == dayB && dayA == monthB { return .dayMonthSwapped }
        // One digit different, or two adjacent digits swapped, among the eight.
        var x = a, y = b
        var differences = 0
        var firstPosition = 0, secondPosition = 0
        var firstDigits: (Int32, Int32) = (0, 0), secondDigits: (Int32, Int32) = (0, 0)
        for position in 0..<8 {
            let dx = x % 10, dy = y % 10
            if dx != dy {
                differences += 1
                if differences == 1 {
                    firstPosition = position
                    firstDigits = (dx, dy)
                } else if differences == 2 {
                    secondPosition = position
                    secondDigits = (dx, dy)
                } else {
                    return .different
                }
            }
            x /= 10
            y /= 10
        }
        if differences == 1 { return .oneTypo }
        if secondPosition == firstPosition + 1 && firstDigits.0 == secondDigits.1 && firstDigits.1 == secondDigits.0 {
            return .oneTypo
        }
        return .different
    }

    // MARK: - Weighting

    private func weight(given: NameOutcome) -> Double {
        switch given {
        case .missing, .neutral: 0
        case .equal: w.givenNameEqual
        case .partial: w.givenNamePartial
        case .nickname: w.givenNameNickname
        case .similar: w.givenNameSimilar
        case .different: w.givenNameDifferent
        }
    }

    private func weight(family: NameOutcome) -> Double {
        switch family {
        case .missing, .neutral: 0
        case .equal, .nickname: w.familyNameEqual
        case .partial: w.familyNamePartial
        case .similar: w.familyNameSimilar
        case .different: w.familyNameDifferent
        }
    }

    /// The strongest evidence of one identifier group and its code.
    private func strongest(_ evidence: IdentifierEvidence, equal: MatchReason.Code, loose: MatchReason.Code?) -> (MatchReason.Code, Double)? {
        var best: (MatchReason.Code, Double)?
        func consider(_ code: MatchReason.Code, _ weight: Double) {
            if best == nil || weight > best!.1 { best = (code, weight) }
        }
        if evidence.refusedKind != nil { consider(.refusedLink, w.refusedLink) }
        if evidence.equal { consider(equal, w.identifier(equal)) }
        if evidence.loose, let loose { consider(loose, w.identifier(loose)) }
        return best
    }

    /// The identifier groups' evidence in order of weight: the first counts fully, the others
    /// with ``MatchConfiguration/additionalIdentifierFactor``.
    private func identifierEvidence(_ outcome: PairOutcome) -> [(group: Int, code: MatchReason.Code, weight: Double)] {
        var picks: [(group: Int, code: MatchReason.Code, weight: Double)] = []
        if let (code, weight) = strongest(outcome.email, equal: .emailEqual, loose: .emailLooseEqual) { picks.append((0, code, weight)) }
        if let (code, weight) = strongest(outcome.phone, equal: .phoneEqual, loose: .phoneLooseEqual) { picks.append((1, code, weight)) }
        if let (code, weight) = strongest(outcome.other, equal: .identifierEqual, loose: nil) { picks.append((2, code, weight)) }
        picks.sort { $0.weight > $1.weight || ($0.weight == $1.weight && $0.group < $1.group) }
        let factor = additionalFactor(outcome)
        for index in picks.indices.dropFirst() { picks[index].weight *= factor }
        return picks
    }

    /// The factor for identifier evidence beyond the strongest: none when the profiles
    /// contradict each other (given name or birth date clearly different), as in a household
    /// that shares a phone and a mailbox.
    private func additionalFactor(_ outcome: PairOutcome) -> Double {
        Self.profilesContradict(outcome) ? 0 : additionalIdentifierFactor
    }

    static func profilesContradict(_ outcome: PairOutcome) -> Bool {
        (outcome.given == .different && !outcome.swapped) || outcome.birthdate == .different
    }

    /// The sum of ``identifierEvidence(_:)``'s weights, without allocating.
    private func identifierTotal(_ outcome: PairOutcome) -> Double {
        let email = strongest(outcome.email, equal: .emailEqual, loose: .emailLooseEqual)?.1
        let phone = strongest(outcome.phone, equal: .phoneEqual, loose: .phoneLooseEqual)?.1
        let other = strongest(outcome.other, equal: .identifierEqual, loose: nil)?.1
        var largest = -Double.infinity
        var sum = 0.0
        if let email { sum += email; largest = max(largest, email) }
        if let phone { sum += phone; largest = max(largest, phone) }
        if let other { sum += other; largest = max(largest, other) }
        guard largest > -Double.infinity else { return 0 }
        return largest + (sum - largest) * additionalFactor(outcome)
    }

    private static func hasIdentifierEvidence(_ outcome: PairOutcome) -> Bool {
        !outcome.email.isEmpty || !outcome.phone.isEmpty || !outcome.other.isEmpty
    }

    /// The score of an outcome: the weights summed, clamped to 0…1, rounded to four decimals.
    func score(_ outcome: PairOutcome) -> Double {
        var total = 0.0
        if Self.hasIdentifierEvidence(outcome) { total += identifierTotal(outcome) }
        if outcome.swapped {
            total += w.namesSwapped
        } else {
            total += weight(given: outcome.given) + weight(family: outcome.family)
        }
        switch outcome.birthdate {
        case .missing: break
        case .equal: total += w.birthdateEqual
        case .dayMonthSwapped: total += w.birthdateDayMonthSwapped
        case .oneTypo: total += w.birthdateOneTypo
        case .different: total += w.birthdateDifferent
        }
        switch outcome.postalCode {
        case .missing: break
        case .equal: total += w.postalCodeEqual
        case .different: total += w.postalCodeDifferent
        }
        return Self.rounded(total)
    }

    static func rounded(_ total: Double) -> Double {
        (min(1, max(0, total)) * 10_000).rounded() / 10_000
    }

    // MARK: - Reasons

    /// The reasons behind an outcome, identifiers first. Details never contain values.
    func reasons(_ outcome: PairOutcome) -> [MatchReason] {
        var reasons: [MatchReason] = []
        for (index, pick) in identifierEvidence(outcome).enumerated() {
            let evidence = [outcome.email, outcome.phone, outcome.other][pick.group]
            var detail = Self.identifierDetail(pick.code, evidence: evidence)
            if index > 0 {
                if Self.profilesContradict(outcome) {
                    detail += "; not counted because another identifier already agrees and the given names or birth dates differ, as in a household sharing contact details"
                } else {
                    let percent = Int((configuration.additionalIdentifierFactor * 100).rounded())
                    detail += "; counted at \(percent)% of its weight because another identifier already agrees"
                }
            }
            reasons.append(MatchReason(code: pick.code, weight: Self.roundedWeight(pick.weight), detail: detail))
        }
        if outcome.swapped {
            reasons.append(reason(.namesSwapped, "the given name of each is the family name of the other (ignoring case, diacritics and typos)"))
        } else {
            switch outcome.given {
            case .missing, .neutral: break
            case .equal: reasons.append(reason(.givenNameEqual, "given names equal, ignoring case and diacritics"))
            case .partial: reasons.append(reason(.givenNamePartial, "one of the given names in common"))
            case .nickname: reasons.append(reason(.givenNameNickname, "given names are variants of one name (nickname table)"))
            case .similar: reasons.append(reason(.givenNameSimilar, "given names differ by what looks like a typo (Jaro–Winkler similarity at least \(configuration.similarNameThreshold), or one edit apart)"))
            case .different: reasons.append(reason(.givenNameDifferent, "given names differ: not variants of one name and not a likely typo"))
            }
            switch outcome.family {
            case .missing, .neutral: break
            case .equal, .nickname: reasons.append(reason(.familyNameEqual, "family names equal, ignoring case and diacritics"))
            case .partial: reasons.append(reason(.familyNamePartial, "one part of a multi-part family name in common"))
            case .similar: reasons.append(reason(.familyNameSimilar, "family names differ by what looks like a typo (Jaro–Winkler similarity at least \(configuration.similarNameThreshold), or one edit apart)"))
            case .different: reasons.append(reason(.familyNameDifferent, "family names differ"))
            }
        }
        switch outcome.birthdate {
        case .missing: break
        case .equal: reasons.append(reason(.birthdateEqual, "birth dates equal"))
        case .dayMonthSwapped: reasons.append(reason(.birthdateDayMonthSwapped, "birth dates equal but for day and month swapped"))
        case .oneTypo: reasons.append(reason(.birthdateOneTypo, "birth dates differ in one digit or by two adjacent digits swapped"))
        case .different: reasons.append(reason(.birthdateDifferent, "birth dates differ"))
        }
        switch outcome.postalCode {
        case .missing: break
        case .equal: reasons.append(reason(.postalCodeEqual, "postal codes equal"))
        case .different: reasons.append(reason(.postalCodeDifferent, "postal codes differ"))
        }
        return reasons
    }

    private func reason(_ code: MatchReason.Code, _ detail: String) -> MatchReason {
        MatchReason(code: code, weight: Self.roundedWeight(w[code]), detail: detail)
    }

    private static func roundedWeight(_ weight: Double) -> Double { (weight * 10_000).rounded() / 10_000 }

    private static func identifierDetail(_ code: MatchReason.Code, evidence: IdentifierEvidence) -> String {
        switch code {
        case .refusedLink:
            let kind = evidence.refusedKind ?? .email
            let times = evidence.refusedOccurrences == 1 ? "once" : "\(evidence.refusedOccurrences) times"
            return "a link of \(Self.noun(kind)) was refused because it already belonged to the other customer (refused \(times))"
        case .emailEqual: return "both have the same e-mail address"
        case .emailLooseEqual: return "e-mail addresses equal after removing sub-addressing and provider dots and aliases"
        case .phoneEqual: return "both have the same phone number"
        case .phoneLooseEqual: return "phone numbers have the same national number under a different country code or with a trunk zero kept"
        case .identifierEqual: return "both have the same social account, loyalty card or receipt"
        default: return code.rawValue
        }
    }

    private static func noun(_ kind: IdentifierKind) -> String {
        switch kind {
        case .email: "an e-mail address"
        case .phone: "a phone number"
        case .social: "a social account"
        case .loyaltyCard: "a loyalty card"
        case .receipt: "a receipt"
        }
    }
}
