import Testing
@testable import DuplicateDetection

@Suite struct TextSimilarityTests {
    @Test(arguments: [
        ("MARTHA", "MARHTA", 0.961),
        ("DWAYNE", "DUANE", 0.840),
        ("DIXON", "DICKSONX", 0.813),
        ("JELLYFISH", "SMELLYFISH", 0.896),
    ])
    func jaroWinklerKnownValues(a: String, b: String, expected: Double) {
        let value = JaroWinkler.similarity(a, b)
        #expect(abs(value - expected) < 0.0005, "\(a)/\(b): \(value)")
        #expect(JaroWinkler.similarity(b, a) == value)
    }

    @Test func jaroWinklerEdges() {
        #expect(JaroWinkler.similarity("anna", "anna") == 1)
        #expect(JaroWinkler.similarity("", "") == 1)
        #expect(JaroWinkler.similarity("anna", "") == 0)
        #expect(JaroWinkler.similarity("abc", "xyz") == 0)
    }

    @Test(arguments: [
        ("palosalo", "paosalo", true), ("virtanen", "virtamen", true), ("mikko", "mikkko", true),
        ("heikki", "hiekki", true), ("anna", "anna", false), ("anna", "hanna", true),
        ("virtanen", "virtaset", false), ("korhonen", "korhonen-", true), ("abc", "cba", false),
    ])
    func oneEdit(a: String, b: String, expected: Bool) {
        var a = a, b = b
        let result = a.withUTF8 { a in b.withUTF8 { b in EditDistance.isOneEdit(a, b) } }
        #expect(result == expected, "\(a)/\(b)")
    }

    @Test func foldingDropsCaseAndDiacritics() {
        func folded(_ name: String) -> [String] { NameFolding.tokens(name).map { String(decoding: $0, as: UTF8.self) } }
        #expect(folded("Mäkinen") == ["makinen"])
        #expect(folded("Ma\u{0308}kinen") == ["makinen"])
        #expect(folded("MÄKINEN") == folded("makinen"))
        #expect(folded("Øster-Ålund") == ["oster", "alund"])
        #expect(folded("O'Brien") == ["obrien"])
        #expect(folded("O’Brien") == ["obrien"])
        #expect(folded("Straße") == ["strasse"])
        #expect(folded("Anna  Maria") == ["anna", "maria"])
        #expect(folded("J. R. R.") == ["j", "r", "r"])
        #expect(folded("Łukasz Żółć") == ["lukasz", "zolc"])
        #expect(folded("Дмитрий") == ["дмитрий"])
        #expect(folded("1234 !") == [])
        #expect(folded("a b c d e f") == ["a", "b", "c", "d"])
    }

    @Test func phoneticKeyIgnoresSpellingVariants() {
        func key(_ name: String) -> UInt64 { Phonetic.key(Array(name.utf8)) }
        #expect(key("virtanen") == key("wirtanen"))
        #expect(key("virtanen") == key("virtamen"))
        #expect(key("karlsson") == key("carlsson"))
        #expect(key("virtanen") != key("korhonen"))
        #expect(key("") == 0)
    }
}
