/// Normalizes loyalty card numbers: NFKC, spaces and dashes removed, uppercase letters.
enum LoyaltyCardNormalizer {
    /// The normalized card number of a trimmed, non-empty input.
    static func normalize(_ value: String, program: LoyaltyProgramPolicy) throws(IdentifierError) -> String {
        let folded = TextScanning.nfkc(value)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(folded.utf8.count)
        for scalar in folded.unicodeScalars {
            if let digit = TextScanning.decimalDigitValue(scalar) {
                bytes.append(UInt8(ascii: "0") + digit)
            } else if scalar.properties.isWhitespace || TextScanning.isDash(scalar) {
                continue
            } else if program.alphabet == .alphanumeric, scalar.isASCII, scalar.properties.isAlphabetic {
                bytes.append(UInt8(scalar.value) & ~0x20)
            } else {
                throw IdentifierError(.invalidCharacter, reason: program.alphabet == .digits
                    ? "a card number of this program contains only digits (spaces and dashes are ignored)"
                    : "a card number of this program contains only letters A-Z and digits (spaces and dashes are ignored)")
            }
        }
        guard !bytes.isEmpty else {
            throw IdentifierError(.empty, reason: "the card number has no digits")
        }
        let unit = program.alphabet == .digits ? "digit" : "character"
        let expected = TextScanning.describe(program.minLength...max(program.minLength, program.maxLength))
        guard bytes.count >= program.minLength else {
            throw IdentifierError(.tooShort, reason: "a card number of this program has \(expected) \(unit)s, got \(bytes.count)")
        }
        guard bytes.count <= program.maxLength else {
            throw IdentifierError(.tooLong, reason: "a card number of this program has \(expected) \(unit)s, got \(bytes.count)")
        }
        if !program.prefixes.isEmpty, !program.prefixes.contains(where: { bytes.starts(with: $0.uppercased().utf8) }) {
            throw IdentifierError(.invalidSyntax, reason: "the card number does not start with one of the program's \(program.prefixes.count == 1 ? "prefix" : "\(program.prefixes.count) prefixes")")
        }
        if program.luhn {
            guard bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                throw IdentifierError(.invalidCharacter, reason: "a card number with a Luhn check digit contains only digits")
            }
            guard Luhn.isValid(bytes) else {
                throw IdentifierError(.checksumFailed, reason: "the Luhn check digit does not match")
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
