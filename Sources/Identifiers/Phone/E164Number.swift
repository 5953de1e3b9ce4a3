/// An E.164 phone number split into its country calling code and national significant number.
///
/// Normalized phone identifiers are E.164 strings such as `+358401234567`; this type reads one back
/// into its parts, e.g. to compare numbers across calling codes. Calling codes are 1 to 3 digits
/// and prefix-free, so the split is unambiguous.
///
/// - Important: The national number is personal data. Never log it.
public struct E164Number: Hashable, Sendable {
    /// The country calling code, e.g. 358.
    public let callingCode: Int
    /// The digits after the calling code, e.g. `401234567`.
    public let nationalNumber: String

    /// Splits an E.164 string: `+`, a known country calling code, then 2 to 17 ASCII digits.
    ///
    /// Only the shape and the calling code are checked, not the length rules of the numbering plan,
    /// so a mis-stored number (say with its trunk prefix kept) still splits.
    /// - Parameter e164: The number, e.g. `+358401234567`.
    /// - Returns: `nil` when the text is not `+` and digits or the calling code does not exist.
    public init?(_ e164: String) {
        let bytes = e164.utf8
        guard bytes.first == UInt8(ascii: "+"),
              bytes.dropFirst().allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        let digits = bytes.dropFirst()
        guard let first = digits.first, first != UInt8(ascii: "0") else { return nil }
        var code = 0
        var index = digits.startIndex
        for _ in 0..<min(3, digits.count) {
            code = code * 10 + Int(digits[index] - UInt8(ascii: "0"))
            index = digits.index(after: index)
            guard NumberingPlan.byCallingCode[code] != nil else { continue }
            let national = digits[index...]
            guard national.count >= PhoneNumberParser.minimumNationalLength,
                  national.count <= PhoneNumberParser.maximumNationalLength
            else { return nil }
            self.callingCode = code
            self.nationalNumber = String(decoding: national, as: UTF8.self)
            return
        }
        return nil
    }

    /// The regions that share the calling code (ISO 3166-1 alpha-2, `001` for non-geographic codes),
    /// the main region first.
    public var regions: [String] { NumberingPlan.regionsByCallingCode[callingCode] ?? [] }

    /// The E.164 form, e.g. `+358401234567`.
    public var e164: String { "+\(callingCode)\(nationalNumber)" }
}
