/// The blocking keys of a record: two records are compared only when they share a key.
///
/// | Tag | Key | Finds |
/// |---|---|---|
/// | identifier | e-mail mailbox key, phone national-number key, exact key of other identifiers | loosely equal identifiers |
/// | 10 | family-name phonetic key + birth year and month | typos and nicknames in given names |
/// | 11 | birth date + first letter of the given name | typos and changes in family names |
/// | 12 | postal code + family-name phonetic key | wrong or missing birth dates |
/// | 13 | given name and family name as an unordered pair + birth year | swapped names |
/// | 14 | given name and family name as an unordered pair + postal code | swapped names without a birth date |
enum BlockKeys {
    static let familyYearMonth: UInt64 = 10
    static let birthdateInitial: UInt64 = 11
    static let postalFamily: UInt64 = 12
    static let namePairYear: UInt64 = 13
    static let namePairPostal: UInt64 = 14

    /// A key to order records by so that members of the most common blocks are adjacent: the
    /// family-name sound and birth month.
    static func localityKey(_ record: Int, in table: FeatureTable) -> UInt64 {
        let feature = table.records[record]
        guard feature.familyFull >= 0 else { return .max }
        let phonetic = table.names.phonetic[Int(feature.familyFull)]
        return (phonetic & 0xFFFF_FFFF) << 32 | UInt64(UInt32(bitPattern: feature.birthdate / 100))
    }

    /// Appends the keys of `record` to `keys` (unsorted, possibly repeated).
    static func append(_ record: Int, in table: FeatureTable, to keys: inout [UInt64]) {
        let feature = table.records[record]
        let identifiers = Int(feature.identifierStart)..<Int(feature.identifierStart + feature.identifierCount)
        for index in identifiers { keys.append(table.identifiers[index].blockingKey) }
        let names = table.names
        let birthdate = feature.birthdate
        let postal = feature.postalCode
        let family = feature.familyFull
        let firstGiven: Int32 = feature.givenTokenCount > 1 ? table.tokens[Int(feature.givenTokenStart)] : feature.givenFull

        if family >= 0 {
            let phonetic = names.phonetic[Int(family)]
            if birthdate != 0 {
                var hash = StableHash(tag: familyYearMonth)
                hash.combine(phonetic)
                hash.combine(UInt64(birthdate / 100))
                keys.append(hash.value)
            }
            if postal != 0 {
                var hash = StableHash(tag: postalFamily)
                hash.combine(postal)
                hash.combine(phonetic)
                keys.append(hash.value)
            }
        }
        if firstGiven >= 0 && birthdate != 0 {
            var hash = StableHash(tag: birthdateInitial)
            hash.combine(UInt64(birthdate))
            hash.combine(UInt64(names.firstByte(firstGiven)))
            keys.append(hash.value)
        }
        if firstGiven >= 0 && family >= 0 {
            let one = names.hashes[Int(firstGiven)], two = names.hashes[Int(family)]
            let low = min(one, two), high = max(one, two)
            if birthdate != 0 {
                var hash = StableHash(tag: namePairYear)
                hash.combine(low)
                hash.combine(high)
                hash.combine(UInt64(birthdate / 10000))
                keys.append(hash.value)
            }
            if postal != 0 {
                var hash = StableHash(tag: namePairPostal)
                hash.combine(low)
                hash.combine(high)
                hash.combine(postal)
                keys.append(hash.value)
            }
        }
    }
}
