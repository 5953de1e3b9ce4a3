import Identifiers
import IdentityGraph

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
            records.append(feature)
            done += 1
            if done & 0xFFFF == 0 { progress?(done) }
        }
    }

    /// Renumbers the records so that those likely to share blocks (same family-name sound and
    /// birth month) sit next to each other: comparing them then reads memory that is already in
    /// the cache.
    /// - Returns: For each new index, the old one.
    mutating func reorderForLocality() -> [UInt32] {
        var keys = records.indices.map { BlockKeys.localityKey($0, in: self) }
        var order = (0..<records.count).map { UInt32($0) }
        RadixSort.sort(keys: &keys, values: &order)
        var newRecords: [RecordFeature] = []
        newRecords.reserveCapacity(records.count)
        var newIdentifiers: [IdentifierFeature] = []
        newIdentifiers.reserveCapacity(identifiers.count)
        for old in order {
            var record = records[Int(old)]
            let start = Int(record.identifierStart)
            record.identifierStart = Int32(newIdentifiers.count)
            newIdentifiers.append(contentsOf: identifiers[start..<(start + Int(record.identifierCount))])
            newRecords.append(record)
        }
        records = newRecords
        identifiers = newIdentifiers
        return order
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
