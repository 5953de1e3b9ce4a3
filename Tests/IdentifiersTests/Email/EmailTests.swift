import Testing
@testable import Identifiers

@Suite struct EmailTests {
    let normalizer = IdentifierNormalizer(policy: .default)

    func email(_ input: String) throws(IdentifierError) -> String {
        try normalizer.normalize(kind: .email, namespace: nil, value: input).value
    }

    func code(_ input: String) -> IdentifierError.Code? {
        do { _ = try email(input); return nil } catch { return error.code }
    }

    static let valid: [(input: String, expected: String)] = [
        ("anna@example.com", "anna@example.com"),
        ("Anna.Virtanen@Example.COM", "anna.virtanen@example.com"),
        ("  anna@example.com \n", "anna@example.com"),
        ("\u{3000}anna@example.com\u{00A0}", "anna@example.com"),
        ("anna+tag@example.com", "anna+tag@example.com"),
        ("o'brien@example.ie", "o'brien@example.ie"),
        ("a!#$%&'*+-/=?^_`{|}~@example.com", "a!#$%&'*+-/=?^_`{|}~@example.com"),
        ("anna@example.com.", "anna@example.com"),
        ("anna@sub.domain.example.co.uk", "anna@sub.domain.example.co.uk"),
        ("anna@bücher.example", "anna@xn--bcher-kva.example"),
        ("anna@BÜCHER.example", "anna@xn--bcher-kva.example"),
        ("anna@ÄLY.fi", "anna@xn--ly-uia.fi"),
        ("anna@xn--bcher-kva.example", "anna@xn--bcher-kva.example"),
        ("anna@XN--BCHER-KVA.EXAMPLE", "anna@xn--bcher-kva.example"),
        ("anna\u{FF20}example.com", "anna@example.com"),
        ("\u{FF21}\u{FF2E}\u{FF2E}\u{FF21}@\u{FF25}\u{FF38}\u{FF21}\u{FF2D}\u{FF30}\u{FF2C}\u{FF25}.com", "anna@example.com"),
        ("anna\u{FF11}\u{FF12}@example.com", "anna12@example.com"),
        ("anna@example\u{FF0E}com", "anna@example.com"),
        ("anna@example\u{3002}com", "anna@example.com"),
        ("jörg@example.de", "jörg@example.de"),
        ("JÖRG@example.de", "jörg@example.de"),
        ("jo\u{0308}rg@example.de", "j\u{00F6}rg@example.de"),
        ("用户@例子.广告", "用户@xn--fsqu00a.xn--4rr70v"),
        ("ÅSA@ÅLAND.AX", "åsa@xn--land-poa.ax"),
        ("a@b.co", "a@b.co"),
        ("x@1.example", "x@1.example"),
        ("x@123.com", "x@123.com"),
        ("first.last@a-b.example", "first.last@a-b.example"),
    ]

    @Test(arguments: valid.indices)
    func normalizesValidAddresses(_ index: Int) throws {
        let (input, expected) = Self.valid[index]
        #expect(try email(input) == expected)
    }

    @Test func rejectsInvalidAddresses() {
        #expect(code("") == .empty)
        #expect(code("   ") == .empty)
        #expect(code("annaexample.com") == .invalidSyntax)
        #expect(code("anna@@example.com") == .invalidSyntax)
        #expect(code("an@na@example.com") == .invalidSyntax)
        #expect(code("\"anna\"@example.com") == .invalidSyntax)
        #expect(code("\"an@na\"@example.com") == .invalidSyntax)
        #expect(code("@example.com") == .invalidSyntax)
        #expect(code("anna@") == .invalidSyntax)
        #expect(code(".anna@example.com") == .invalidSyntax)
        #expect(code("anna.@example.com") == .invalidSyntax)
        #expect(code("an..na@example.com") == .invalidSyntax)
        #expect(code("an na@example.com") == .invalidCharacter)
        #expect(code("anna(comment)@example.com") == .invalidCharacter)
        #expect(code("anna\\x@example.com") == .invalidCharacter)
        #expect(code("an\u{0007}na@example.com") == .invalidCharacter)
        #expect(code("anna😀@example.com") == .invalidCharacter)
        #expect(code("anna@localhost") == .invalidSyntax)
        #expect(code("anna@[192.168.0.1]") == .invalidSyntax)
        #expect(code("anna@[IPv6:::1]") == .invalidSyntax)
        #expect(code("anna@192.168.0.1") == .invalidSyntax)
        #expect(code("anna@example..com") == .invalidSyntax)
        #expect(code("anna@.example.com") == .invalidSyntax)
        #expect(code("anna@-example.com") == .invalidSyntax)
        #expect(code("anna@example-.com") == .invalidSyntax)
        #expect(code("anna@exa_mple.com") == .invalidCharacter)
        #expect(code("anna@exa mple.com") == .invalidCharacter)
        #expect(code("anna@exam😀ple.com") == .invalidCharacter)
        #expect(code("anna@xn--zz!.com") == .invalidSyntax)
        #expect(code("anna@xn--99999999999999.com") == .invalidSyntax)
        #expect(code("anna@example.com..") == .invalidSyntax)
    }

    @Test func lengthLimits() {
        let local64 = String(repeating: "a", count: 64)
        #expect(code("\(local64)@example.com") == nil)
        #expect(code("a\(local64)@example.com") == .tooLong)
        // Non-ASCII counts in octets: 32 × "ä" is 64 octets, 33 is 66.
        #expect(code("\(String(repeating: "ä", count: 32))@example.com") == nil)
        #expect(code("\(String(repeating: "ä", count: 33))@example.com") == .tooLong)
        let label63 = String(repeating: "b", count: 63)
        #expect(code("a@\(label63).com") == nil)
        #expect(code("a@\(label63)b.com") == .tooLong)
        // A Unicode label whose punycode form is longer than 63 octets.
        #expect(code("a@\(String(repeating: "ü", count: 70)).com") == .tooLong)
        // Domain over 253 octets: four 63-octet labels and a TLD.
        let longDomain = Array(repeating: label63, count: 4).joined(separator: ".") + ".com"
        #expect(code("a@\(longDomain)") == .tooLong)
        // Whole address over 254 octets with a valid local part and domain.
        let domain = Array(repeating: String(repeating: "c", count: 60), count: 4).joined(separator: ".") + ".com"
        #expect(code("a@\(domain)") == nil)
        #expect(code("\(String(repeating: "a", count: 10))@\(domain)") == .tooLong)
        #expect(code(String(repeating: "a", count: 1025)) == .tooLong)
    }

    @Test func reasonsDoNotEchoTheValue() {
        for input in ["\"secret\"@example.com", "sec ret@example.com", "secret@exam_ple.com", "secret@[1.2.3.4]", "secretexample.com", "secret@x"] {
            do {
                _ = try email(input)
                Issue.record("expected an error")
            } catch {
                #expect(!error.reason.contains("secret"))
                #expect(!error.description.contains("secret"))
                #expect(error.kind == .email)
            }
        }
        do {
            _ = try email("\"anna\"@example.com")
        } catch {
            #expect(error.reason == "quoted local parts are not supported")
        }
        do {
            _ = try email("anna@[1.2.3.4]")
        } catch {
            #expect(error.reason == "IP-literal domains are not supported")
        }
    }

    @Test func namespaceIsRejected() {
        #expect(throws: IdentifierError(code: .unexpectedNamespace, kind: .email, reason: "")) {
            try normalizer.normalize(kind: .email, namespace: "gmail", value: "anna@example.com")
        }
        // A blank namespace counts as none.
        #expect(throws: Never.self) {
            try normalizer.normalize(kind: .email, namespace: "  ", value: "anna@example.com")
        }
    }

    @Test func normalizationIsIdempotent() throws {
        for (input, _) in Self.valid {
            let once = try email(input)
            #expect(try email(once) == once)
        }
    }
}
