import JSONScanning
import Testing

struct JSONByteReaderTests {
    /// Runs `read` over `text` and says whether the reader then stands at the end.
    func reading<T>(_ text: String, _ read: (inout JSONByteReader) -> T) -> (T, atEnd: Bool) {
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            var reader = JSONByteReader(bytes)
            let value = read(&reader)
            return (value, reader.atEnd)
        }
    }

    @Test(arguments: [
        (#""plain""#, "plain"),
        (#""a\"b\\c\/d\b\f\n\r\t""#, "a\"b\\c/d\u{8}\u{C}\n\r\t"),
        (#""\u00e9\u20AC\u0000""#, "é€\u{0}"),
        (#""\ud83d\ude00 and 😀""#, "😀 and 😀"),
        (#""""#, ""),
    ])
    func stringsResolveTheirEscapes(text: String, expected: String) {
        let (value, atEnd) = reading(text) { $0.string() }
        #expect(value == expected)
        #expect(atEnd)
    }

    @Test(arguments: [
        #""\ud83d""#, #""\ude00""#, #""\ud83d\u0041""#, // lone or mismatched surrogates
        #""\x""#, #""\u12""#, "\"a\tb\"", #""unterminated"#, "plain",
    ])
    func malformedStringsAreRefused(text: String) {
        #expect(reading(text) { $0.string() }.0 == nil)
    }

    @Test(arguments: [("0", Int64(0)), ("42", 42), ("9223372036854775807", Int64.max)])
    func integersRead(text: String, expected: Int64) {
        #expect(reading(text) { $0.integer() }.0 == expected)
    }

    @Test(arguments: ["-1", "01", "1.5", "1e3", "9223372036854775808", ""])
    func otherNumbersAreRefused(text: String) {
        #expect(reading(text) { $0.integer() }.0 == nil)
    }

    @Test func nullSpaceAndSingleBytes() {
        #expect(reading(" \t\r\n null") { reader in reader.skipSpace(); return reader.null() } == (true, true))
        #expect(reading("nul") { $0.null() }.0 == false)
        #expect(reading("{}") { reader in reader.take(UInt8(ascii: "{")) && !reader.take(UInt8(ascii: "]")) && reader.take(UInt8(ascii: "}")) } == (true, true))
    }
}
