import Testing
@testable import Identifiers

@Suite struct SocialTests {
    let normalizer = IdentifierNormalizer(policy: .default)

    func social(_ network: String?, _ value: String) throws(IdentifierError) -> Identifier {
        try normalizer.normalize(kind: .social, namespace: network, value: value)
    }

    func code(_ network: String?, _ value: String) -> IdentifierError.Code? {
        do { _ = try social(network, value); return nil } catch { return error.code }
    }

    static let valid: [(network: String, input: String, namespace: String, value: String)] = [
        ("instagram", "@Anna.Virtanen", "instagram", "anna.virtanen"),
        ("Instagram", " anna_v ", "instagram", "anna_v"),
        ("INSTAGRAM", "\u{FF20}\u{FF41}\u{FF4E}\u{FF4E}\u{FF41}", "instagram", "anna"),
        ("instagram", "ａｎｎａ１２３", "instagram", "anna123"),
        ("instagram", "id:1784140123", "instagram", "id:1784140123"),
        ("instagram", "ID:AbC123", "instagram", "id:AbC123"),
        ("x", "@Jack", "x", "jack"),
        ("x", "user_15_chars__", "x", "user_15_chars__"),
        ("tiktok", "@a.b", "tiktok", "a.b"),
        ("facebook", "anna.virtanen.5", "facebook", "anna.virtanen.5"),
        ("google", "112233445566778899000", "google", "id:112233445566778899000"),
        ("google", "id:112233445566778899000", "google", "id:112233445566778899000"),
        ("google", "１１２２", "google", "id:1122"),
        ("apple", "001234.abcdef0123456789ABCDEF.1234", "apple", "id:001234.abcdef0123456789ABCDEF.1234"),
        ("apple", "id:001234.ABC.1234", "apple", "id:001234.ABC.1234"),
    ]

    @Test(arguments: valid.indices)
    func normalizesValidValues(_ index: Int) throws {
        let sample = Self.valid[index]
        let id = try social(sample.network, sample.input)
        #expect(id.namespace == sample.namespace)
        #expect(id.value == sample.value)
        #expect(id.kind == .social)
    }

    @Test func rejectsInvalidValues() {
        #expect(code(nil, "anna") == .missingNamespace)
        #expect(code("  ", "anna") == .missingNamespace)
        #expect(code("myspace", "anna") == .unknownNamespace)
        #expect(code("insta gram", "anna") == .invalidCharacter)
        #expect(code("instagram", "") == .empty)
        #expect(code("instagram", "@") == .empty)
        #expect(code("instagram", ".anna") == .invalidSyntax)
        #expect(code("instagram", "anna.") == .invalidSyntax)
        #expect(code("instagram", "an-na") == .invalidCharacter)
        #expect(code("instagram", "an na") == .invalidCharacter)
        #expect(code("instagram", "@@anna") == .invalidCharacter)
        #expect(code("instagram", "jörg") == .invalidCharacter)
        #expect(code("instagram", String(repeating: "a", count: 31)) == .tooLong)
        #expect(code("x", "sixteen_chars_xx") == .tooLong)
        #expect(code("x", "a.b") == .invalidCharacter)
        #expect(code("tiktok", "a") == .tooShort)
        #expect(code("facebook", "anna") == .tooShort)
        #expect(code("facebook", "anna_virtanen") == .invalidCharacter)
        #expect(code("google", "abc") == .invalidCharacter)
        #expect(code("google", "id:") == .empty)
        #expect(code("google", "id:12 34") == .invalidCharacter)
        #expect(code("google", String(repeating: "1", count: 256)) == .tooLong)
        #expect(code("apple", "001234-abc") == .invalidCharacter)
        #expect(code("instagram", "id:abc/def") == .invalidCharacter)
    }

    @Test func reasonsNameTheNetworkButNotTheValue() {
        do {
            _ = try social("instagram", "secret-name")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .social)
            #expect(error.reason.contains("instagram"))
            #expect(!error.reason.contains("secret"))
            #expect(error.reason == "a handle on instagram may contain only the characters a-z 0-9 '.' '_'")
        }
    }

    @Test func caseSensitiveHandlesAndCustomRules() throws {
        var policy = IdentifierPolicy.default
        policy.social["mastodon"] = SocialNetworkPolicy(
            handle: HandleRule(minLength: 1, maxLength: 30, allowedCharacters: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", caseSensitive: true, stripLeadingAt: false),
            subject: SubjectRule(allowedCharacters: "0123456789")
        )
        let normalizer = IdentifierNormalizer(policy: policy)
        #expect(try normalizer.normalize(kind: .social, namespace: "mastodon", value: "Gargron").value == "Gargron")
        #expect(throws: IdentifierError(code: .invalidCharacter, kind: .social, reason: "")) {
            try normalizer.normalize(kind: .social, namespace: "mastodon", value: "@Gargron")
        }
    }
}
