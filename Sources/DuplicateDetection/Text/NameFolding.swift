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
