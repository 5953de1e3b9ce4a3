/// The shape of Solmu's random ids: a prefix (`cus_`, `mrg_`) and 26 lowercase base32 characters
/// (128 random bits). An id never encodes anything about the person or the time.
enum RandomID {
    /// Lowercase RFC 4648 base32 alphabet.
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    static func make(prefix: String, using generator: inout some RandomNumberGenerator) -> String {
        var high = generator.next() as UInt64
        var low = generator.next() as UInt64
        var characters = [UInt8](repeating: 0, count: 26)
        // 128 bits in 26 base32 digits (130 bits, the top two always zero), least significant last.
        for index in stride(from: 25, through: 0, by: -1) {
            characters[index] = alphabet[Int(low & 31)]
            low = (low >> 5) | ((high & 31) << 59)
            high >>= 5
        }
        return prefix + String(decoding: characters, as: UTF8.self)
    }

    static func isWellFormed(_ string: String, prefix: String) -> Bool {
        let utf8 = string.utf8
        guard utf8.count == prefix.utf8.count + 26, string.hasPrefix(prefix) else { return false }
        return utf8.dropFirst(prefix.utf8.count).allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "2") && byte <= UInt8(ascii: "7"))
        }
    }
}
