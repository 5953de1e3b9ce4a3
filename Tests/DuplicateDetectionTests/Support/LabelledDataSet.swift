import SeededRandom
import DuplicateDetection
import Foundation
import Identifiers
import IdentityGraph

/// A seeded, labelled population of customers for measuring precision and recall.
///
/// People come as singles and as the hard cases that must not be reported: households sharing a
/// phone (recorded as a refused link, or the same number on both records), family name and postal
/// code; couples sharing a family mailbox; people with the same common name in the same postal
/// code; twins. Then some people are registered again as true duplicates, each made one way:
/// a refused link, an e-mail variant (`+tag`, Gmail dots, googlemail.com), a phone variant
/// (trunk zero kept, or parsed under Sweden's calling code), or entirely new identifiers with the
/// profile carrying the match. Profiles of duplicates get typos (one edit, sparing the first
/// letter), nicknames, swapped names, dropped diacritics, case changes, missing fields, moves and
/// birth-date typos.
struct LabelledDataSet {
    /// An unordered pair of customers.
    struct Pair: Hashable, Sendable {
        let first: CustomerID
        let second: CustomerID
        init(_ a: CustomerID, _ b: CustomerID) {
            first = min(a, b)
            second = max(a, b)
        }
    }

    var records: [CustomerRecord] = []
    var refusedLinks: [DuplicateCandidate] = []
    /// Every pair of records of one person, with how the duplicate was made.
    var truePairs: [Pair: String] = [:]
    /// Pairs made hard on purpose, with what makes them hard.
    var hardNegatives: [Pair: String] = [:]

    /// Generates a population of about `people` people (plus their duplicates).
    static func generate(people: Int, seed: UInt64) -> LabelledDataSet {
        var builder = Builder(seed: seed)
        builder.generate(people: people)
        return builder.data
    }
}

private struct Person {
    var given: String?
    var family: String?
    var birthdate: String?
    var postalCode: String?
    var email: String
    var phone: String
    var card: String?
    var id: CustomerID
    var extraIdentifiers: [Identifier] = []
}

private struct Builder {
    var rng: SeededGenerator
    var data = LabelledDataSet()
    var people: [Person] = []
    var usedMailboxes: Set<String> = []
    var usedPhones: Set<String> = []
    var usedCards: Set<String> = []
    /// The duplicates made of each person so far.
    var duplicates: [CustomerID: [CustomerID]] = [:]
    let womenWeights: [Double]
    let menWeights: [Double]
    let familyWeights: [Double]
    let postalCodes: [String]
    let postalWeights: [Double]
    let nicknameGroups: [String: [[String]]]
    let seen = Date(timeIntervalSince1970: 1_750_000_000)

    init(seed: UInt64) {
        rng = SeededGenerator(seed: seed)
        func zipf(_ count: Int, _ exponent: Double) -> [Double] {
            var total = 0.0
            return (0..<count).map { index in
                total += 1 / pow(Double(index + 1), exponent)
                return total
            }
        }
        womenWeights = zipf(NamePools.women.count, 0.9)
        menWeights = zipf(NamePools.men.count, 0.9)
        // Common family names first, then about 900 rarer ones.
        let tail = NamePools.stems.flatMap { stem in NamePools.endings.map { stem + $0 } }
        familyNames = NamePools.families + tail
        var cumulative: [Double] = []
        var total = 0.0
        for index in familyNames.indices {
            total += index < NamePools.families.count ? 1.6 / pow(Double(index + 1), 0.6) : 0.05
            cumulative.append(total)
        }
        familyWeights = cumulative
        // Postal codes: Helsinki, Espoo, Tampere, Turku, Oulu and some smaller places.
        var codes: [String] = []
        for district in 1...9 {
            for street in stride(from: 0, through: 90, by: 10) { codes.append("00\(district)\(street == 0 ? "00" : String(street))") }
        }
        codes += ["02100", "02600", "02700", "33100", "33200", "33500", "20100", "20500", "90100", "90500", "40100", "15100", "70100", "80100", "96100", "65100", "53100", "28100", "13100", "11100"]
        postalCodes = codes
        postalWeights = zipf(codes.count, 0.5)
        var groups: [String: [[String]]] = [:]
        for group in Nicknames.builtIn {
            for name in group { groups[name, default: []].append(group) }
        }
        nicknameGroups = groups
    }

    let familyNames: [String]

    // MARK: Population

    mutating func generate(people target: Int) {
        let households = target / 20
        let twins = target / 65
        let sameName = target / 50
        let couples = target / 50
        for _ in 0..<households { addHousehold() }
        for _ in 0..<twins { addTwins() }
        for _ in 0..<sameName { addSameNamePair() }
        for _ in 0..<couples { addCoupleSharingMailbox() }
        while people.count < target { people.append(newPerson()) }

        for person in people { data.records.append(record(person)) }
        let originals = people
        for person in originals where rng.chance(0.2) {
            addDuplicate(of: person)
            if rng.chance(0.1) { addDuplicate(of: person) }
        }
        // Shuffle so that duplicates are not next to their originals.
        data.records.shuffle(using: &rng)
    }

    func record(_ person: Person) -> CustomerRecord {
        var identifiers = [
            Identifier(trustedKind: .email, namespace: nil, value: person.email),
            Identifier(trustedKind: .phone, namespace: nil, value: person.phone),
        ]
        if let card = person.card { identifiers.append(Identifier(trustedKind: .loyaltyCard, namespace: "plussa", value: card)) }
        identifiers += person.extraIdentifiers
        let profile = Profile(givenName: person.given, familyName: person.family, birthdate: person.birthdate, postalCode: person.postalCode, country: "FI")
        return CustomerRecord(id: person.id, profile: profile, identifiers: identifiers)
    }

    mutating func newPerson(woman: Bool? = nil, family: String? = nil, postalCode: String? = nil, birthYear: ClosedRange<Int> = 1940...2006) -> Person {
        let isWoman = woman ?? rng.chance(0.5)
        var given = isWoman ? NamePools.women[rng.weighted(womenWeights)] : NamePools.men[rng.weighted(menWeights)]
        if rng.chance(0.08) {
            let second = isWoman ? NamePools.women[rng.weighted(womenWeights)] : NamePools.men[rng.weighted(menWeights)]
            if second != given { given += (rng.chance(0.5) ? " " : "-") + second }
        }
        let familyName = family ?? familyNames[rng.weighted(familyWeights)]
        let birthdate = rng.chance(0.06) ? nil : randomDate(years: birthYear)
        let postal = postalCode ?? (rng.chance(0.06) ? nil : postalCodes[rng.weighted(postalWeights)])
        return Person(
            given: given, family: familyName, birthdate: birthdate, postalCode: postal,
            email: newEmail(given: given, family: familyName), phone: newPhone(),
            card: rng.chance(0.75) ? newCard() : nil, id: CustomerID.random(using: &rng)
        )
    }

    mutating func randomDate(years: ClosedRange<Int>) -> String {
        let year = Int.random(in: years, using: &rng)
        let month = Int.random(in: 1...12, using: &rng)
        let day = Int.random(in: 1...28, using: &rng)
        return String(format: "%04d-%02d-%02d", year, month, day)
    }

    static let domains = ["gmail.com", "hotmail.com", "outlook.com", "yahoo.com", "luukku.com", "elisanet.fi", "icloud.com", "kolumbus.fi", "example.fi", "yritys.fi", "firma.com", "saunalahti.fi"]
    static let domainWeights: [Double] = [35, 45, 55, 60, 65, 70, 75, 78, 86, 92, 96, 100]

    mutating func newEmail(given: String?, family: String?, domain: String? = nil) -> String {
        let g = Self.ascii(given?.split(whereSeparator: { $0 == " " || $0 == "-" }).first.map(String.init) ?? "asiakas")
        let f = Self.ascii(family ?? "asiakas")
        let domain = domain ?? Self.domains[rng.weighted(Self.domainWeights)]
        while true {
            var local: String
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: local = "\(g).\(f)"
            case 1: local = "\(g)\(f)"
            case 2: local = "\(g.prefix(1)).\(f)"
            case 3: local = "\(g)_\(f)"
            default: local = "\(f).\(g)"
            }
            if rng.chance(0.3) || usedMailboxes.contains(Self.mailbox(local + "@" + domain)) { local += rng.digits(Int.random(in: 1...3, using: &rng)) }
            let address = local + "@" + domain
            if usedMailboxes.insert(Self.mailbox(address)).inserted { return address }
        }
    }

    /// The generator's own idea of one mailbox, to keep different people's addresses apart.
    static func mailbox(_ address: String) -> String {
        let parts = address.split(separator: "@")
        var local = String(parts[0].split(separator: "+", omittingEmptySubsequences: false)[0])
        var domain = String(parts[1])
        if domain == "googlemail.com" { domain = "gmail.com" }
        if domain == "gmail.com" { local = local.replacingOccurrences(of: ".", with: "") }
        return local + "@" + domain
    }

    static func ascii(_ text: String) -> String {
        let folded = text.lowercased().folding(options: [.diacriticInsensitive], locale: nil)
        return String(folded.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic) }.map(Character.init))
    }

    mutating func newPhone() -> String {
        while true {
            let national = rng.pick(["40", "50", "44", "45", "41", "46"]) + rng.digits(7)
            if usedPhones.insert(national).inserted { return "+358" + national }
        }
    }

    mutating func newCard() -> String {
        while true {
            let card = "6012" + rng.digits(12)
            if usedCards.insert(card).inserted { return card }
        }
    }

    /// A given name that is clearly another name than `others`: another first letter and no
    /// nickname group in common.
    mutating func differentGiven(from others: [String?], woman: Bool) -> String {
        while true {
            let name = woman ? NamePools.women[rng.weighted(womenWeights)] : NamePools.men[rng.weighted(menWeights)]
            let clash = others.contains { other in
                guard let other else { return false }
                return other.first == name.first || areNicknames(other, name)
            }
            if !clash { return name }
        }
    }

    func areNicknames(_ a: String, _ b: String) -> Bool {
        let first = String(a.split(whereSeparator: { $0 == " " || $0 == "-" }).first ?? "")
        return (nicknameGroups[first] ?? []).contains { $0.contains(b) }
    }

    // MARK: Hard non-duplicates

    mutating func addHousehold() {
        let family = familyNames[rng.weighted(familyWeights)]
        let postal = postalCodes[rng.weighted(postalWeights)]
        let size = rng.pick([2, 2, 2, 3, 3, 4])
        var members: [Person] = []
        var givens: [String?] = []
        for index in 0..<size {
            var person = newPerson(woman: index == 0 ? true : (index == 1 ? false : nil), family: family, postalCode: postal, birthYear: index < 2 ? 1950...1985 : 1986...2006)
            if index == 1 && rng.chance(0.2) { person.family = familyNames[rng.weighted(familyWeights)] }
            person.given = differentGiven(from: givens, woman: index == 0 ? true : (index == 1 ? false : rng.chance(0.5)))
            if person.birthdate == nil { person.birthdate = randomDate(years: index < 2 ? 1950...1985 : 1986...2006) }
            givens.append(person.given)
            members.append(person)
        }
        // The home phone: the first member has it; the others were refused it, or (imported data)
        // carry it too.
        let home = members[0].phone
        for index in 1..<size {
            if rng.chance(0.7) {
                let pair = LabelledDataSet.Pair(members[0].id, members[index].id)
                data.refusedLinks.append(DuplicateCandidate(first: pair.first, second: pair.second, kind: .phone, firstSeen: seen, lastSeen: seen, occurrences: Int.random(in: 1...3, using: &rng)))
            } else {
                members[index].extraIdentifiers.append(Identifier(trustedKind: .phone, namespace: nil, value: home))
            }
        }
        // Some households also share a family mailbox through sub-addressing.
        if rng.chance(0.3) {
            let address = newEmail(given: "perhe", family: family, domain: "gmail.com")
            members[0].extraIdentifiers.append(Identifier(trustedKind: .email, namespace: nil, value: address))
            let parts = address.split(separator: "@")
            members[1].extraIdentifiers.append(Identifier(trustedKind: .email, namespace: nil, value: "\(parts[0])+\(Self.ascii(members[1].given ?? "x"))@gmail.com"))
        }
        for x in 0..<size {
            for y in (x + 1)..<size { data.hardNegatives[LabelledDataSet.Pair(members[x].id, members[y].id)] = "household" }
        }
        people += members
    }

    mutating func addTwins() {
        let woman = rng.chance(0.5)
        var one = newPerson(woman: woman, birthYear: 1960...2006)
        if one.birthdate == nil { one.birthdate = randomDate(years: 1960...2006) }
        if one.postalCode == nil { one.postalCode = postalCodes[rng.weighted(postalWeights)] }
        var two = newPerson(woman: rng.chance(0.5), family: one.family, postalCode: one.postalCode)
        two.birthdate = one.birthdate
        two.given = differentGiven(from: [one.given], woman: rng.chance(0.5))
        data.hardNegatives[LabelledDataSet.Pair(one.id, two.id)] = "twins"
        people += [one, two]
    }

    mutating func addSameNamePair() {
        let woman = rng.chance(0.5)
        let given = woman ? NamePools.women[Int.random(in: 0..<5, using: &rng)] : NamePools.men[Int.random(in: 0..<5, using: &rng)]
        let family = NamePools.families[Int.random(in: 0..<8, using: &rng)]
        let postal = postalCodes[Int.random(in: 0..<10, using: &rng)]
        var one = newPerson(woman: woman, family: family, postalCode: postal)
        var two = newPerson(woman: woman, family: family, postalCode: postal)
        one.given = given
        two.given = given
        one.birthdate = randomDate(years: 1940...2006)
        repeat { two.birthdate = randomDate(years: 1940...2006) } while Self.digitDifferences(one.birthdate!, two.birthdate!) < 2
        data.hardNegatives[LabelledDataSet.Pair(one.id, two.id)] = "same name, same postal code"
        people += [one, two]
    }

    mutating func addCoupleSharingMailbox() {
        let postal = postalCodes[rng.weighted(postalWeights)]
        var one = newPerson(woman: true, postalCode: postal, birthYear: 1950...1990)
        var two = newPerson(woman: false, family: rng.chance(0.5) ? one.family : nil, postalCode: postal, birthYear: 1950...1990)
        two.given = differentGiven(from: [one.given], woman: false)
        if one.birthdate == nil { one.birthdate = randomDate(years: 1950...1990) }
        if two.birthdate == nil { two.birthdate = randomDate(years: 1950...1990) }
        let address = newEmail(given: "koti", family: one.family, domain: "gmail.com")
        one.extraIdentifiers.append(Identifier(trustedKind: .email, namespace: nil, value: address))
        if rng.chance(0.5) {
            let pair = LabelledDataSet.Pair(one.id, two.id)
            data.refusedLinks.append(DuplicateCandidate(first: pair.first, second: pair.second, kind: .email, firstSeen: seen, lastSeen: seen, occurrences: 1))
        } else {
            let parts = address.split(separator: "@")
            two.extraIdentifiers.append(Identifier(trustedKind: .email, namespace: nil, value: "\(parts[0])+\(Self.ascii(two.given ?? "x"))@gmail.com"))
        }
        data.hardNegatives[LabelledDataSet.Pair(one.id, two.id)] = "couple sharing a mailbox"
        people += [one, two]
    }

    static func digitDifferences(_ a: String, _ b: String) -> Int {
        zip(a, b).filter { $0 != $1 }.count
    }

    // MARK: True duplicates

    enum Relation: String { case refusedLink = "refused link", emailVariant = "e-mail variant", phoneVariant = "phone variant", profileOnly = "new identifiers" }

    mutating func addDuplicate(of person: Person) {
        var copy = person
        copy.id = CustomerID.random(using: &rng)
        copy.extraIdentifiers = []
        copy.card = nil
        var labels: [String] = []
        let relation = [Relation.refusedLink, .emailVariant, .phoneVariant, .profileOnly][rng.weighted([20, 40, 55, 100])]
        labels.append(relation.rawValue)
        copy.email = newEmail(given: copy.given, family: copy.family)
        copy.phone = newPhone()
        var refusedKind: IdentifierKind?
        switch relation {
        case .refusedLink:
            refusedKind = rng.chance(0.6) ? .email : .phone
        case .emailVariant:
            let (variant, label) = emailVariant(person.email)
            copy.email = variant
            labels.append(label)
        case .phoneVariant:
            let national = person.phone.dropFirst(4)
            if rng.chance(0.5) {
                copy.phone = "+3580" + national
                labels.append("trunk zero kept")
            } else {
                copy.phone = "+46" + national
                labels.append("parsed as Swedish")
            }
        case .profileOnly:
            break
        }

        // Profile changes: one or two with an identifier to go by, at most one name-level change
        // without.
        let changes: Int
        if relation == .profileOnly {
            changes = rng.chance(0.2) ? 0 : 1
        } else {
            changes = [0, 1, 1, 2][Int.random(in: 0..<4, using: &rng)]
        }
        for _ in 0..<changes {
            labels.append(perturb(&copy, profileOnly: relation == .profileOnly))
        }
        var record = record(copy)
        if relation == .emailVariant || relation == .phoneVariant {
            record.identifiers.removeAll { $0.kind == .loyaltyCard }
        }
        data.records.append(record)
        if let refusedKind {
            let pair = LabelledDataSet.Pair(person.id, copy.id)
            data.refusedLinks.append(DuplicateCandidate(first: pair.first, second: pair.second, kind: refusedKind, firstSeen: seen, lastSeen: seen, occurrences: Int.random(in: 1...2, using: &rng)))
        }
        // Every record of this person pairs with the new one.
        let label = labels.joined(separator: ", ")
        data.truePairs[LabelledDataSet.Pair(person.id, copy.id)] = label
        for other in duplicates[person.id] ?? [] {
            data.truePairs[LabelledDataSet.Pair(other, copy.id)] = label + " (second duplicate)"
        }
        duplicates[person.id, default: []].append(copy.id)
    }

    mutating func emailVariant(_ email: String) -> (String, String) {
        let parts = email.split(separator: "@")
        let local = String(parts[0]), domain = String(parts[1])
        let isGmail = domain == "gmail.com"
        switch Int.random(in: 0..<3, using: &rng) {
        case 0 where isGmail:
            if local.contains(".") { return (local.replacingOccurrences(of: ".", with: "") + "@gmail.com", "gmail dots removed") }
            var characters = Array(local)
            characters.insert(".", at: Int.random(in: 1..<max(2, characters.count), using: &rng))
            return (String(characters) + "@gmail.com", "gmail dot added")
        case 1 where isGmail:
            return (local + "@googlemail.com", "googlemail")
        default:
            return (local + "+" + rng.pick(["shop", "news", "kauppa", "s", "2024"]) + "@" + domain, "+tag")
        }
    }

    /// Changes one thing in a duplicate's profile; returns what.
    mutating func perturb(_ person: inout Person, profileOnly: Bool) -> String {
        let choice = profileOnly
            ? rng.pick(["typo given", "typo family", "nickname", "swapped", "diacritics", "case"])
            : rng.pick(["typo given", "typo family", "nickname", "swapped", "diacritics", "case", "no birthdate", "no postal code", "moved", "birthdate typo", "day-month swapped", "empty profile"])
        switch choice {
        case "typo given":
            guard let given = person.given, given.count >= 4 else { return perturb(&person, profileOnly: profileOnly) }
            person.given = typo(given)
        case "typo family":
            guard let family = person.family, family.count >= 4 else { return perturb(&person, profileOnly: profileOnly) }
            person.family = typo(family)
        case "nickname":
            guard let given = person.given else { return "nickname (no given name)" }
            let first = String(given.split(whereSeparator: { $0 == " " || $0 == "-" }).first!)
            let variants = (nicknameGroups[first] ?? []).flatMap { $0 }.filter { $0 != first && !$0.contains("-") }
            guard !variants.isEmpty else {
                person.given = typo(given)
                return "typo given (no nickname)"
            }
            person.given = rng.pick(variants)
        case "swapped":
            (person.given, person.family) = (person.family, person.given)
        case "diacritics":
            person.given = person.given.map { $0.folding(options: [.diacriticInsensitive], locale: nil) }
            person.family = person.family.map { $0.folding(options: [.diacriticInsensitive], locale: nil) }
        case "case":
            person.given = rng.chance(0.5) ? person.given?.uppercased() : person.given?.lowercased()
            person.family = rng.chance(0.5) ? person.family?.uppercased() : person.family?.lowercased()
        case "no birthdate":
            person.birthdate = nil
        case "no postal code":
            person.postalCode = nil
        case "moved":
            person.postalCode = postalCodes[rng.weighted(postalWeights)]
        case "birthdate typo":
            guard let date = person.birthdate else { return "birthdate typo (no birthdate)" }
            var characters = Array(date)
            let position = rng.pick([2, 3, 6, 9])
            let digit = characters[position]
            repeat { characters[position] = Character(String(Int.random(in: position == 6 ? 0...1 : 0...9, using: &rng))) } while characters[position] == digit
            let candidate = String(characters)
            if FeatureCheck.isDate(candidate) { person.birthdate = candidate }
        case "day-month swapped":
            guard let date = person.birthdate else { return "day-month swapped (no birthdate)" }
            let parts = date.split(separator: "-")
            if Int(parts[2])! <= 12 { person.birthdate = "\(parts[0])-\(parts[2])-\(parts[1])" }
        case "empty profile":
            person.given = nil
            person.family = nil
            person.birthdate = nil
            person.postalCode = nil
        default:
            break
        }
        return choice
    }

    /// One edit (substitution, deletion, insertion or transposition), sparing the first letter.
    mutating func typo(_ name: String) -> String {
        var characters = Array(name)
        let position = Int.random(in: 1..<characters.count, using: &rng)
        let letters = Array("abcdefghijklmnoprstuvyäö")
        switch Int.random(in: 0..<4, using: &rng) {
        case 0:
            let old = characters[position]
            repeat { characters[position] = rng.pick(letters) } while characters[position] == old
        case 1:
            characters.remove(at: position)
        case 2:
            characters.insert(rng.pick(letters), at: position)
        default:
            if position + 1 < characters.count && characters[position] != characters[position + 1] {
                characters.swapAt(position, position + 1)
            } else {
                characters.remove(at: position)
            }
        }
        return String(characters)
    }
}

private enum FeatureCheck {
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return false }
        return (1...12).contains(parts[1]) && (1...28).contains(parts[2]) && (1900...2010).contains(parts[0])
    }
}
