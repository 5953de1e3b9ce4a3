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

    /// The blocking key of identifier `index`: its loose key where it has one, else its exact key.
    static func identifierKey(_ index: Int, in table: FeatureTable) -> UInt64 {
        let loose = table.identifierLoose[index]
        return loose != 0 ? loose : table.identifierExact[index]
    }

    /// Appends the keys of `record` to `keys` (unsorted, possibly repeated).
    static func append(_ record: Int, in table: FeatureTable, to keys: inout [UInt64]) {
        for index in table.identifierRange(record) {
            keys.append(identifierKey(index, in: table))
        }
        let names = table.names
        let birthdate = table.birthdate[record]
        let postal = table.postalCode[record]
        let family = table.familyFull[record]
        let givenTokens = table.givenTokenRange(record)
        let firstGiven: Int32 = givenTokens.isEmpty ? -1 : table.givenTokens[givenTokens.lowerBound]

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
