/// Normalizes receipt references `<terminal><separator><number>` to `<terminal>-<number>`.
struct ReceiptNormalizer: Sendable {
    let policy: ReceiptPolicy
    private let storeCharacters: TextScanning.CharacterSet

    init(policy: ReceiptPolicy) {
        self.policy = policy
        self.storeCharacters = TextScanning.CharacterSet(policy.storeIDCharacters)
    }

    /// Checks an already trimmed and lowercased store namespace against the policy.
    func validateStore(_ store: String) throws(IdentifierError) -> String {
        var count = 0
        for character in store {
            guard storeCharacters.contains(character) else {
                throw IdentifierError(.invalidCharacter, reason: "a store id may contain only the characters \(policy.storeIDCharacters.compactedDescription)")
            }
            count += 1
        }
        guard count <= policy.storeIDMaxLength else {
            throw IdentifierError(.tooLong, reason: "a store id has at most \(policy.storeIDMaxLength) characters, got \(count)")
        }
        return store
    }

    /// The normalized value of a trimmed, non-empty receipt reference.
    func normalize(_ value: String, store: String) throws(IdentifierError) -> String {
        let format = policy.format(forStore: store)
        let separators = Set(format.separators.unicodeScalars)
        let spaceSeparates = separators.contains(" ")
        var terminal: [UInt8] = []
        var number: [UInt8] = []
        var separatorCount = 0
        var sawGap = false  // whitespace between the terminal and the number
        for scalar in TextScanning.nfkc(value).unicodeScalars {
            if let digit = TextScanning.decimalDigitValue(scalar) {
                if separatorCount == 0 && !sawGap {
                    terminal.append(UInt8(ascii: "0") + digit)
                } else {
                    number.append(UInt8(ascii: "0") + digit)
                }
                continue
            }
            if scalar.properties.isAlphabetic {
                throw IdentifierError(.invalidCharacter, reason: "a receipt reference contains only digits and a separator")
            }
            guard number.isEmpty else {
                throw IdentifierError(.invalidSyntax, reason: "a receipt reference has exactly two digit groups: the terminal and the receipt number")
            }
            if scalar.properties.isWhitespace {
                sawGap = true
            } else if separators.contains(scalar) {
                separatorCount += 1
                guard separatorCount == 1 else {
                    throw IdentifierError(.invalidSyntax, reason: "a receipt reference has one separator between the terminal and the receipt number")
                }
            } else if scalar.properties.isAlphabetic {
                throw IdentifierError(.invalidCharacter, reason: "a receipt reference contains only digits and a separator")
            } else {
                throw IdentifierError(.invalidCharacter, reason: "the terminal and the receipt number are separated by one of \(Self.describe(format.separators))")
            }
        }
        if separatorCount == 0 && sawGap && !spaceSeparates {
            throw IdentifierError(.invalidSyntax, reason: "the terminal and the receipt number are separated by one of \(Self.describe(format.separators))")
        }
        guard !terminal.isEmpty, !number.isEmpty, separatorCount == 1 || sawGap else {
            throw IdentifierError(.invalidSyntax, reason: "a receipt reference is a terminal number and a receipt number separated by one of \(Self.describe(format.separators))")
        }
        guard format.terminalDigits.contains(terminal.count) else {
            throw IdentifierError(.invalidLength, reason: "the terminal number has \(TextScanning.describe(format.terminalDigits)) digits, got \(terminal.count)")
        }
        guard format.numberDigits.contains(number.count) else {
            throw IdentifierError(.invalidLength, reason: "the receipt number has \(TextScanning.describe(format.numberDigits)) digits, got \(number.count)")
        }
        return Self.withoutLeadingZeros(terminal) + "-" + Self.withoutLeadingZeros(number)
    }

    private static func withoutLeadingZeros(_ digits: [UInt8]) -> String {
        let trimmed = digits.drop(while: { $0 == UInt8(ascii: "0") })
        return trimmed.isEmpty ? "0" : String(decoding: trimmed, as: UTF8.self)
    }

    private static func describe(_ separators: String) -> String {
        separators.map { $0 == " " ? "space" : "'\($0)'" }.joined(separator: ", ")
    }
}
