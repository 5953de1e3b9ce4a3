import Foundation
import IdentityGraph
import Testing

struct ProfileTests {
    let today = Date(timeIntervalSince1970: 1_790_000_000) // 2026-09-21

    @Test func normalizationTrimsAndCanonicalizes() throws {
        let profile = try Profile(givenName: "  Anna\u{0301} ", familyName: "Virtanen", birthdate: "1990-02-28",
                                  postalCode: "00100 ", country: "fi", locale: "fi-FI").normalized(today: today)
        #expect(profile.givenName == "Anná")
        #expect(profile.postalCode == "00100")
        #expect(profile.country == "FI")
        #expect(try Profile(givenName: "   ").normalized(today: today).givenName == nil)
    }

    @Test(arguments: [
        (Profile(birthdate: "1990-02-30"), "birthdate"),
        (Profile(birthdate: "90-02-01"), "birthdate"),
        (Profile(birthdate: "2099-01-01"), "birthdate"),
        (Profile(birthdate: "1899-12-31"), "birthdate"),
        (Profile(country: "FIN"), "country"),
        (Profile(country: "F1"), "country"),
        (Profile(locale: "fi_FI"), "locale"),
        (Profile(postalCode: "00100;DROP"), "postal_code"),
        (Profile(givenName: String(repeating: "a", count: 201)), "given_name"),
        (Profile(familyName: "Vir\u{0007}tanen"), "family_name"),
        (Profile(givenName: "An\u{200E}na"), "given_name"),
        (Profile(givenName: "An\u{7F}na"), "given_name"),
        (Profile(familyName: "Vir\ttanen"), "family_name"),
    ])
    func invalidFieldsAreNamed(profile: Profile, field: String) {
        #expect(throws: ProfileError.self) { try profile.normalized(today: today) }
        do {
            _ = try profile.normalized(today: today)
        } catch {
            #expect(error.field == field)
        }
    }

    /// ASCII takes a shorter path than other text; both trim and normalize alike.
    @Test func asciiAndOtherTextNormalizeAlike() throws {
        for (given, expected) in [
            ("Anna", "Anna"), ("Anna-Liisa O'Neil", "Anna-Liisa O'Neil"), (" Anna", "Anna"), ("Anna\n", "Anna"),
            ("Anna\u{00A0}", "Anna"), ("\u{3000}Anna", "Anna"), ("Åsa", "Åsa"), ("A\u{030A}sa", "Åsa"),
        ] {
            #expect(try Profile(givenName: given).normalized(today: today).givenName == expected, "\(given.unicodeScalars.map(\.value))")
        }
    }

    @Test func decodingRefusesUnknownFields() throws {
        let decoded = try JSONDecoder().decode(Profile.self, from: Data(#"{"given_name":"Anna","postal_code":"00100"}"#.utf8))
        #expect(decoded == Profile(givenName: "Anna", postalCode: "00100"))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Profile.self, from: Data(#"{"given_name":"Anna","favourite_colour":"red"}"#.utf8))
        }
    }
}
