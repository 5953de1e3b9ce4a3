/// How the card numbers of one loyalty program look.
public struct LoyaltyProgramPolicy: Sendable, Equatable {
    /// The characters a card number is made of.
    public enum Alphabet: String, Sendable, Equatable, Codable {
        /// ASCII digits only (any script's decimal digits are folded to ASCII).
        case digits
        /// ASCII letters and digits; letters are uppercased.
        case alphanumeric
    }

    /// The fewest characters, after removing spaces and dashes.
    public var minLength: Int
    /// The most characters, after removing spaces and dashes.
    public var maxLength: Int
    /// The alphabet; alphanumeric values are uppercased.
    public var alphabet: Alphabet
    /// Whether the last digit is a Luhn check digit (digits only).
    public var luhn: Bool
    /// Accepted prefixes (uppercase for alphanumeric programs); empty accepts any prefix.
    public var prefixes: [String]

    /// Creates a loyalty program policy.
    /// - Parameters:
    ///   - minLength: The fewest characters.
    ///   - maxLength: The most characters.
    ///   - alphabet: The alphabet.
    ///   - luhn: Whether a Luhn check digit is verified.
    ///   - prefixes: Accepted prefixes; empty accepts any.
    public init(minLength: Int, maxLength: Int, alphabet: Alphabet = .digits, luhn: Bool = false, prefixes: [String] = []) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.alphabet = alphabet
        self.luhn = luhn
        self.prefixes = prefixes
    }
}
