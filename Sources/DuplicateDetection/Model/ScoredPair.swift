public import IdentityGraph

/// Two customers who may be one person, with the score and the evidence behind it.
///
/// JSON: `{"first": "cus_…", "second": "cus_…", "score": 0.85, "reasons": [{"code": …, "weight": …, "detail": …}]}`.
public struct ScoredPair: Sendable, Codable, Equatable {
    /// The lesser of the two ids.
    public var first: CustomerID
    /// The greater of the two ids.
    public var second: CustomerID
    /// The sum of the reasons' weights, clamped to 0…1 and rounded to four decimals.
    public var score: Double
    /// The evidence, identifiers first, then names, birth date and postal code.
    public var reasons: [MatchReason]

    /// Creates a scored pair.
    public init(first: CustomerID, second: CustomerID, score: Double, reasons: [MatchReason]) {
        self.first = first
        self.second = second
        self.score = score
        self.reasons = reasons
    }

    enum CodingKeys: String, CodingKey {
        case first, second, score, reasons
    }
}
