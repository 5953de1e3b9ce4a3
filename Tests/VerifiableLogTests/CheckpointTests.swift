import Foundation
import Testing
import VerifiableLog

/// C2SP tlog-checkpoint: strict parsing and the sign → format → parse → verify round trip.
struct CheckpointTests {
    /// The code of the CheckpointError `body` throws; `nil` when it succeeds (or throws something else,
    /// which then fails the comparison).
    static func code(_ body: () throws -> Void) -> CheckpointError.Code? {
        do {
            try body()
            return nil
        } catch let error as CheckpointError {
            return error.code
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func aCheckpointRoundTripsThroughSignFormatParseVerify() throws {
        var tree = MerkleTree()
        try tree.append(contentsOf: MerkleTreeTests.leaves)
        let signer = try NoteSigner.generate(name: "solmu.example/link-log")
        let witness = try NoteSigner.generate(name: "witness.example/w1")
        let checkpoint = try Checkpoint(origin: "solmu.example/link-log", size: tree.size, rootHash: tree.root)

        let message = try checkpoint.signed(by: [signer, witness]).formatted
        #expect(message.hasPrefix("solmu.example/link-log\n70\n\(tree.root.base64)\n\n— solmu.example/link-log "))

        let note = try SignedNote(parsing: message)
        #expect(note.signatures.count == 2)
        let verified = try note.verify(using: [signer.verifier])
        #expect(verified.map(\.keyName) == ["solmu.example/link-log"])
        let parsed = try Checkpoint(parsing: note.text)
        #expect(parsed == checkpoint)
        #expect(parsed.text == note.text)
        #expect(try Checkpoint.open(message, verifiers: [signer.verifier]) == checkpoint)

        // The verified root then anchors proofs.
        let proof = try tree.inclusionProof(index: 42, size: parsed.size)
        try MerkleProof.verifyInclusion(leafHash: MerkleTreeTests.leaves[42], index: 42, size: parsed.size, proof: proof, root: parsed.rootHash)
    }

    @Test func aCheckpointWithAnotherSizeOrKeyDoesNotOpen() throws {
        let signer = try NoteSigner.generate(name: "solmu.example/link-log")
        let checkpoint = try Checkpoint(origin: "solmu.example/link-log", size: 8, rootHash: TreeHashingTests.roots[8])
        let message = try checkpoint.signed(by: [signer]).formatted
        let tampered = message.replacingOccurrences(of: "\n8\n", with: "\n9\n")
        #expect(tampered != message)
        #expect(throws: NoteError(.invalidSignature, reason: "")) {
            try Checkpoint.open(tampered, verifiers: [signer.verifier])
        }
        let stranger = try NoteSigner.generate(name: "solmu.example/link-log")
        #expect(throws: NoteError(.noVerifiedSignature, reason: "")) {
            try Checkpoint.open(message, verifiers: [stranger.verifier])
        }
        #expect(throws: NoteError(.malformedNote, reason: "")) {
            try checkpoint.signed(by: [])
        }
        // A verified note whose text is not a checkpoint.
        var note = try SignedNote(text: "solmu.example/link-log\n08\n\(TreeHashingTests.roots[8].base64)\n")
        try note.sign(with: signer)
        #expect(throws: CheckpointError(.invalidTreeSize, reason: "")) {
            try Checkpoint.open(note.formatted, verifiers: [signer.verifier])
        }
    }

    @Test func theSpecExampleParses() throws {
        let message = """
            example.com/behind-the-sofa
            20852163
            CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

            — example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=

            """
        let note = try SignedNote(parsing: message)
        let checkpoint = try Checkpoint(parsing: note.text)
        #expect(checkpoint.origin == "example.com/behind-the-sofa")
        #expect(checkpoint.size == 20_852_163)
        #expect(checkpoint.rootHash.base64 == "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
        #expect(checkpoint.extensions.isEmpty)
        #expect(checkpoint.text == note.text)
        #expect(note.formatted == message)
    }

    @Test func extensionLinesAndSizeZeroRoundTrip() throws {
        let text = "example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nextension one\n— looks like a signature but is text\n"
        let checkpoint = try Checkpoint(parsing: text)
        #expect(checkpoint.size == 0)
        #expect(checkpoint.rootHash == TreeHasher.emptyRoot)
        #expect(checkpoint.extensions == ["extension one", "— looks like a signature but is text"])
        #expect(checkpoint.text == text)
        let big = try Checkpoint(parsing: "o\n18446744073709551615\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
        #expect(big.size == .max)
    }

    @Test func malformedCheckpointsAreRefusedByName() {
        let root = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        let cases: [(String, CheckpointError.Code)] = [
            ("o\n1\n\(root)", .malformedText),
            ("o\n1\n", .malformedText),
            ("o\n1\n\(root)\n\n", .invalidExtension),
            ("o\n1\n\(root)\r\n", .malformedText),
            ("o\n1\n\(root)\nx\ty\n", .malformedText),
            ("\n1\n\(root)\n", .invalidOrigin),
            ("o\n01\n\(root)\n", .invalidTreeSize),
            ("o\n00\n\(root)\n", .invalidTreeSize),
            ("o\n+1\n\(root)\n", .invalidTreeSize),
            ("o\n-1\n\(root)\n", .invalidTreeSize),
            ("o\n 1\n\(root)\n", .invalidTreeSize),
            ("o\n1 \n\(root)\n", .invalidTreeSize),
            ("o\n\n\(root)\n", .invalidTreeSize),
            ("o\n0x10\n\(root)\n", .invalidTreeSize),
            ("o\n١\n\(root)\n", .invalidTreeSize),
            ("o\n18446744073709551616\n\(root)\n", .invalidTreeSize),
            ("o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU\n", .invalidRootHash),
            ("o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=\n", .invalidRootHash),
            ("o\n1\nV3JvbmdSb290\n", .invalidRootHash),
            ("o\n1\n\n", .invalidRootHash),
        ]
        for (text, expected) in cases {
            #expect(Self.code { _ = try Checkpoint(parsing: text) } == expected, "\(text.debugDescription)")
        }
        #expect(Self.code { _ = try Checkpoint(origin: "", size: 1, rootHash: TreeHasher.emptyRoot) } == .invalidOrigin)
        #expect(Self.code { _ = try Checkpoint(origin: "a\nb", size: 1, rootHash: TreeHasher.emptyRoot) } == .invalidOrigin)
        #expect(Self.code { _ = try Checkpoint(origin: "o", size: 1, rootHash: TreeHasher.emptyRoot, extensions: [""]) } == .invalidExtension)
        #expect(Self.code { _ = try Checkpoint(origin: "o", size: 1, rootHash: TreeHasher.emptyRoot, extensions: ["a\nb"]) } == .invalidExtension)
    }
}
