import Testing
@testable import DuplicateDetection

@Suite struct LooseIdentifierKeyTests {
    let keys = LooseIdentifierKeys(configuration: .default)

    func mailbox(_ address: String) -> String? {
        keys.mailbox(address).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func subAddressingIsRemovedForEveryDomain() {
        #expect(mailbox("anna+shop@example.com") == "anna@example.com")
        #expect(mailbox("anna+a+b@example.fi") == "anna@example.fi")
        #expect(keys.emailKey("anna+shop@example.com") == keys.emailKey("anna@example.com"))
        // A local part that starts with the separator is not a sub-address.
        #expect(mailbox("+anna@example.com") == "+anna@example.com")
    }

    @Test func gmailIgnoresDotsAndGooglemailIsGmail() {
        #expect(mailbox("a.n.n.a@gmail.com") == "anna@gmail.com")
        #expect(mailbox("anna.virtanen+kauppa@googlemail.com") == "annavirtanen@gmail.com")
        #expect(keys.emailKey("anna.virtanen@gmail.com") == keys.emailKey("annavirtanen@googlemail.com"))
    }

    @Test func otherProvidersKeepTheirDots() {
        #expect(mailbox("anna.virtanen@example.com") == "anna.virtanen@example.com")
        #expect(keys.emailKey("anna.virtanen@example.com") != keys.emailKey("annavirtanen@example.com"))
        #expect(keys.emailKey("anna@gmail.com") != keys.emailKey("anna@example.com"))
    }

    @Test func configuredProvidersApply() {
        var configuration = MatchConfiguration.default
        configuration.emailProviders.append(EmailProviderRule(domains: ["proton.me", "protonmail.com", "pm.me"], ignoresDots: false))
        configuration.subaddressSeparators = ["+", "-"]
        let keys = LooseIdentifierKeys(configuration: configuration)
        #expect(keys.emailKey("anna@pm.me") == keys.emailKey("anna@protonmail.com"))
        #expect(keys.emailKey("anna-news@example.com") == keys.emailKey("anna@example.com"))
        #expect(keys.emailKey("a.nna@pm.me") != keys.emailKey("anna@proton.me"))
    }

    @Test func notAnAddressHasNoKey() {
        #expect(keys.emailKey("anna") == nil)
        #expect(keys.emailKey("anna@") == nil)
        #expect(keys.emailKey("@example.com") == nil)
    }

    func national(_ value: String) -> String? {
        keys.nationalDigits(value).map { String($0)! }
    }

    @Test func phoneKeyIsTheNationalNumberWhateverTheCallingCode() {
        #expect(national("+358401234567") == "401234567")
        // Entered without a country code and parsed under Sweden's.
        #expect(keys.phoneKey("+46401234567") == keys.phoneKey("+358401234567"))
        // Stored with the trunk zero kept.
        #expect(national("+3580401234567") == "401234567")
        #expect(keys.phoneKey("+3580401234567") == keys.phoneKey("+358401234567"))
        #expect(keys.phoneKey("+358401234568") != keys.phoneKey("+358401234567"))
    }

    @Test func shortOrMalformedNumbersHaveNoPhoneKey() {
        #expect(keys.phoneKey("+35812345") == nil)
        #expect(keys.phoneKey("0401234567") == nil)
        #expect(keys.phoneKey("+999123456789") == nil)
    }
}
