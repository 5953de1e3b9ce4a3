/// The world's telephone numbering plans, as far as parsing and length checks need them.
///
/// The data is in `NumberingPlan+Generated.swift`, generated from libphonenumber's metadata.
enum NumberingPlan {
    /// One region's numbering plan.
    struct Entry: Sendable {
        /// ISO 3166-1 alpha-2 code, or `001` for a non-geographic calling code.
        let region: String
        /// The country calling code, e.g. 358.
        let callingCode: Int
        /// Whether this region's plan decides for its calling code (e.g. US for +1).
        let isMainRegion: Bool
        /// The trunk prefix dialled before national numbers, e.g. `0`; `nil` if none.
        let nationalPrefix: String?
        /// The prefixes for international calls from this region, e.g. `00` or `011`, in the order
        /// libphonenumber's pattern tries them.
        let internationalPrefixes: [String]
        /// Possible lengths of a national significant number.
        let possibleLengths: [Int]
        /// Lengths that are possible only for local dialling (libphonenumber still calls them possible).
        let localOnlyLengths: [Int]

        init(region: String, callingCode: Int, isMainRegion: Bool, nationalPrefix: String?, internationalPrefixes: [String], possibleLengths: [Int], localOnlyLengths: [Int]) {
            self.region = region
            self.callingCode = callingCode
            self.isMainRegion = isMainRegion
            self.nationalPrefix = nationalPrefix
            self.internationalPrefixes = internationalPrefixes
            self.possibleLengths = possibleLengths
            self.localOnlyLengths = localOnlyLengths
        }

        /// Mirrors libphonenumber's `_test_number_length` for the general description.
        func testLength(_ length: Int) -> LengthCheck {
            guard let minimum = possibleLengths.first, let maximum = possibleLengths.last else { return .invalidLength }
            if localOnlyLengths.contains(length) { return .possibleLocalOnly }
            if length == minimum { return .possible }
            if length < minimum { return .tooShort }
            if length > maximum { return .tooLong }
            return possibleLengths.contains(length) ? .possible : .invalidLength
        }

        /// All lengths libphonenumber's `is_possible_number` accepts.
        var acceptedLengths: [Int] { (possibleLengths + localOnlyLengths).sorted() }
    }

    /// The outcome of a length check, as in libphonenumber's `ValidationResult`.
    enum LengthCheck: Sendable {
        case possible, possibleLocalOnly, tooShort, tooLong, invalidLength

        /// Whether `is_possible_number` would accept the length.
        var isPossible: Bool { self == .possible || self == .possibleLocalOnly }
    }

    /// Geographic regions by ISO code.
    static let byRegion: [String: Entry] = {
        var table: [String: Entry] = [:]
        for entry in generatedEntries where entry.region != "001" {
            table[entry.region] = entry
        }
        return table
    }()

    /// The deciding entry for each calling code.
    static let byCallingCode: [Int: Entry] = {
        var table: [Int: Entry] = [:]
        for entry in generatedEntries where entry.isMainRegion && table[entry.callingCode] == nil {
            table[entry.callingCode] = entry
        }
        return table
    }()

    /// Every region sharing each calling code (`001` for non-geographic ones).
    static let regionsByCallingCode: [Int: [String]] = {
        var table: [Int: [String]] = [:]
        for entry in generatedEntries {
            table[entry.callingCode, default: []].append(entry.region)
        }
        return table
    }()
}
