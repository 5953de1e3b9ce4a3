import Channels
import Testing

struct SecretHashTests {
    @Test func madeHashesVerifyOnlyTheirSecretAndRoundTrip() throws {
        let hash = try SecretHash.make(secret: "s3cret", logRounds: 10)
        #expect(hash.verify("s3cret"))
        #expect(!hash.verify("s3cret "))
        #expect(!hash.verify(""))
        let reparsed = try SecretHash(phc: hash.description)
        #expect(reparsed == hash)
        #expect(reparsed.verify("s3cret"))
        #expect(hash.description.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
    }

    /// A hash made by another scrypt implementation (Python's hashlib) verifies: the format is
    /// the interoperable PHC string.
    @Test func verifiesAHashFromAnotherImplementation() throws {
        let hash = try SecretHash(phc: "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$g85Cz4bYhwidNRXDPUpywSL4toy1hphz8szHKtyjsOI")
        #expect(hash.verify("webshop-dev-secret"))
        #expect(!hash.verify("webshop-dev-secreT"))
    }

    @Test(arguments: [
        "", "plain-text", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "$scrypt$ln=15,r=8$AAAAAAAAAAAAAAAAAAAAAA$" + String(repeating: "A", count: 43),
        "$scrypt$ln=40,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$" + String(repeating: "A", count: 43),
        "$scrypt$ln=15,r=8,p=1$AAAA$" + String(repeating: "A", count: 43),
        "$scrypt$ln=15,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA",
        "$scrypt$ln=15,r=8,p=1,x=2$AAAAAAAAAAAAAAAAAAAAAA$" + String(repeating: "A", count: 43),
    ])
    func malformedHashesAreRefused(phc: String) {
        #expect(throws: SecretHashError.self) { try SecretHash(phc: phc) }
    }

    @Test func constantTimeComparison() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equals([UInt8](), []))
    }
}
