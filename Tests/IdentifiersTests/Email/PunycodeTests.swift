import Testing
@testable import Identifiers

@Suite struct PunycodeTests {
    /// RFC 3492 section 7.1 sample strings (A, B, C, L, M, N, O, P, Q, R, S).
    static let rfc3492: [(name: String, scalars: [UInt32], encoded: String)] = [
        ("A Arabic (Egyptian)", [0x0644, 0x064A, 0x0647, 0x0645, 0x0627, 0x0628, 0x062A, 0x0643, 0x0644, 0x0645, 0x0648, 0x0634, 0x0639, 0x0631, 0x0628, 0x064A, 0x061F], "egbpdaj6bu4bxfgehfvwxn"),
        ("B Chinese (simplified)", [0x4ED6, 0x4EEC, 0x4E3A, 0x4EC0, 0x4E48, 0x4E0D, 0x8BF4, 0x4E2D, 0x6587], "ihqwcrb4cv8a8dqg056pqjye"),
        ("C Chinese (traditional)", [0x4ED6, 0x5011, 0x7232, 0x4EC0, 0x9EBD, 0x4E0D, 0x8AAA, 0x4E2D, 0x6587], "ihqwctvzc91f659drss3x8bo0yb"),
        ("L 3年B組金八先生", [0x0033, 0x5E74, 0x0042, 0x7D44, 0x91D1, 0x516B, 0x5148, 0x751F], "3B-ww4c5e180e575a65lsy2b"),
        ("M 安室奈美恵-with-SUPER-MONKEYS", [0x5B89, 0x5BA4, 0x5948, 0x7F8E, 0x6075, 0x2D, 0x77, 0x69, 0x74, 0x68, 0x2D, 0x53, 0x55, 0x50, 0x45, 0x52, 0x2D, 0x4D, 0x4F, 0x4E, 0x4B, 0x45, 0x59, 0x53], "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n"),
        ("N Hello-Another-Way-それぞれの場所", [0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x2D, 0x41, 0x6E, 0x6F, 0x74, 0x68, 0x65, 0x72, 0x2D, 0x57, 0x61, 0x79, 0x2D, 0x305D, 0x308C, 0x305E, 0x308C, 0x306E, 0x5834, 0x6240], "Hello-Another-Way--fc4qua05auwb3674vfr0b"),
        ("O ひとつ屋根の下2", [0x3072, 0x3068, 0x3064, 0x5C4B, 0x6839, 0x306E, 0x4E0B, 0x0032], "2-u9tlzr9756bt3uc0v"),
        ("P MajiでKoiする5秒前", [0x4D, 0x61, 0x6A, 0x69, 0x3067, 0x4B, 0x6F, 0x69, 0x3059, 0x308B, 0x35, 0x79D2, 0x524D], "MajiKoi5-783gue6qz075azm5e"),
        ("Q パフィーdeルンバ", [0x30D1, 0x30D5, 0x30A3, 0x30FC, 0x64, 0x65, 0x30EB, 0x30F3, 0x30D0], "de-jg4avhby1noc0d"),
        ("R そのスピードで", [0x305D, 0x306E, 0x30B9, 0x30D4, 0x30FC, 0x30C9, 0x3067], "d9juau41awczczp"),
        ("S -> $1.00 <-", [0x2D, 0x3E, 0x20, 0x24, 0x31, 0x2E, 0x30, 0x30, 0x20, 0x3C, 0x2D], "-> $1.00 <--"),
    ]

    static func string(_ scalars: [UInt32]) -> String {
        var view = String.UnicodeScalarView()
        for value in scalars { view.append(Unicode.Scalar(value)!) }
        return String(view)
    }

    @Test(arguments: rfc3492.indices)
    func encodesRFC3492Samples(_ index: Int) {
        let sample = Self.rfc3492[index]
        #expect(Punycode.encode(Self.string(sample.scalars)) == sample.encoded, "\(sample.name)")
    }

    @Test(arguments: rfc3492.indices)
    func decodesRFC3492Samples(_ index: Int) {
        let sample = Self.rfc3492[index]
        #expect(Punycode.decode(sample.encoded) == Self.string(sample.scalars), "\(sample.name)")
        // Decoding ignores the case of the digits.
        #expect(Punycode.decode(sample.encoded.uppercased())?.lowercased() == Self.string(sample.scalars).lowercased())
    }

    @Test func knownLabels() {
        #expect(Punycode.encode("bücher") == "bcher-kva")
        #expect(Punycode.encode("äly") == "ly-uia")
        #expect(Punycode.encode("ä") == "4ca")
        #expect(Punycode.encode("münchen-ost") == "mnchen-ost-9db")
        #expect(Punycode.decode("ly-fia") == "ßly")
        #expect(Punycode.encode("abc") == "abc-")
    }

    @Test func rejectsInvalidInput() {
        #expect(Punycode.decode("bcher-kv!") == nil)
        #expect(Punycode.decode("99999999999999") == nil)
        #expect(Punycode.decode("ü-abc") == nil)
        #expect(Punycode.decode("a-") == "a")
    }
}
