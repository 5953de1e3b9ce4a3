import Identifiers
import IdentityGraph

/// The comparable features of every record, computed once per run and stored column by column:
/// folded names as indexes into a ``NameTable``, the birth date as an integer, the postal code and
/// identifiers as hashes. Nothing here holds an identifier value.
struct FeatureTable: Sendable {
    var names: NameTable

    /// Folded full given name (tokens joined), or -1.
    var givenFull: [Int32] = []
    /// Given-name tokens of record `i`: `givenTokens[givenStart[i]..<givenStart[i + 1]]`.
    var givenStart: [Int32] = [0]
    var givenTokens: [Int32] = []
    var familyFull: [Int32] = []
    var familyStart: [Int32] = [0]
    var familyTokens: [Int32] = []
    /// `yyyymmdd`, or 0 when missing or not a date.
    var birthdate: [Int32] = []
    /// Hash of the postal code without spaces and dashes, or 0.
    var postalCode: [UInt64] = []

    /// Identifiers of record `i`: `identifier…[identifierStart[i]..<identifierStart[i + 1]]`.
    var identifierStart: [Int32] = [0]
    var identifierKind: [IdentifierKind] = []
    var identifierExact: [UInt64] = []
    /// The loose key, or 0 when the identifier has none.
    var identifierLoose: [UInt64] = []
    /// Whether the identifier's blocking key is shared by more records than the largest block:
    /// then agreement on it is no evidence. Set by blocking.
    var identifierOvershared: [Bool] = []

    var count: Int { birthdate.count }

    init(records: some Collection<CustomerRecord>, nicknames: NicknameIndex, keys: LooseIdentifierKeys, progress: ((Int) -> Void)? = nil) {
        names = NameTable(expectedNames: min(records.count, 1 << 20) / 4)
        let n = records.count
        givenFull.reserveCapacity(n)
        givenStart.reserveCapacity(n + 1)
        givenTokens.reserveCapacity(n + n / 4)
        familyFull.reserveCapacity(n)
        familyStart.reserveCapacity(n + 1)
        familyTokens.reserveCapacity(n + n / 8)
        birthdate.reserveCapacity(n)
        postalCode.reserveCapacity(n)
        identifierStart.reserveCapacity(n + 1)
        identifierKind.reserveCapacity(n * 3)
        identifierExact.reserveCapacity(n * 3)
        identifierLoose.reserveCapacity(n * 3)

        var done = 0
        for record in records {
            let profile = record.profile
            givenFull.append(Self.addName(profile.givenName, tokens: &givenTokens, names: &names, nicknames: nicknames))
            givenStart.append(Int32(givenTokens.count))
            familyFull.append(Self.addName(profile.familyName, tokens: &familyTokens, names: &names, nicknames: nicknames))
            familyStart.append(Int32(familyTokens.count))
            birthdate.append(Self.parseBirthdate(profile.birthdate))
            postalCode.append(Self.postalHash(profile.postalCode))
            for identifier in record.identifiers {
                identifierKind.append(identifier.kind)
                identifierExact.append(keys.exactKey(identifier))
                identifierLoose.append(keys.looseKey(identifier) ?? 0)
            }
            identifierStart.append(Int32(identifierKind.count))
            done += 1
            if done & 0xFFFF == 0 { progress?(done) }
        }
        identifierOvershared = [Bool](repeating: false, count: identifierKind.count)
    }

    /// Folds and interns a name: returns the full form's index and appends the token indexes.
    private static func addName(_ name: String?, tokens: inout [Int32], names: inout NameTable, nicknames: NicknameIndex) -> Int32 {
        guard let name, !name.isEmpty else { return -1 }
        let folded = NameFolding.tokens(name)
        guard !folded.isEmpty else { return -1 }
        if folded.count == 1 {
            let index = names.intern(folded[0][...], nicknames: nicknames)
            tokens.append(index)
            return index
        }
        for token in folded { tokens.append(names.intern(token[...], nicknames: nicknames)) }
        return names.intern(Array(folded.joined())[...], nicknames: nicknames)
    }

    /// `YYYY-MM-DD` as `yyyymmdd`; 0 for anything else.
    static func parseBirthdate(_ text: String?) -> Int32 {
        guard let text else { return 0 }
        var value: Int32 = 0
        var digits = 0
        for (offset, byte) in text.utf8.enumerated() {
            switch offset {
            case 4, 7:
                guard byte == UInt8(ascii: "-") else { return 0 }
            case 0..<10:
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return 0 }
                value = value * 10 + Int32(byte - UInt8(ascii: "0"))
                digits += 1
            default:
                return 0
            }
        }
        guard digits == 8 else { return 0 }
        let month = value / 100 % 100, day = value % 100
        guard (1...12).contains(month), (1...31).contains(day) else { return 0 }
        return value
    }

    /// A hash of the postal code's letters and digits, uppercased; 0 when there are none.
    static func postalHash(_ text: String?) -> UInt64 {
        guard let text else { return 0 }
        var folded: [UInt8] = []
        folded.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"): folded.append(byte)
                case UInt8(ascii: "a")...UInt8(ascii: "z"): folded.append(byte & 0xDF)
                default: continue
                }
            } else if scalar.properties.isAlphabetic {
                folded.append(contentsOf: scalar.properties.uppercaseMapping.utf8)
            }
        }
        return folded.isEmpty ? 0 : StableHash.of(tag: 200, bytes: folded)
    }

    func givenTokenRange(_ record: Int) -> Range<Int> { Int(givenStart[record])..<Int(givenStart[record + 1]) }
    func familyTokenRange(_ record: Int) -> Range<Int> { Int(familyStart[record])..<Int(familyStart[record + 1]) }
    func identifierRange(_ record: Int) -> Range<Int> { Int(identifierStart[record])..<Int(identifierStart[record + 1]) }
}
