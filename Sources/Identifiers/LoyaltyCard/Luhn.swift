/// The Luhn (mod 10) check digit algorithm, ISO/IEC 7812-1.
enum Luhn {
    /// Whether the last of the ASCII digits is the correct check digit for the others.
    static func isValid(_ digits: some BidirectionalCollection<UInt8>) -> Bool {
        guard digits.count >= 2 else { return false }
        var sum = 0
        var double = false
        for byte in digits.reversed() {
            var value = Int(byte) - 48
            guard value >= 0 && value <= 9 else { return false }
            if double {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
            double.toggle()
        }
        return sum % 10 == 0
    }

    /// The check digit to append to the ASCII digits `payload`.
    static func checkDigit(for payload: some BidirectionalCollection<UInt8>) -> UInt8 {
        var sum = 0
        var double = true
        for byte in payload.reversed() {
            var value = Int(byte) - 48
            if double {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
            double.toggle()
        }
        return UInt8(ascii: "0") + UInt8((10 - sum % 10) % 10)
    }
}
