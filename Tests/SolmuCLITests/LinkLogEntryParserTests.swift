import Foundation
import IdentityGraph
@testable import SolmuCLI
import Testing

/// The fast entry parser of `audit verify` agrees with JSONDecoder, or leaves the line to it.
struct LinkLogEntryParserTests {
    static func parse(_ text: String) -> LinkLogEntry? {
        Array(text.utf8).withUnsafeBufferPointer { LinkLogEntryParser.parse($0) }
    }

    static func decoded(_ text: String) -> LinkLogEntry? {
        try? LogAudit.makeDecoder().decode(LinkLogEntry.self, from: Data(text.utf8))
    }

    static let customer = "cus_7x3kq2m4n5p6r7s2t3u4v5w6x7"
    static let other = "cus_4m2rq7x3kp5n6s2t3u4v5w6y7z"

    /// Lines an export can hold (JSONSerialization, sorted keys) and hand-written variants.
    static let agreeing: [String] = [
        #"{"action":"linked","actor":"pos","assurance":"asserted","customer_id":"\#(customer)","kind":"loyalty_card","namespace":"plussa","sequence":3,"time":"2025-03-14T09:26:54.823Z","value_hash":"IU1urv9IWaqWkRnlvg_eTuZelfnAOFoEmUl7HTrXNwc"}"#,
        #"{"action":"customer_created","actor":"callcenter","customer_id":"\#(customer)","sequence":1,"time":"2025-03-14T09:26:56.057Z"}"#,
        #"{"action":"merged","actor":"admin-cli","customer_id":"\#(customer)","merge_id":"mrg_7x3kq2m4n5p6r7s2t3u4v5w6x7","operator":"maija","reason":"same \"person\", checked\nby phone \\ ok \/ \u00e4\u20ac \ud83d\ude00","related_customer_id":"\#(other)","sequence":12,"time":"2026-11-22T18:40:58.688Z"}"#,
        "  {\n\t\"sequence\" : 7 , \"time\":\"2026-11-22T18:40:58Z\", \"actor\":\"webshop\",\"action\":\"unlinked\",\"customer_id\":\"\(customer)\",\"reason\":\"Äiti ja 😀\"}  ",
    ]

    @Test(arguments: agreeing)
    func agreesWithJSONDecoder(line: String) throws {
        let fast = try #require(Self.parse(line))
        #expect(fast == Self.decoded(line))
        #expect(fast.leafBytes == Self.decoded(line)?.leafBytes)
    }

    /// Anything it is not sure of is left to JSONDecoder (which accepts some and refuses others).
    static let leftToJSONDecoder: [String] = [
        #"{"sequence":1,"time":"2025-03-14T09:26:56.057Z","actor":"a","action":"customer_created","customer_id":"\#(customer)","extra":"x"}"#,
        #"{"sequence":1,"time":"2025-03-14T09:26:56.057Z","actor":"a","action":"customer_created","customer_id":"\#(customer)","reason":null}"#,
        #"{"sequence":1.0,"time":"2025-03-14T09:26:56.057Z","actor":"a","action":"customer_created","customer_id":"\#(customer)"}"#,
        #"{"sequence":01,"time":"2025-03-14T09:26:56.057Z","actor":"a","action":"customer_created","customer_id":"\#(customer)"}"#,
        #"{"sequence":1,"sequence":2,"time":"2025-03-14T09:26:56.057Z","actor":"a","action":"customer_created","customer_id":"\#(customer)"}"#,
        #"{"sequence":1,"time":"2025-03-14T09:26:56.057Z","actor":"a","actor":"b","action":"customer_created","customer_id":"\#(customer)"}"#,
        #"{"sequence":1,"time":"yesterday","actor":"a","action":"customer_created","customer_id":"\#(customer)"}"#,
        #"{"sequence":1,"time":"2025-03-14T09:26:56.057Z","actor":"a","action":"renamed","customer_id":"\#(customer)"}"#,
        #"{"sequence":1,"time":"2025-03-14T09:26:56.057Z","actor":"a","action":"linked","customer_id":"cus_short","kind":"email"}"#,
        #"{"sequence":1,"time":"2025-03-14T09:26:56.057Z","actor":"a","action":"linked","customer_id":"\#(customer)","kind":"fax"}"#,
        #"{"sequence":1,"time":"2025-03-14T09:26:56.057Z","actor":"a\ud800","action":"customer_created","customer_id":"\#(customer)"}"#,
        #"{"sequence":1,"time":"2025-03-14T09:26:56.057Z","actor":"a","action":"customer_created","customer_id":"\#(customer)"} x"#,
        #"{"sequence":1,"time":"2025-03-14T09:26:56.057Z","actor":"a","action":"customer_created","customer_id":"\#(customer)""#,
        #"{"time":"2025-03-14T09:26:56.057Z","actor":"a","action":"customer_created","customer_id":"\#(customer)"}"#,
        "{\"sequence\":1,\"time\":\"2025-03-14T09:26:56.057Z\",\"actor\":\"a\tb\",\"action\":\"customer_created\",\"customer_id\":\"\(customer)\"}",
        "[]", "", "{}",
    ]

    @Test(arguments: leftToJSONDecoder)
    func leavesWhatItIsNotSureOfToJSONDecoder(line: String) {
        #expect(Self.parse(line) == nil)
    }

    @Test func invalidUTF8IsNeverAccepted() {
        var bytes = Array(#"{"sequence":1,"time":"2025-03-14T09:26:56.057Z","actor":"a"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#"","action":"customer_created","customer_id":"\#(Self.customer)"}"#.utf8)
        #expect(bytes.withUnsafeBufferPointer { LinkLogEntryParser.parse($0) } == nil)
    }
}
