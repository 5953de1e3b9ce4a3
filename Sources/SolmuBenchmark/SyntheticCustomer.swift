import SeededRandom

/// One generated customer: three identifiers that are unique across the data set, and a profile.
///
/// A customer is a pure function of the seed and its index, so the sample of identifiers to query
/// can be drawn again without reading the NDJSON file (`--skip-import`).
struct SyntheticCustomer {
    /// The e-mail address as written in the file; some are capitalized to exercise normalization.
    let email: String
    /// The national significant number, e.g. `401234567` for `+358 40 123 4567`.
    let phoneNational: String
    /// A 16-digit `plussa` card number with its Luhn check digit.
    let card: String
    let givenName: String
    let familyName: String

    var phoneInternational: String { "+358" + phoneNational }

    /// Subscriber numbers per mobile prefix: 7 digits, without 0000000 (`+358 40 000 0000` is a
    /// blocked test number in policies/links.yaml).
    private static let subscribersPerPrefix: UInt64 = 9_999_999
    /// The largest data set whose phone numbers stay unique (`+35840…` and `+35850…`).
    static let maximumCount = Int(2 * subscribersPerPrefix)

    init(index: Int, seed: UInt64) {
        var random = SeededGenerator(seed: seed ^ (UInt64(index) &* 0xD6E8_FEB8_6659_FD93))
        givenName = Self.givenNames.randomElement(using: &random)!
        familyName = Self.familyNames.randomElement(using: &random)!
        let domain = Self.domains.randomElement(using: &random)!
        let local = "\(givenName).\(familyName).\(String(index, radix: 36))"
        email = (Bool.random(using: &random) ? local : local.lowercased()) + "@" + domain

        // Affine maps with a multiplier coprime to the modulus are bijections: unique by construction.
        let phoneSpace = UInt64(Self.maximumCount)  // 2 × 3² × 239 × 4649: 7,654,321 is coprime
        let phone = (UInt64(index) &* 7_654_321 &+ seed % phoneSpace) % phoneSpace
        let subscriber = 1 + phone % Self.subscribersPerPrefix
        phoneNational = (phone < Self.subscribersPerPrefix ? "40" : "50") + Self.zeroPadded(subscriber, width: 7)

        let cardSpace: UInt64 = 100_000_000_000
        let body = (UInt64(index) &* 3_141_592_653 &+ seed % cardSpace) % cardSpace
        let payload = "6012" + Self.zeroPadded(body, width: 11)
        card = payload + String(Self.luhnCheckDigit(payload))
    }

    /// The NDJSON line `solmu import` reads. Every value is plain ASCII, so nothing needs escaping.
    var ndjsonLine: String {
        #"{"identifiers":[{"kind":"email","value":"\#(email)"},{"kind":"phone","value":"\#(phoneInternational)"},"#
            + #"{"kind":"loyalty_card","namespace":"plussa","value":"\#(card)"}],"#
            + #""profile":{"given_name":"\#(givenName)","family_name":"\#(familyName)","country":"FI"}}"#
            + "\n"
    }

    /// The digit that makes `payload` + digit pass the Luhn check.
    static func luhnCheckDigit(_ payload: String) -> Int {
        var sum = 0
        for (offset, character) in payload.reversed().enumerated() {
            var digit = character.wholeNumberValue!
            if offset % 2 == 0 {  // doubled: the check digit will be the rightmost, undoubled position
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        return (10 - sum % 10) % 10
    }

    private static func zeroPadded(_ value: UInt64, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    // ASCII only, so that lines need no JSON escaping.
    private static let givenNames = [
        "Aino", "Eino", "Helmi", "Onni", "Aada", "Leo", "Sofia", "Elias", "Olivia", "Vaino",
        "Emma", "Oliver", "Lilja", "Eetu", "Isla", "Niilo", "Ellen", "Toivo", "Pihla", "Lauri",
    ]
    private static let familyNames = [
        "Korhonen", "Virtanen", "Makinen", "Nieminen", "Makela", "Hamalainen", "Laine", "Heikkinen",
        "Koskinen", "Jarvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi",
    ]
    private static let domains = ["example.fi", "example.com", "example.net", "example.org", "mail.example"]
}
