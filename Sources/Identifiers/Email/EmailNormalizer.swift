/// Email address normalization: NFKC, lowercase, a dot-atom local part (RFC 5322, with UTF-8
/// letters per RFC 6531) and an IDNA domain in its ASCII (punycode) form.
enum EmailNormalizer {
    /// RFC 5321 limits.
    static let maximumLocalPartOctets = 64
    static let maximumLabelOctets = 63
    static let maximumDomainOctets = 253
    static let maximumAddressOctets = 254

    /// RFC 5322 `atext` besides letters and digits.
    private static let atextSymbols = TextScanning.CharacterSet("!#$%&'*+-/=?^_`{|}~")

    /// Normalizes a trimmed, non-empty address.
    static func normalize(_ input: String) throws(IdentifierError) -> String {
        let folded: String
        if TextScanning.isASCII(input) {
            folded = TextScanning.asciiLowercased(input)
        } else {
            // NFKC folds full-width forms (＠, Ａ, ０); lowercasing can denormalize, so compose again.
            folded = TextScanning.nfc(TextScanning.nfkc(input).lowercased())
        }
        let bytes = Array(folded.utf8)
        if bytes.first == UInt8(ascii: "\"") {
            throw IdentifierError(.invalidSyntax, reason: "quoted local parts are not supported")
        }
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")) else {
            throw IdentifierError(.invalidSyntax, reason: "an email address needs an '@' between the local part and the domain")
        }
        guard bytes[(at + 1)...].firstIndex(of: UInt8(ascii: "@")) == nil else {
            throw IdentifierError(.invalidSyntax, reason: "an email address has exactly one '@', got more")
        }
        let local = bytes[..<at]
        try validateLocalPart(local)
        let domain = try normalizeDomain(bytes[(at + 1)...])
        let total = local.count + 1 + domain.utf8.count
        guard total <= maximumAddressOctets else {
            throw IdentifierError(.tooLong, reason: "an email address has at most \(maximumAddressOctets) octets, got \(total)")
        }
        return String(decoding: local, as: UTF8.self) + "@" + domain
    }

    private static func validateLocalPart(_ local: ArraySlice<UInt8>) throws(IdentifierError) {
        guard !local.isEmpty else {
            throw IdentifierError(.invalidSyntax, reason: "the local part (before the '@') is empty")
        }
        guard local.count <= maximumLocalPartOctets else {
            throw IdentifierError(.tooLong, reason: "the local part is longer than \(maximumLocalPartOctets) octets (\(local.count))")
        }
        let dot = UInt8(ascii: ".")
        if local.first == dot || local.last == dot {
            throw IdentifierError(.invalidSyntax, reason: "the local part may not start or end with a dot")
        }
        var previous: UInt8 = 0
        var hasNonASCII = false
        for byte in local {
            if byte == dot && previous == dot {
                throw IdentifierError(.invalidSyntax, reason: "the local part may not contain two dots in a row")
            }
            previous = byte
            if byte >= 0x80 {
                hasNonASCII = true
            } else if !isASCIIAtext(byte) && byte != dot {
                throw invalidLocalCharacter(byte)
            }
        }
        if hasNonASCII {
            for scalar in String(decoding: local, as: UTF8.self).unicodeScalars where !scalar.isASCII {
                guard isInternationalText(scalar) else {
                    throw IdentifierError(.invalidCharacter, reason: "the local part may contain only letters, digits, dots and the symbols !#$%&'*+-/=?^_`{|}~")
                }
            }
        }
    }

    private static func invalidLocalCharacter(_ byte: UInt8) -> IdentifierError {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"):
            IdentifierError(.invalidCharacter, reason: "the local part contains whitespace")
        case UInt8(ascii: "\""), UInt8(ascii: "\\"):
            IdentifierError(.invalidCharacter, reason: "quoted local parts and escapes are not supported")
        case 0..<0x20, 0x7F:
            IdentifierError(.invalidCharacter, reason: "the local part contains a control character")
        default:
            IdentifierError(.invalidCharacter, reason: "the local part may contain only letters, digits, dots and the symbols !#$%&'*+-/=?^_`{|}~")
        }
    }

    @inline(__always)
    private static func isASCIIAtext(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            atextSymbols.contains(Character(Unicode.Scalar(byte)))
        }
    }

    /// Non-ASCII characters allowed in local parts and domain labels: letters, marks and digits.
    private static func isInternationalText(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber:
            true
        default:
            false
        }
    }

    /// Maps the domain to its ASCII form and checks it.
    static func normalizeDomain(_ input: ArraySlice<UInt8>) throws(IdentifierError) -> String {
        var domain = Array(input)
        guard !domain.isEmpty else {
            throw IdentifierError(.invalidSyntax, reason: "the domain (after the '@') is empty")
        }
        if domain.first == UInt8(ascii: "[") {
            throw IdentifierError(.invalidSyntax, reason: "IP-literal domains are not supported")
        }
        if domain.contains(where: { $0 >= 0x80 }) {
            // IDNA label separators: 。 (U+3002); ．and ｡ were folded by NFKC already.
            domain = Array(String(decoding: domain, as: UTF8.self).replacingIdeographicFullStops().utf8)
        }
        if domain.last == UInt8(ascii: ".") { domain.removeLast() }
        guard !domain.isEmpty else {
            throw IdentifierError(.invalidSyntax, reason: "the domain (after the '@') is empty")
        }
        var labels: [String] = []
        for label in domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            labels.append(try asciiLabel(label))
        }
        guard labels.count >= 2 else {
            throw IdentifierError(.invalidSyntax, reason: "the domain needs at least two labels, e.g. example.com")
        }
        if labels[labels.count - 1].utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            throw IdentifierError(.invalidSyntax, reason: "the top-level domain is all digits; IP addresses are not supported as domains")
        }
        let result = labels.joined(separator: ".")
        guard result.utf8.count <= maximumDomainOctets else {
            throw IdentifierError(.tooLong, reason: "the domain is longer than \(maximumDomainOctets) octets (\(result.utf8.count))")
        }
        return result
    }

    private static func asciiLabel(_ label: ArraySlice<UInt8>) throws(IdentifierError) -> String {
        guard !label.isEmpty else {
            throw IdentifierError(.invalidSyntax, reason: "the domain has an empty label (two dots in a row or a leading dot)")
        }
        let ascii: String
        if label.allSatisfy({ $0 < 0x80 }) {
            ascii = String(decoding: label, as: UTF8.self)
            if label.starts(with: "xn--".utf8) {
                guard Punycode.decode(String(ascii.dropFirst(4))) != nil else {
                    throw IdentifierError(.invalidSyntax, reason: "a domain label starting with xn-- is not valid punycode")
                }
            }
        } else {
            let unicode = String(decoding: label, as: UTF8.self)
            for scalar in unicode.unicodeScalars where !scalar.isASCII {
                guard isInternationalText(scalar) else {
                    throw IdentifierError(.invalidCharacter, reason: "a domain label may contain only letters, digits and hyphens")
                }
            }
            guard let encoded = Punycode.encode(unicode) else {
                throw IdentifierError(.tooLong, reason: "a domain label is longer than \(maximumLabelOctets) octets")
            }
            ascii = "xn--" + encoded
        }
        let bytes = ascii.utf8
        guard bytes.count <= maximumLabelOctets else {
            throw IdentifierError(.tooLong, reason: "a domain label is longer than \(maximumLabelOctets) octets (\(bytes.count))")
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                continue
            case UInt8(ascii: "_"):
                throw IdentifierError(.invalidCharacter, reason: "a domain label may not contain '_'; only letters, digits and hyphens")
            default:
                throw IdentifierError(.invalidCharacter, reason: "a domain label may contain only letters, digits and hyphens")
            }
        }
        if bytes.first == UInt8(ascii: "-") || bytes.last == UInt8(ascii: "-") {
            throw IdentifierError(.invalidSyntax, reason: "a domain label may not start or end with a hyphen")
        }
        return ascii
    }
}

extension String {
    /// Replaces the ideographic full stop (U+3002), an IDNA label separator, with '.'.
    fileprivate func replacingIdeographicFullStops() -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            scalars.append(scalar == "\u{3002}" ? "." : scalar)
        }
        return String(scalars)
    }
}
