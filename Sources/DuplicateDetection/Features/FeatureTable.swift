import Identifiers
import IdentityGraph

/// What the scoring loop needs of one record, in one 56-byte value so that comparing with a
/// random other record touches one or two cache lines, not one per field.
struct RecordFeature: BitwiseCopyable, Sendable {
    /// Hash of the postal code without spaces and dashes, or 0.
    var postalCode: UInt64 = 0
    /// Folded full given name (tokens joined) as a ``NameTable`` index, or -1.
    var givenFull: Int32 = -1
    var familyFull: Int32 = -1
    /// Where the name's tokens start in ``FeatureTable/tokens`` when there are several; a
    /// single-token name is its full form.
    var givenTokenStart: Int32 = 0
    var familyTokenStart: Int32 = 0
    /// `yyyymmdd`, or 0 when missing or not a date.
    var birthdate: Int32 = 0
    /// The record's identifiers in ``FeatureTable/identifiers``.
    var identifierStart: Int32 = 0
    var identifierCount: Int32 = 0
    /// The record's keys in compared blocks, ascending, in ``BlockIndex/comparedKeys``.
    var comparedStart: Int32 = 0
    var comparedCount: Int32 = 0
    /// The first record with this record's customer id (its own index when the id is unique).
    var sameID: Int32 = 0
    var givenTokenCount: UInt8 = 0
    var familyTokenCount: UInt8 = 0
    /// Whether a refused link names this record.
    var hasRefusedLink = false
}

/// What the scoring loop needs of one identifier: hashes, never the value.
struct IdentifierFeature: BitwiseCopyable, Sendable {
    var exact: UInt64
    /// The loose key, or 0 when the identifier has none.
    var loose: UInt64
    /// ``IdentifierKindCode``.
    var kind: UInt8
    /// Whether the identifier's blocking key is shared by more records than the largest block:
    /// then agreement on it is no evidence. Set by blocking.
    var overshared = false

    /// The key it is blocked under: the loose key where there is one.
    var blockingKey: UInt64 { loose != 0 ? loose : exact }
}

/// The comparable features of every record, computed once per run: folded names as indexes into
/// a ``NameTable``, the birth date as an integer, the postal code and identifiers as hashes.
/// Nothing here holds an identifier value or a name as text outside the name table.
struct FeatureTable: Sendable {
    var names: NameTable
    var records: [RecordFeature] = []
    /// Token indexes of multi-token names.
    var tokens: [Int32] = []
    var identifiers: [IdentifierFeature] = []

    var count: Int { records.count }

    init(records input: some Collection<CustomerRecord>, nicknames: NicknameIndex, keys: LooseIdentifierKeys, progress: ((Int) -> Void)? = nil) {
        names = NameTable(expectedNames: min(input.count, 1 << 20) / 4)
        records.reserveCapacity(input.count)
        identifiers.reserveCapacity(input.count * 3)
        var folder = NameFolder()
        var done = 0
        for record in input {
            var feature = RecordFeature()
            let profile = record.profile
            (feature.givenFull, feature.givenTokenStart, feature.givenTokenCount) = addName(profile.givenName, folder: &folder, nicknames: nicknames)
            (feature.familyFull, feature.familyTokenStart, feature.familyTokenCount) = addName(profile.familyName, folder: &folder, nicknames: nicknames)
            feature.birthdate = Self.parseBirthdate(profile.birthdate)
            feature.postalCode = Self.postalHash(profile.postalCode)
            feature.identifierStart = Int32(identifiers.count)
            for identifier in record.identifiers {
                identifiers.append(IdentifierFeature(exact: keys.exactKey(identifier), loose: keys.looseKey(identifier) ?? 0, kind: Self.code(identifier.kind)))
            }
            feature.identifierCount = Int32(identifiers.count) - feature.identifierStart
            feature.sameID = Int32(records.count)
            records.append(feature)
            done += 1
            if done & 0xFFFF == 0 { progress?(done) }
        }
    }

    static func code(_ kind: IdentifierKind) -> UInt8 {
        switch kind {
        case .email: IdentifierKindCode.email
        case .phone: IdentifierKindCode.phone
        case .social: IdentifierKindCode.social
        case .loyaltyCard: IdentifierKindCode.loyaltyCard
        case .receipt: IdentifierKindCode.receipt
        }
    }

    /// Folds and interns a name: its full form, and its tokens when there are several.
    private mutating func addName(_ name: String?, folder: inout NameFolder, nicknames: NicknameIndex) -> (Int32, Int32, UInt8) {
        guard let name, !name.isEmpty else { return (-1, 0, 0) }
        folder.fold(name)
        switch folder.tokenCount {
        case 0:
            return (-1, 0, 0)
        case 1:
            return (names.intern(folder.token(0), nicknames: nicknames), 0, 1)
        default:
            let start = Int32(tokens.count)
            for index in 0..<folder.tokenCount { tokens.append(names.intern(folder.token(index), nicknames: nicknames)) }
            return (names.intern(folder.joined, nicknames: nicknames), start, UInt8(folder.tokenCount))
        }
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
        var hash = StableHash.Bytes()
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"): hash.append(byte)
                case UInt8(ascii: "a")...UInt8(ascii: "z"): hash.append(byte & 0xDF)
                default: continue
                }
            } else if scalar.properties.isAlphabetic {
                for byte in scalar.properties.uppercaseMapping.utf8 { hash.append(byte) }
            }
        }
        return hash.isEmpty ? 0 : hash.value(tag: 200)
    }
}
