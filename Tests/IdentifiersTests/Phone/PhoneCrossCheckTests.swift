import Foundation
import Testing
@testable import Identifiers
import SeededRandom

/// Writes Solmu's phone results for many inputs to a JSON Lines file that
/// `Tests/interop/phone_crosscheck.py` compares with libphonenumber.
@Suite struct PhoneCrossCheckTests {
    static let regions = ["FI", "SE", "NO", "DK", "DE", "GB", "US"]

    /// Hand-picked inputs per region (valid, too short, too long, trunk prefix, 00, +, foreign).
    static let handPicked: [String: [String]] = [
        "FI": ["040 123 4567", "+358 40 123 4567", "00358401234567", "+358 (0)40 1234567", "09 1234 567", "0401", "04012345678901", "+46 70 123 45 67", "0046701234567", "+44 20 7946 0000", "+1 650 253 0000", "358401234567", "401234567", "+358 0", "+999 1234567", "990 1234 567"],
        "SE": ["070-123 45 67", "+46 70 123 45 67", "0046 8 123 456 78", "08-123 456 78", "+46 (0)8 123 456", "0701", "+358 40 1234567", "46701234567", "070 123 45 67 890 12"],
        "NO": ["412 34 567", "+47 412 34 567", "0047 22 22 22 22", "22 22 22 2", "02222", "+47 (0)22 22 22 22", "4722222222", "+45 32 12 34 56"],
        "DK": ["32 12 34 56", "+45 32 12 34 56", "0045 3212 3456", "3212345", "321234567", "4532123456", "+47 412 34 567"],
        "DE": ["030 123456", "+49 30 123456", "0049 (0)30 1234567", "0151 23456789", "+49 151 234 567 89", "030 12", "+49 1234567890123456", "4930123456", "+44 (0)20 7946 0000"],
        "GB": ["020 7946 0000", "+44 20 7946 0000", "+44 (0)20 7946 0000", "0044 20 7946 0000", "07911 123456", "01632 960 961", "020 794", "020 7946 00000", "442079460000", "+1 212 555 0123"],
        "US": ["(650) 253-0000", "650.253.0000", "1 650 253 0000", "+1 650 253 0000", "011 44 20 7946 0000", "011 358 40 1234567", "253-0000", "650 253 000", "650 253 00000", "1 234 567 8901", "0044 20 7946 0000", "16502530000", "+1 (650) 253-0000"],
    ]

    static func corpus() -> [(input: String, region: String)] {
        var cases: [(String, String)] = []
        for region in regions {
            for input in handPicked[region] ?? [] { cases.append((input, region)) }
        }
        var random = SeededGenerator(seed: 0x5017_0001) // the corpus is the same on every run
        for region in regions {
            let plan = NumberingPlan.byRegion[region]!
            let minimum = plan.acceptedLengths.first!
            let maximum = plan.acceptedLengths.last!
            for length in max(1, minimum - 2)...(maximum + 2) {
                for variant in 0..<3 {
                    var national = String(Int.random(in: 2...9, using: &random))
                    while national.count < length { national += String(Int.random(in: 0...9, using: &random)) }
                    let trunk = plan.nationalPrefix ?? ""
                    switch variant {
                    case 0: cases.append((trunk + national, region))
                    case 1: cases.append(("+\(plan.callingCode) \(national)", region))
                    default:
                        let idd = plan.internationalPrefixes.first ?? "00"
                        cases.append(("\(idd)\(plan.callingCode)\(national)", region))
                    }
                }
                // The same national number dialled from another of the seven regions.
                let other = regions[(regions.firstIndex(of: region)! + length) % regions.count]
                var national = String(Int.random(in: 2...9, using: &random))
                while national.count < length { national += String(Int.random(in: 0...9, using: &random)) }
                cases.append(("+\(plan.callingCode) \(national)", other))
            }
        }
        return cases
    }

    @Test func corpusIsLargeEnough() {
        #expect(Self.corpus().count >= 300)
    }

    @Test func writesCrossCheckFileWhenAsked() throws {
        let cases = Self.corpus()
        var lines: [String] = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        struct Line: Encodable { let input: String; let region: String; let e164: String? }
        for (input, region) in cases {
            let normalizer = IdentifierNormalizer(policy: IdentifierPolicy(phone: PhonePolicy(defaultRegion: region), social: [:], loyaltyPrograms: [:], receipts: ReceiptPolicy()))
            let e164 = try? normalizer.normalize(kind: .phone, namespace: nil, value: input).value
            if let e164 {
                #expect(e164.first == "+" && e164.dropFirst().allSatisfy(\.isASCII) && e164.dropFirst().allSatisfy(\.isNumber))
            }
            // Explicit `encode(nil)` so that "e164": null is written rather than omitted.
            let data = try encoder.encode(Line(input: input, region: region, e164: e164))
            var line = String(decoding: data, as: UTF8.self)
            if e164 == nil { line = String(line.dropLast()) + ",\"e164\":null}" }
            lines.append(line)
        }
        guard let path = ProcessInfo.processInfo.environment["SOLMU_PHONE_CROSSCHECK_OUT"], !path.isEmpty else { return }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}
