/// A coarse phonetic key for family names, used only to form blocks: Soundex adapted to Nordic
/// spellings (`w` = `v`, `c`/`q` = `k`, `z` = `s`, `ph` = `f`), with the first letter mapped too so
/// that `Wirtanen` and `Virtanen` share a key.
enum Phonetic {
    /// The key of a folded name: its mapped first letter and up to three Soundex digits, packed
    /// into an integer; 0 for a name without ASCII letters.
    static func key(_ folded: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var letters = folded.filter { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
        guard !letters.isEmpty else { return 0 }
        if letters.count >= 2 && letters[0] == UInt8(ascii: "p") && letters[1] == UInt8(ascii: "h") {
            letters.replaceSubrange(0..<2, with: [UInt8(ascii: "f")])
        }
        var key = UInt64(firstLetter(letters[0]))
        var previous = code(letters[0])
        var digits = 0
        for letter in letters.dropFirst() {
            let digit = code(letter)
            if letter == UInt8(ascii: "h") { continue }
            if digit != 0 && digit != previous {
                key = key << 8 | UInt64(digit + UInt8(ascii: "0"))
                digits += 1
                if digits == 3 { break }
            }
            previous = digit
        }
        return key
    }

    static func key(_ folded: [UInt8]) -> UInt64 {
        folded.withUnsafeBufferPointer { key($0) }
    }

    private static func firstLetter(_ letter: UInt8) -> UInt8 {
        switch letter {
        case UInt8(ascii: "w"): UInt8(ascii: "v")
        case UInt8(ascii: "c"), UInt8(ascii: "q"): UInt8(ascii: "k")
        case UInt8(ascii: "z"): UInt8(ascii: "s")
        case UInt8(ascii: "y"): UInt8(ascii: "i")
        default: letter
        }
    }

    /// Soundex digit classes; 0 for vowels, `h`, `w` and `y`.
    private static func code(_ letter: UInt8) -> UInt8 {
        switch letter {
        case UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "p"), UInt8(ascii: "v"), UInt8(ascii: "w"): 1
        case UInt8(ascii: "c"), UInt8(ascii: "g"), UInt8(ascii: "j"), UInt8(ascii: "k"), UInt8(ascii: "q"),
             UInt8(ascii: "s"), UInt8(ascii: "x"), UInt8(ascii: "z"): 2
        case UInt8(ascii: "d"), UInt8(ascii: "t"): 3
        case UInt8(ascii: "l"): 4
        case UInt8(ascii: "m"), UInt8(ascii: "n"): 5
        case UInt8(ascii: "r"): 6
        default: 0
        }
    }
}
