/// Parses phone numbers into E.164 the way libphonenumber's `parse` followed by
/// `is_possible_number` does, using only the length data of the numbering plan.
///
/// Accepted input: `+` or the default region's international prefix (`00`, `011` …) followed by a
/// country calling code, or a national number with or without the region's trunk prefix; digits
/// of any script; spaces, dashes, dots, slashes and parentheses as formatting. A trunk prefix after
/// the country code (`+44 (0)20 …`) is dropped as libphonenumber does.
struct PhoneNumberParser: Sendable {
    /// libphonenumber's bounds on a national significant number.
    static let minimumNationalLength = 2
    static let maximumNationalLength = 17

    let defaultRegionCode: String
    let defaultRegion: NumberingPlan.Entry?
    let allowedRegions: Set<String>?

    init(policy: PhonePolicy) {
        let code = policy.defaultRegion.uppercased()
        self.defaultRegionCode = code
        self.defaultRegion = NumberingPlan.byRegion[code]
        self.allowedRegions = policy.allowedRegions.map { Set($0.map { $0.uppercased() }) }
    }

    /// The E.164 form of a trimmed, non-empty phone number.
    func e164(_ input: String) throws(IdentifierError) -> String {
        let (digits, sawPlus) = try Self.scan(input)
        guard !digits.isEmpty else {
            throw IdentifierError(.invalidSyntax, reason: "a phone number needs digits")
        }

        var callingCode: Int
        var national: ArraySlice<UInt8>
        var planForTrunk: NumberingPlan.Entry?

        var international: ArraySlice<UInt8>?
        if sawPlus {
            international = digits[...]
        } else if let defaultRegion, let prefix = defaultRegion.internationalPrefixes.first(where: { digits.starts(with: $0.utf8) }) {
            let rest = digits.dropFirst(prefix.utf8.count)
            // libphonenumber: a country calling code never starts with 0, so then it is no prefix.
            if rest.first != UInt8(ascii: "0") { international = rest }
        }

        if let full = international {
            guard full.count > Self.minimumNationalLength else {
                throw IdentifierError(.invalidLength, reason: "too few digits after the international prefix")
            }
            guard let (code, rest) = Self.extractCallingCode(full) else {
                throw IdentifierError(.invalidCountryCode, reason: "the number does not start with an existing country calling code")
            }
            callingCode = code
            national = rest
            planForTrunk = NumberingPlan.byCallingCode[code]
        } else {
            guard let defaultRegion else {
                throw IdentifierError(.invalidCountryCode, reason: "the number has no country code and the default region \(defaultRegionCode) is not a known region")
            }
            callingCode = defaultRegion.callingCode
            national = digits[...]
            planForTrunk = defaultRegion
            // The default region's calling code without '+' or prefix (e.g. 358401234567).
            // libphonenumber decides with the region's number patterns; Solmu has only lengths and
            // takes the calling code off when the rest is a possible length or the whole is too long.
            let codeDigits = String(defaultRegion.callingCode).utf8
            if digits.starts(with: codeDigits) {
                var potential = digits.dropFirst(codeDigits.count)
                if let trunk = defaultRegion.nationalPrefix, potential.starts(with: trunk.utf8) {
                    potential = potential.dropFirst(trunk.utf8.count)
                }
                let fullCheck = defaultRegion.testLength(digits.count)
                if fullCheck == .tooLong || defaultRegion.possibleLengths.contains(potential.count) {
                    national = potential
                }
            }
        }

        guard national.count >= Self.minimumNationalLength else {
            throw IdentifierError(.invalidLength, reason: "a phone number has at least \(Self.minimumNationalLength) digits after the country code")
        }
        if let plan = planForTrunk, let trunk = plan.nationalPrefix, national.starts(with: trunk.utf8) {
            let potential = national.dropFirst(trunk.utf8.count)
            switch plan.testLength(potential.count) {
            case .possible, .tooLong: national = potential
            case .tooShort, .possibleLocalOnly, .invalidLength: break
            }
        }
        guard national.count >= Self.minimumNationalLength, national.count <= Self.maximumNationalLength else {
            throw IdentifierError(.invalidLength, reason: "a phone number has \(Self.minimumNationalLength) to \(Self.maximumNationalLength) digits after the country code, got \(national.count)")
        }
        guard let plan = NumberingPlan.byCallingCode[callingCode] else {
            throw IdentifierError(.invalidCountryCode, reason: "the country calling code has no numbering plan")
        }
        guard plan.testLength(national.count).isPossible else {
            throw IdentifierError(.invalidLength, reason: Self.lengthReason(plan, got: national.count))
        }
        if let allowedRegions {
            let regions = NumberingPlan.regionsByCallingCode[callingCode] ?? []
            guard regions.contains(where: allowedRegions.contains) else {
                throw IdentifierError(.regionNotAllowed, reason: "numbers from this country calling code are not allowed; allowed regions: \(allowedRegions.sorted().joined(separator: ", "))")
            }
        }
        var result = "+"
        result.reserveCapacity(1 + 3 + national.count)
        result += String(callingCode)
        result += String(decoding: national, as: UTF8.self)
        return result
    }

    private static func lengthReason(_ plan: NumberingPlan.Entry, got count: Int) -> String {
        let lengths = TextScanning.describe(lengths: plan.acceptedLengths)
        let subject = plan.region == "001" ? "a number with a non-geographic country code" : "a phone number in region \(plan.region)"
        return "\(subject) has \(lengths) digits after the country code and trunk prefix, got \(count)"
    }

    /// Country calling codes are prefix-free and 1 to 3 digits long; none starts with 0.
    private static func extractCallingCode(_ digits: ArraySlice<UInt8>) -> (Int, ArraySlice<UInt8>)? {
        guard let first = digits.first, first != UInt8(ascii: "0") else { return nil }
        var code = 0
        var index = digits.startIndex
        for _ in 0..<min(3, digits.count) {
            code = code * 10 + Int(digits[index] - UInt8(ascii: "0"))
            index += 1
            if NumberingPlan.byCallingCode[code] != nil {
                return (code, digits[index...])
            }
        }
        return nil
    }

    /// Collects ASCII digits and whether the number starts with '+'; rejects anything that is not
    /// formatting.
    static func scan(_ input: String) throws(IdentifierError) -> (digits: [UInt8], sawPlus: Bool) {
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        var sawPlus = false
        for scalar in input.unicodeScalars {
            if let value = TextScanning.decimalDigitValue(scalar) {
                digits.append(UInt8(ascii: "0") + value)
                continue
            }
            switch scalar {
            case "+", "\u{FF0B}":
                guard digits.isEmpty, !sawPlus else {
                    throw IdentifierError(.invalidSyntax, reason: "'+' may appear only once, at the start of a phone number")
                }
                sawPlus = true
            case " ", ".", "(", ")", "/", "-", "\u{FF0E}", "\u{FF08}", "\u{FF09}", "\u{FF0F}":
                continue
            default:
                if scalar.properties.isWhitespace || TextScanning.isDash(scalar) { continue }
                if scalar.properties.isAlphabetic {
                    throw IdentifierError(.invalidCharacter, reason: "a phone number may not contain letters; vanity numbers and extensions are not supported")
                }
                throw IdentifierError(.invalidCharacter, reason: "a phone number may contain only digits, '+', spaces, dashes, dots, slashes and parentheses")
            }
        }
        return (digits, sawPlus)
    }
}
