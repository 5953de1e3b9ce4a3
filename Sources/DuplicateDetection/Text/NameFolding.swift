/// Folds a personal name into comparable tokens: lowercase, diacritics removed (`Mäkinen` →
/// `makinen`, `Øster` → `oster`, `Straße` → `strasse`), split at spaces, hyphens and dots, with
/// apostrophes dropped inside a token (`O'Brien` → `obrien`).
///
/// Latin letters (U+00C0–U+024F) fold through a fixed table; other letters (Cyrillic, Greek …)
/// are only lowercased; digits and symbols separate tokens.
enum NameFolding {
    /// At most this many tokens are kept per name; more only add cost.
    static let maximumTokens = 4

    /// The folded tokens of `name`, in order.
    static func tokens(_ name: String) -> [[UInt8]] {
        var tokens: [[UInt8]] = []
        var current: [UInt8] = []
        current.reserveCapacity(16)
        func flush() {
            if !current.isEmpty {
                if tokens.count < maximumTokens { tokens.append(current) }
                current.removeAll(keepingCapacity: true)
            }
        }
        for scalar in name.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                let byte = UInt8(value)
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"): current.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): current.append(byte | 0x20)
                case UInt8(ascii: "'"), UInt8(ascii: "`"): continue
                default: flush()
                }
                continue
            }
            switch value {
            case 0x2019, 0x02BC, 0x00B4:
                continue // typographic apostrophes and the acute accent used as one
            case 0xC0..<0x250:
                let folded = latinTable[Int(value - 0xC0)]
                if folded.isEmpty { foldOther(scalar, into: &current, flush: flush) } else { current.append(contentsOf: folded) }
            default:
                foldOther(scalar, into: &current, flush: flush)
            }
        }
        flush()
        return tokens
    }

    private static func foldOther(_ scalar: Unicode.Scalar, into current: inout [UInt8], flush: () -> Void) {
        let properties = scalar.properties
        if properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark {
            return // a combining accent of decomposed input
        }
        if properties.isAlphabetic {
            current.append(contentsOf: properties.lowercaseMapping.utf8)
        } else {
            flush()
        }
    }

    /// U+00C0 to U+024F, space separated; `.` marks a character without a plain Latin base (such as
    /// `×`), which takes the general path. Generated from Unicode's canonical decompositions, with
    /// the letters that have none (`æ`, `ø`, `ß`, `þ`, `ð`, `ł` …) spelled out by hand.
    private static let latinTable: [[UInt8]] = {
        let table = """
        a a a a a a ae c e e e e i i i i d n o o o o o . o u u u u y th ss a a a a a a ae c e e e e i i \
        i i d n o o o o o . o u u u u y th y a a a a a a c c c c c c c c d d d d e e e e e e e e e e g \
        g g g g g g g h h h h i i i i i i i i i i ij ij j j k k k l l l l l l l l l l n n n n n n n n n \
        o o o o o o oe oe r r r r r r s s s s s s s s t t t t t t u u u u u u u u u u u u w w y y y z z \
        z z z z s b b . . . . o c c d d . . . . . e f f g . . . i k k l . . n n o o o . . p p . . . . . \
        t t t t u u . v y y z z . . . . . . . . . . . . . dz dz dz lj lj lj nj nj nj a a i i o o u u u \
        u u u u u u u . a a a a ae ae g g g g k k o o o o . . j dz dz dz g g . . n n a a ae ae o o a a \
        a a e e e e i i i i o o o o r r r r u u u u s s t t . . h h . d . . z z a a e e o o o o o o o o \
        y y l n t j db qp a c c l t s z . . b u v e e j j . . r r y y
        """
        let entries = table.split(separator: " ").map { $0 == "." ? [] : Array($0.utf8) }
        precondition(entries.count == 0x250 - 0xC0, "the Latin folding table has one entry per code point")
        return entries
    }()
}
