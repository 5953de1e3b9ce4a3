import Testing
import Identifiers

@Suite struct E164NumberTests {
    @Test(arguments: [
        ("+358401234567", 358, "401234567"),
        ("+46701234567", 46, "701234567"),
        ("+16502530000", 1, "6502530000"),
        ("+442079460000", 44, "2079460000"),
        ("+80012345678", 800, "12345678"),
        ("+3580401234567", 358, "0401234567"),
        ("+390612345678", 39, "0612345678"),
    ])
    func splitsCallingCode(input: String, code: Int, national: String) throws {
        let number = try #require(E164Number(input))
        #expect(number.callingCode == code)
        #expect(number.nationalNumber == national)
        #expect(number.e164 == input)
    }

    @Test(arguments: ["", "+", "358401234567", "+0401234567", "+999123456", "+358 40 123", "+3584", "+358123456789012345678", "+35840a234567"])
    func rejectsWhatIsNotE164(input: String) {
        #expect(E164Number(input) == nil)
    }

    @Test func regionsOfSharedCallingCode() throws {
        let us = try #require(E164Number("+16502530000"))
        #expect(us.regions.first == "US")
        #expect(us.regions.contains("CA"))
        #expect(try #require(E164Number("+358401234567")).regions.contains("FI"))
    }
}
