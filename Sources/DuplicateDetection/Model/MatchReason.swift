/// One piece of evidence for or against two customers being one person, with the weight it added
/// to the score.
///
/// The detail explains the evidence in words and never contains an identifier value or a profile
/// value, so reasons can be shown to operators and logged.
public struct MatchReason: Sendable, Codable, Equatable, Hashable {
    /// What was found.
    public var code: Code
    /// What the evidence added to the score; negative for evidence against.
    public var weight: Double
    /// A sentence for people, without personal data.
    public var detail: String

    /// Creates a reason.
    /// - Parameters:
    ///   - code: What was found.
    ///   - weight: What it added to the score.
    ///   - detail: A sentence without personal data.
    public init(code: Code, weight: Double, detail: String) {
        self.code = code
        self.weight = weight
        self.detail = detail
    }

    /// The kinds of evidence, with their wire names. `docs/duplicates.md` lists their default
    /// weights.
    public enum Code: String, Sendable, Codable, CaseIterable, Hashable {
        /// A link was refused because its identifier already belonged to the other customer.
        case refusedLink = "refused_link"
        /// Both customers have the same e-mail address.
        case emailEqual = "email_equal"
        /// E-mail addresses equal after removing sub-addressing and provider dots, and provider
        /// aliases such as googlemail.com for gmail.com.
        case emailLooseEqual = "email_loose_equal"
        /// Both customers have the same phone number.
        case phoneEqual = "phone_equal"
        /// Phone numbers with the same national significant number under a different calling
        /// code, or with a trunk zero kept.
        case phoneLooseEqual = "phone_loose_equal"
        /// Both customers have the same social account, loyalty card or receipt.
        case identifierEqual = "identifier_equal"
        /// Given names equal, ignoring case and diacritics.
        case givenNameEqual = "given_name_equal"
        /// One of several given names in common.
        case givenNamePartial = "given_name_partial"
        /// Given names are variants of one name (William and Bill, Johannes and Jussi).
        case givenNameNickname = "given_name_nickname"
        /// Given names differ by a typo (Jaro–Winkler at or above the similarity threshold).
        case givenNameSimilar = "given_name_similar"
        /// Given names clearly differ.
        case givenNameDifferent = "given_name_different"
        /// Family names equal, ignoring case and diacritics.
        case familyNameEqual = "family_name_equal"
        /// One part of a multi-part family name in common.
        case familyNamePartial = "family_name_partial"
        /// Family names differ by a typo.
        case familyNameSimilar = "family_name_similar"
        /// Family names clearly differ.
        case familyNameDifferent = "family_name_different"
        /// Given and family name swapped between the two customers.
        case namesSwapped = "names_swapped"
        /// Birth dates equal.
        case birthdateEqual = "birthdate_equal"
        /// Birth dates equal but for day and month swapped.
        case birthdateDayMonthSwapped = "birthdate_day_month_swapped"
        /// Birth dates differ in one digit or by two adjacent digits swapped.
        case birthdateOneTypo = "birthdate_one_typo"
        /// Birth dates differ.
        case birthdateDifferent = "birthdate_different"
        /// Postal codes equal.
        case postalCodeEqual = "postal_code_equal"
        /// Postal codes differ.
        case postalCodeDifferent = "postal_code_different"
    }
}
