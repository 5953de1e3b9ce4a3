import SeededRandom
import DuplicateDetection
import Foundation
import Identifiers
import IdentityGraph

/// Small builders for hand-written test records.
enum Fixtures {
    /// A deterministic id per number.
    static func id(_ number: Int) -> CustomerID {
        var generator = SeededGenerator(seed: UInt64(number) &* 0x9E37_79B9 &+ 17)
        return CustomerID.random(using: &generator)
    }

    static func email(_ value: String) -> Identifier { Identifier(trustedKind: .email, namespace: nil, value: value) }
    static func phone(_ value: String) -> Identifier { Identifier(trustedKind: .phone, namespace: nil, value: value) }

    static func record(
        _ number: Int, given: String? = nil, family: String? = nil, birthdate: String? = nil, postalCode: String? = nil,
        _ identifiers: Identifier...
    ) -> CustomerRecord {
        CustomerRecord(
            id: id(number),
            profile: Profile(givenName: given, familyName: family, birthdate: birthdate, postalCode: postalCode),
            identifiers: identifiers
        )
    }

    static func refused(_ a: Int, _ b: Int, kind: IdentifierKind = .email, occurrences: Int = 1) -> DuplicateCandidate {
        let x = id(a), y = id(b)
        let seen = Date(timeIntervalSince1970: 1_750_000_000)
        return DuplicateCandidate(first: min(x, y), second: max(x, y), kind: kind, firstSeen: seen, lastSeen: seen, occurrences: occurrences)
    }
}

extension ScoredPair {
    var codes: [MatchReason.Code] { reasons.map(\.code) }
}
