import Foundation
import IdentityGraph
import Testing

struct CustomerIDTests {
    @Test func randomIDsHaveTheDocumentedShapeAndDoNotRepeat() {
        var seen = Set<CustomerID>()
        for _ in 0..<10_000 {
            let id = CustomerID.random()
            #expect(id.rawValue.count == 30)
            #expect(id.rawValue.hasPrefix("cus_"))
            #expect(CustomerID(rawValue: id.rawValue) == id)
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
    }

    @Test(arguments: [
        "", "cus_", "cus_abc", "CUS_aaaaaaaaaaaaaaaaaaaaaaaaaa", "cus_aaaaaaaaaaaaaaaaaaaaaaaaa1",
        "cus_aaaaaaaaaaaaaaaaaaaaaaaaaaa", "cus_AAAAAAAAAAAAAAAAAAAAAAAAAA", "xyz_aaaaaaaaaaaaaaaaaaaaaaaaaa",
        "cus_aaaaaaaaaaaaaaaaaaaaaaaaa ", "cus_ääääääääääääääääääääääääää",
    ])
    func malformedIDsAreRefused(text: String) {
        #expect(CustomerID(rawValue: text) == nil)
    }

    @Test func decodingRefusesMalformedIDs() throws {
        let good = try JSONDecoder().decode([CustomerID].self, from: Data(#"["cus_abcdefghijklmnopqrstuvwxyz"]"#.utf8))
        #expect(good.first?.rawValue == "cus_abcdefghijklmnopqrstuvwxyz")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CustomerID].self, from: Data(#"["cus_1"]"#.utf8))
        }
    }
}
