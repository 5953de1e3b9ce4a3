/// ``MatchWeights`` read into stored properties once, for the inner loop.
struct ResolvedWeights: Sendable {
    let weights: MatchWeights
    let refusedLink, namesSwapped: Double
    let givenNameEqual, givenNamePartial, givenNameNickname, givenNameSimilar, givenNameDifferent: Double
    let familyNameEqual, familyNamePartial, familyNameSimilar, familyNameDifferent: Double
    let birthdateEqual, birthdateDayMonthSwapped, birthdateOneTypo, birthdateDifferent: Double
    let postalCodeEqual, postalCodeDifferent: Double
    let emailEqual, emailLooseEqual, phoneEqual, phoneLooseEqual, identifierEqual: Double

    init(_ weights: MatchWeights) {
        self.weights = weights
        refusedLink = weights[.refusedLink]
        namesSwapped = weights[.namesSwapped]
        givenNameEqual = weights[.givenNameEqual]
        givenNamePartial = weights[.givenNamePartial]
        givenNameNickname = weights[.givenNameNickname]
        givenNameSimilar = weights[.givenNameSimilar]
        givenNameDifferent = weights[.givenNameDifferent]
        familyNameEqual = weights[.familyNameEqual]
        familyNamePartial = weights[.familyNamePartial]
        familyNameSimilar = weights[.familyNameSimilar]
        familyNameDifferent = weights[.familyNameDifferent]
        birthdateEqual = weights[.birthdateEqual]
        birthdateDayMonthSwapped = weights[.birthdateDayMonthSwapped]
        birthdateOneTypo = weights[.birthdateOneTypo]
        birthdateDifferent = weights[.birthdateDifferent]
        postalCodeEqual = weights[.postalCodeEqual]
        postalCodeDifferent = weights[.postalCodeDifferent]
        emailEqual = weights[.emailEqual]
        emailLooseEqual = weights[.emailLooseEqual]
        phoneEqual = weights[.phoneEqual]
        phoneLooseEqual = weights[.phoneLooseEqual]
        identifierEqual = weights[.identifierEqual]
    }

    /// The weight of an identifier agreement code.
    func identifier(_ code: MatchReason.Code) -> Double {
        switch code {
        case .emailEqual: emailEqual
        case .emailLooseEqual: emailLooseEqual
        case .phoneEqual: phoneEqual
        case .phoneLooseEqual: phoneLooseEqual
        case .identifierEqual: identifierEqual
        default: weights[code]
        }
    }

    subscript(code: MatchReason.Code) -> Double { weights[code] }
}
