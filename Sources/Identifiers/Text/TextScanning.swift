import Foundation

/// Small text helpers shared by the normalizers. ASCII input takes fast paths that skip
/// Foundation's Unicode normalization.
enum TextScanning {
    /// Inputs longer than this many UTF-8 bytes are rejected before any other work.
    static let maximumInputLength = 1024

    /// Whether every byte is ASCII.
    @inline(__always)
    static func isASCII(_ text: some StringProtocol) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// `text` without Unicode whitespace at either end.
    static func trimmingWhitespace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last,
              first.properties.isWhitespace || last.properties.isWhitespace
        else { return text }
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }

    /// NFKC (compatibility composition): folds full-width forms, ligatures and the like.
    static func nfkc(_ text: String) -> String {
        isASCII(text) ? text : text.precomposedStringWithCompatibilityMapping
    }

    /// NFC (canonical composition).
    static func nfc(_ text: String) -> String {
        isASCII(text) ? text : text.precomposedStringWithCanonicalMapping
    }

    /// ASCII-only lowercasing; other characters are kept.
    static func asciiLowercased(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return text }
        return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// Whether the scalar is a hyphen or dash: ASCII `-`, Unicode dash punctuation (`‐ – —` …) or
    /// the minus sign.
    @inline(__always)
    static func isDash(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "-" { return true }
        if scalar.isASCII { return false }
        return scalar.properties.generalCategory == .dashPunctuation || scalar == "\u{2212}" || scalar == "\u{FE63}" || scalar == "\u{FF0D}"
    }

    /// The value of a Unicode decimal digit of any script (`0`, `０`, `٠`, `०` …), else `nil`.
    @inline(__always)
    static func decimalDigitValue(_ scalar: Unicode.Scalar) -> UInt8? {
        if scalar.value >= 0x30 && scalar.value <= 0x39 { return UInt8(scalar.value - 0x30) }
        if scalar.isASCII { return nil }
        let properties = scalar.properties
        guard properties.numericType == .decimal, let value = properties.numericValue else { return nil }
        return UInt8(value)
    }

    /// A set of allowed characters, with a fast ASCII bitmap.
    struct CharacterSet: Sendable, Equatable {
        private var low: UInt64 = 0
        private var high: UInt64 = 0
        private var other: Set<Character> = []

        init(_ characters: String) {
            for character in characters {
                if let ascii = character.asciiValue {
                    if ascii < 64 { low |= 1 << UInt64(ascii) } else { high |= 1 << UInt64(ascii - 64) }
                } else {
                    other.insert(character)
                }
            }
        }

        @inline(__always)
        func contains(_ character: Character) -> Bool {
            if let ascii = character.asciiValue {
                return ascii < 64 ? low & (1 << UInt64(ascii)) != 0 : high & (1 << UInt64(ascii - 64)) != 0
            }
            return other.contains(character)
        }
    }

    /// Describes a length range for error messages: "5 to 12", "8".
    static func describe(_ range: ClosedRange<Int>) -> String {
        range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
    }

    /// Describes a set of lengths for error messages: "5 to 12", "7, 9 or 10", "8".
    static func describe(lengths: [Int]) -> String {
        guard let first = lengths.first, let last = lengths.last else { return "no" }
        if lengths.count == last - first + 1 { return describe(first...last) }
        let head = lengths.dropLast().map(String.init).joined(separator: ", ")
        return "\(head) or \(last)"
    }

    /// "1 character" / "3 characters".
    static func count(_ value: Int, _ noun: String) -> String {
        value == 1 ? "1 \(noun)" : "\(value) \(noun)s"
    }
}
