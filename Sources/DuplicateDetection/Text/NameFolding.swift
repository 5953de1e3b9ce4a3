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
        var folder = NameFolder()
        folder.fold(name)
        return (0..<folder.tokenCount).map { Array(folder.token($0)) }
    }

    /// U+00C0 to U+024F, space separated; `.` marks a character without a plain Latin base (such as
    /// `×`), which takes the general path. Generated from Unicode's canonical decompositions, with
    /// the letters that have none (`æ`, `ø`, `ß`, `þ`, `ð`, `ł` …) spelled out by hand.
    static let latinTable: [[UInt8]] = {
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

/// Folds names into reusable buffers, so that folding a million names allocates almost nothing.
struct NameFolder {
    /// The folded tokens, back to back.
    private(set) var bytes: [UInt8] = []
    /// Where each token ends in `bytes`.
    private var ends: [Int] = []

    init() {
        bytes.reserveCapacity(64)
        ends.reserveCapacity(NameFolding.maximumTokens)
    }

    var tokenCount: Int { ends.count }

    /// Token `index`.
    func token(_ index: Int) -> ArraySlice<UInt8> {
        bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
    }

    /// All tokens joined.
    var joined: ArraySlice<UInt8> { bytes[0..<(ends.last ?? 0)] }

    /// Folds `name`, replacing what was there.
    mutating func fold(_ name: String) {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        let utf8 = name.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in utf8 { foldASCII(byte) }
        } else {
            for scalar in name.unicodeScalars {
                if scalar.isASCII { foldASCII(UInt8(scalar.value)) } else { foldOther(scalar) }
            }
        }
        endToken()
    }

    @inline(__always)
    private mutating func foldASCII(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): append(byte)
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): append(byte | 0x20)
        case UInt8(ascii: "'"), UInt8(ascii: "`"): break
        default: endToken()
        }
    }

    private mutating func foldOther(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        switch value {
        case 0x2019, 0x02BC, 0x00B4:
            return // typographic apostrophes and the acute accent used as one
        case 0xC0..<0x250:
            let folded = NameFolding.latinTable[Int(value - 0xC0)]
            if !folded.isEmpty {
                for byte in folded { append(byte) }
                return
            }
        default:
            break
        }
        let properties = scalar.properties
        if properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark {
            return // a combining accent of decomposed input
        }
        if properties.isAlphabetic {
            for byte in properties.lowercaseMapping.utf8 { append(byte) }
        } else {
            endToken()
        }
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        guard ends.count < NameFolding.maximumTokens else { return }
        bytes.append(byte)
    }

    private mutating func endToken() {
        let start = ends.last ?? 0
        if bytes.count > start && ends.count < NameFolding.maximumTokens { ends.append(bytes.count) }
    }
}
