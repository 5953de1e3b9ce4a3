import Testing
@testable import Identifiers

@Suite struct ReceiptTests {
    let normalizer = IdentifierNormalizer(policy: .default)

    func receipt(_ store: String?, _ value: String, _ n: IdentifierNormalizer? = nil) throws(IdentifierError) -> Identifier {
        try (n ?? normalizer).normalize(kind: .receipt, namespace: store, value: value)
    }

    func code(_ store: String?, _ value: String, _ n: IdentifierNormalizer? = nil) -> IdentifierError.Code? {
        do { _ = try receipt(store, value, n); return nil } catch { return error.code }
    }

    static let valid: [(input: String, expected: String)] = [
        ("12-345678", "12-345678"),
        ("0012-000345678", "12-345678"),
        ("12/345678", "12-345678"),
        ("12 345678", "12-345678"),
        ("12:345678", "12-345678"),
        ("12 - 345678", "12-345678"),
        (" 12  /  345678 ", "12-345678"),
        ("0-0", "0-0"),
        ("0000-000000000000", "0-0"),
        ("１２－３４５６７８", "12-345678"),
        ("１２／３４５６７８", "12-345678"),
        ("12\u{00A0}345678", "12-345678"),
        ("٣-١٢", "3-12"),
        ("1234-123456789012", "1234-123456789012"),
    ]

    @Test(arguments: valid.indices)
    func normalizesValidReceipts(_ index: Int) throws {
        let (input, expected) = Self.valid[index]
        let id = try receipt("helsinki-01", input)
        #expect(id.value == expected)
        #expect(id.namespace == "helsinki-01")
    }

    @Test func storeNamespace() throws {
        #expect(try receipt(" Helsinki_01 ", "1-1").namespace == "helsinki_01")
        #expect(code(nil, "1-1") == .missingNamespace)
        #expect(code("store.1", "1-1") == .invalidCharacter)
        #expect(code("störe", "1-1") == .invalidCharacter)
        #expect(code(String(repeating: "s", count: 33), "1-1") == .tooLong)
        #expect(code(String(repeating: "s", count: 65), "1-1") == .tooLong)
    }

    @Test func rejectsInvalidReceipts() {
        #expect(code("s1", "12345678") == .invalidSyntax)
        #expect(code("s1", "12--345") == .invalidSyntax)
        #expect(code("s1", "12-34-56") == .invalidSyntax)
        #expect(code("s1", "12 34 56") == .invalidSyntax)
        #expect(code("s1", "-345") == .invalidSyntax)
        #expect(code("s1", "12-") == .invalidSyntax)
        #expect(code("s1", "12_345") == .invalidCharacter)
        #expect(code("s1", "12-34a") == .invalidCharacter)
        #expect(code("s1", "A12-345") == .invalidCharacter)
        #expect(code("s1", "12345-1") == .invalidLength)
        #expect(code("s1", "1-1234567890123") == .invalidLength)
        #expect(code("s1", "") == .empty)
    }

    @Test func perStoreFormats() throws {
        var policy = IdentifierPolicy.default
        policy.receipts.stores["kamppi"] = ReceiptFormat(terminalDigits: 3...3, numberDigits: 6...8, separators: "#")
        let n = IdentifierNormalizer(policy: policy)
        #expect(try receipt("kamppi", "001 # 00123456", n).value == "1-123456")
        #expect(code("kamppi", "001-00123456", n) == .invalidCharacter)
        #expect(code("kamppi", "001 00123456", n) == .invalidSyntax)
        #expect(code("kamppi", "01#00123456", n) == .invalidLength)
        #expect(try receipt("other", "01-5", n).value == "1-5")
    }

    @Test func reasonsDoNotEchoTheValue() {
        do {
            _ = try receipt("s1", "98765-4321")
        } catch {
            #expect(error.reason == "the terminal number has 1 to 4 digits, got 5")
            #expect(!error.reason.contains("98765"))
        }
    }
}
