import Testing
@testable import Identifiers

@Suite struct PhoneTests {
    static func normalizer(_ region: String, allowed: [String]? = nil) -> IdentifierNormalizer {
        IdentifierNormalizer(policy: IdentifierPolicy(
            phone: PhonePolicy(defaultRegion: region, allowedRegions: allowed),
            social: [:], loyaltyPrograms: [:], receipts: ReceiptPolicy()
        ))
    }

    /// Expected values verified with phonenumbers 9.0.43 (libphonenumber): parse with the region,
    /// is_possible_number, format E164; nil where libphonenumber rejects.
    static let verified: [(input: String, region: String, e164: String?)] = [
        ("040 123 4567", "FI", "+358401234567"),
        ("+358 40 123 4567", "FI", "+358401234567"),
        ("00358401234567", "FI", "+358401234567"),
        ("+358 (0)40 1234567", "FI", "+358401234567"),
        ("09 1234 567", "FI", "+35891234567"),
        ("0401", "FI", nil),
        ("04012345678901", "FI", nil),
        ("+46 70 123 45 67", "FI", "+46701234567"),
        ("0046701234567", "FI", "+46701234567"),
        ("+44 20 7946 0000", "FI", "+442079460000"),
        ("+1 650 253 0000", "FI", "+16502530000"),
        ("358401234567", "FI", "+358401234567"),
        ("401234567", "FI", "+358401234567"),
        ("+358 0", "FI", nil),
        ("+999 1234567", "FI", nil),
        ("990 44 20 7946 0000", "FI", "+442079460000"),
        ("\u{ff10}\u{ff14}\u{ff10} \u{ff11}\u{ff12}\u{ff13} \u{ff14}\u{ff15}\u{ff16}\u{ff17}", "FI", "+358401234567"),
        ("\u{ff0b}\u{ff13}\u{ff15}\u{ff18} \u{ff14}\u{ff10} \u{ff11}\u{ff12}\u{ff13} \u{ff14}\u{ff15}\u{ff16}\u{ff17}", "FI", "+358401234567"),
        ("\u{0660}\u{0664}\u{0660}\u{0661}\u{0662}\u{0663}\u{0664}\u{0665}\u{0666}\u{0667}", "FI", "+358401234567"),
        ("040-123.45/67", "FI", "+358401234567"),
        ("(040) 123 4567", "FI", "+358401234567"),
        ("040\u{2013}123\u{2014}4567", "FI", "+358401234567"),
        ("\u{00a0}040 123 4567\u{2003}", "FI", "+358401234567"),
        ("+358 9 1234 5678", "FI", "+358912345678"),
        ("00 0123", "FI", "+35800123"),
        ("050 1234567", "FI", "+358501234567"),
        ("+358 18 12345", "FI", "+3581812345"),
        ("+800 1234 5678", "FI", "+80012345678"),
        ("+882 12 345 6789", "FI", "+882123456789"),
        ("070-123 45 67", "SE", "+46701234567"),
        ("+46 70 123 45 67", "SE", "+46701234567"),
        ("0046 8 123 456 78", "SE", "+46812345678"),
        ("08-123 456 78", "SE", "+46812345678"),
        ("+46 (0)8 123 456", "SE", "+468123456"),
        ("0701", "SE", nil),
        ("+358 40 1234567", "SE", "+358401234567"),
        ("46701234567", "SE", "+46701234567"),
        ("070 123 45 67 890 12", "SE", nil),
        ("412 34 567", "NO", "+4741234567"),
        ("+47 412 34 567", "NO", "+4741234567"),
        ("0047 22 22 22 22", "NO", "+4722222222"),
        ("22 22 22 2", "NO", nil),
        ("02222", "NO", "+4702222"),
        ("+47 (0)22 22 22 22", "NO", nil),
        ("4722222222", "NO", "+4722222222"),
        ("+45 32 12 34 56", "NO", "+4532123456"),
        ("01234", "NO", "+4701234"),
        ("32 12 34 56", "DK", "+4532123456"),
        ("+45 32 12 34 56", "DK", "+4532123456"),
        ("0045 3212 3456", "DK", "+4532123456"),
        ("3212345", "DK", nil),
        ("321234567", "DK", nil),
        ("4532123456", "DK", "+4532123456"),
        ("+47 412 34 567", "DK", "+4741234567"),
        ("030 123456", "DE", "+4930123456"),
        ("+49 30 123456", "DE", "+4930123456"),
        ("0049 (0)30 1234567", "DE", "+49301234567"),
        ("0151 23456789", "DE", "+4915123456789"),
        ("+49 151 234 567 89", "DE", "+4915123456789"),
        ("030 12", "DE", "+493012"),
        ("+49 1234567890123456", "DE", nil),
        ("4930123456", "DE", "+4930123456"),
        ("+44 (0)20 7946 0000", "DE", "+442079460000"),
        ("030 123", "DE", "+4930123"),
        ("020 7946 0000", "GB", "+442079460000"),
        ("+44 20 7946 0000", "GB", "+442079460000"),
        ("+44 (0)20 7946 0000", "GB", "+442079460000"),
        ("0044 20 7946 0000", "GB", "+442079460000"),
        ("07911 123456", "GB", "+447911123456"),
        ("01632 960 961", "GB", "+441632960961"),
        ("020 794", "GB", "+44020794"),
        ("020 7946 00000", "GB", nil),
        ("442079460000", "GB", "+442079460000"),
        ("+1 212 555 0123", "GB", "+12125550123"),
        ("0800 123 4567", "GB", "+448001234567"),
        ("(650) 253-0000", "US", "+16502530000"),
        ("650.253.0000", "US", "+16502530000"),
        ("1 650 253 0000", "US", "+16502530000"),
        ("+1 650 253 0000", "US", "+16502530000"),
        ("011 44 20 7946 0000", "US", "+442079460000"),
        ("011 358 40 1234567", "US", "+358401234567"),
        ("253-0000", "US", "+12530000"),
        ("650 253 000", "US", nil),
        ("650 253 00000", "US", nil),
        ("1 234 567 8901", "US", "+12345678901"),
        ("0044 20 7946 0000", "US", nil),
        ("16502530000", "US", "+16502530000"),
        ("+1 (650) 253-0000", "US", "+16502530000"),
    ]

    @Test(arguments: verified.indices)
    func agreesWithLibphonenumber(_ index: Int) {
        let (input, region, expected) = Self.verified[index]
        let result = try? Self.normalizer(region).normalize(kind: .phone, namespace: nil, value: input).value
        #expect(result == expected, "case \(index) in \(region)")
    }

    @Test func lettersAreRejectedEvenWhereLibphonenumberAcceptsVanityNumbers() {
        for input in ["1-800-FLOWERS", "040 123 4567 ext 12", "+358 40 abc 4567", "040 123 4567 x12"] {
            #expect(throws: IdentifierError(code: .invalidCharacter, kind: .phone, reason: "")) {
                try Self.normalizer("US").normalize(kind: .phone, namespace: nil, value: input)
            }
        }
    }

    @Test func errorCodes() {
        let fi = Self.normalizer("FI")
        func code(_ input: String, _ n: IdentifierNormalizer = fi) -> IdentifierError.Code? {
            do { _ = try n.normalize(kind: .phone, namespace: nil, value: input); return nil } catch { return error.code }
        }
        #expect(code("0401") == .invalidLength)
        #expect(code("+999 1234567") == .invalidCountryCode)
        #expect(code("+358 40 123+4567") == .invalidSyntax)
        #expect(code("++358401234567") == .invalidSyntax)
        #expect(code("   ") == .empty)
        #expect(code("---") == .invalidSyntax)
        #expect(code("040 123 4567 #") == .invalidCharacter)
        #expect(code("040😀1234567") == .invalidCharacter)
        #expect(code("040 123 4567", Self.normalizer("ZZ")) == .invalidCountryCode)
        #expect(code("+358 40 123 4567", Self.normalizer("ZZ")) == nil)
    }

    @Test func lengthReasonNamesTheRegionButNotTheNumber() throws {
        do {
            _ = try Self.normalizer("FI").normalize(kind: .phone, namespace: nil, value: "040")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidLength)
            #expect(error.kind == .phone)
            #expect(error.reason == "a phone number in region FI has 5 to 12 digits after the country code and trunk prefix, got 3")
            #expect(!error.reason.contains("040"))
        }
        do {
            _ = try Self.normalizer("GB").normalize(kind: .phone, namespace: nil, value: "020 7946 00000")
            Issue.record("expected an error")
        } catch {
            #expect(error.reason.contains("4 to 10 digits") || error.reason.contains("4, 5"))
        }
    }

    @Test func allowedRegions() throws {
        let nordic = Self.normalizer("FI", allowed: ["FI", "se", "NO", "DK"])
        #expect(try nordic.normalize(kind: .phone, namespace: nil, value: "+46 70 123 45 67").value == "+46701234567")
        #expect(try nordic.normalize(kind: .phone, namespace: nil, value: "040 123 4567").value == "+358401234567")
        #expect(throws: IdentifierError(code: .regionNotAllowed, kind: .phone, reason: "")) {
            try nordic.normalize(kind: .phone, namespace: nil, value: "+1 650 253 0000")
        }
        // Regions are matched by calling code: allowing CA allows the whole +1 plan.
        let canada = Self.normalizer("US", allowed: ["CA"])
        #expect(try canada.normalize(kind: .phone, namespace: nil, value: "650 253 0000").value == "+16502530000")
    }

    @Test func namespaceIsRejected() {
        #expect(throws: IdentifierError(code: .unexpectedNamespace, kind: .phone, reason: "")) {
            try Self.normalizer("FI").normalize(kind: .phone, namespace: "fi", value: "040 123 4567")
        }
    }

    @Test func numberingPlanData() throws {
        let fi = try #require(NumberingPlan.byRegion["FI"])
        #expect(fi.callingCode == 358)
        #expect(fi.nationalPrefix == "0")
        #expect(fi.internationalPrefixes.first == "00")
        #expect(fi.possibleLengths == Array(5...12))
        #expect(NumberingPlan.byCallingCode[1]?.region == "US")
        #expect(NumberingPlan.byCallingCode[44]?.region == "GB")
        #expect(NumberingPlan.byCallingCode[7]?.region == "RU")
        #expect(NumberingPlan.byCallingCode[800]?.region == "001")
        #expect(NumberingPlan.byRegion["NO"]?.nationalPrefix == nil)
        #expect(NumberingPlan.byRegion["US"]?.internationalPrefixes == ["011"])
        #expect(NumberingPlan.regionsByCallingCode[1]?.contains("CA") == true)
        #expect(NumberingPlan.byRegion.count > 240)
        #expect(!NumberingPlan.metadataVersion.isEmpty)
    }
}
