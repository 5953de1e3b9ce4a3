import Foundation
import Testing
import VerifiableLog

/// C2SP signed-note, with the test vectors of Go's golang.org/x/mod/sumdb/note.
struct SignedNoteTests {
    static let peterKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let peterSignerKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let enochKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
    static let text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let peterSig = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    static let enochSig = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

    static var peter: NoteVerifier { try! NoteVerifier(verifierKey: peterKey) }
    static var enoch: NoteVerifier { try! NoteVerifier(verifierKey: enochKey) }

    /// The code of the NoteError `body` throws; `nil` when it succeeds (or throws something else,
    /// which then fails the comparison).
    static func code(_ body: () throws -> Void) -> NoteError.Code? {
        do {
            try body()
            return nil
        } catch let error as NoteError {
            return error.code
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func theSpecExampleKeyAndMessageVerify() throws {
        let verifier = try NoteVerifier(verifierKey: Self.peterKey)
        #expect(verifier.name == "PeterNeumann")
        #expect(verifier.keyID == 0xc74f_20a3)
        #expect(verifier.verifierKey == Self.peterKey)

        let note = try SignedNote.open(Self.text + "\n" + Self.peterSig, verifiers: [verifier])
        #expect(note.text == Self.text)
        #expect(note.signatures.count == 1)
        #expect(note.signatures[0].keyName == "PeterNeumann")
        #expect(note.signatures[0].keyID == 0xc74f_20a3)
        #expect(note.signatures[0].signature.count == 64)
        #expect(note.formatted == Self.text + "\n" + Self.peterSig)
    }

    @Test func theSpecExampleSignerKeySignsTheExample() throws {
        let signer = try NoteSigner(signerKey: Self.peterSignerKey)
        #expect(signer.name == "PeterNeumann")
        #expect(signer.keyID == 0xc74f_20a3)
        #expect(signer.verifier.verifierKey == Self.peterKey)
        #expect(signer.signerKey() == Self.peterSignerKey)

        var note = try SignedNote(text: Self.text)
        try note.sign(with: signer)
        #if canImport(Darwin)
            // CryptoKit randomizes Ed25519 signatures; BoringSSL (Linux) follows RFC 8032 exactly.
            _ = try SignedNote.open(note.formatted, verifiers: [Self.peter])
        #else
            #expect(note.formatted == Self.text + "\n" + Self.peterSig)
        #endif

        // Signing again replaces the key's earlier signature rather than adding a second one.
        let bogus = try NoteSignature(keyName: "PeterNeumann", keyID: 0xc74f_20a3, signature: [1, 2, 3])
        var resigned = try SignedNote(text: Self.text, signatures: [bogus])
        try resigned.sign(with: signer)
        #expect(resigned.signatures.count == 1)
        _ = try resigned.verify(using: [Self.peter])
    }

    @Test func mangledVerifierKeysAreRefused() {
        let bytes = Array(Self.peterKey.utf8)
        for start in 0...bytes.count {
            for end in (start + 1)..<(bytes.count + 1) where !(start == 0 && end == bytes.count) {
                let key = String(decoding: bytes[start..<end], as: UTF8.self)
                #expect(throws: NoteError.self, "\(key)") { try NoteVerifier(verifierKey: key) }
            }
        }
        for position in bytes.indices {
            var changed = bytes
            changed[position] &+= 1
            let key = String(decoding: changed, as: UTF8.self)
            #expect(throws: NoteError.self, "\(key)") { try NoteVerifier(verifierKey: key) }
        }
        // A key of the wrong length and an unknown algorithm, each with a matching key ID.
        #expect(Self.code { _ = try NoteVerifier(verifierKey: "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==") } == .malformedKey)
        #expect(Self.code { _ = try NoteVerifier(verifierKey: "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW") } == .unsupportedAlgorithm)
        #expect(Self.code { _ = try NoteVerifier(verifierKey: "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW") } == .keyIDMismatch)
        #expect(Self.code { _ = try NoteVerifier(verifierKey: "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW") } == .invalidKeyName)
        #expect(Self.code { _ = try NoteVerifier(verifierKey: "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW") } == nil)
    }

    @Test func mangledSignerKeysAreRefused() {
        let bytes = Array(Self.peterSignerKey.utf8)
        for start in 0...bytes.count {
            for end in (start + 1)..<(bytes.count + 1) where !(start == 0 && end == bytes.count) {
                let key = String(decoding: bytes[start..<end], as: UTF8.self)
                #expect(throws: NoteError.self, "\(key)") { try NoteSigner(signerKey: key) }
            }
        }
        for position in bytes.indices {
            var changed = bytes
            changed[position] &+= 1
            let key = String(decoding: changed, as: UTF8.self)
            #expect(throws: NoteError.self, "\(key)") { try NoteSigner(signerKey: key) }
        }
    }

    @Test func unknownKeysAreIgnoredAndKnownKeysMustVerify() throws {
        let message = Self.text + "\n" + Self.peterSig + Self.enochSig
        let note = try SignedNote(parsing: message)
        #expect(note.signatures.map(\.keyName) == ["PeterNeumann", "EnochRoot"])

        #expect(try note.verify(using: [Self.peter]).map(\.keyName) == ["PeterNeumann"])
        #expect(try note.verify(using: [Self.enoch]).map(\.keyName) == ["EnochRoot"])
        #expect(try note.verify(using: [Self.peter, Self.enoch]).map(\.keyName) == ["PeterNeumann", "EnochRoot"])
        #expect(Self.code { _ = try note.verify(using: []) } == .noVerifiedSignature)

        // Same name but another key ID, or another name with the same key ID: unknown, ignored.
        let impostor = try NoteSigner.generate(name: "PeterNeumann")
        #expect(Self.code { _ = try note.verify(using: [impostor.verifier]) } == .noVerifiedSignature)
        #expect(Self.code { _ = try note.verify(using: [impostor.verifier, Self.peter]) } == nil)

        // Two verifiers for one key are ambiguous once a signature uses it.
        #expect(Self.code { _ = try SignedNote.open(Self.text + "\n" + Self.enochSig, verifiers: [Self.enoch, Self.peter, Self.enoch]) } == .ambiguousKey)
        #expect(Self.code { _ = try SignedNote.open(Self.text + "\n" + Self.peterSig, verifiers: [Self.enoch, Self.peter, Self.enoch]) } == nil)

        // Repeated signatures are reported once.
        let twice = try SignedNote(parsing: Self.text + "\n" + Self.peterSig + Self.peterSig)
        #expect(try twice.verify(using: [Self.peter]).count == 1)
    }

    @Test func aModifiedNoteOrSignatureFails() throws {
        // The text changed.
        let changedText = Self.text.replacingFirst("answer", with: "Answer")
        #expect(Self.code { _ = try SignedNote.open(changedText + "\n" + Self.peterSig, verifiers: [Self.peter]) } == .invalidSignature)
        // Go's vector: four characters inserted into the signature's base64.
        var signature = Array(Self.peterSig.utf8)
        signature.insert(contentsOf: Array("ABCD".utf8), at: 60)
        let inserted = Self.text + "\n" + String(decoding: signature, as: UTF8.self)
        #expect(Self.code { _ = try SignedNote.open(inserted, verifiers: [Self.peter]) } == .invalidSignature)
        // One bit of the signature flipped.
        var note = try SignedNote(parsing: Self.text + "\n" + Self.peterSig)
        var bytes = note.signatures[0].signature
        bytes[10] ^= 0x04
        note = try SignedNote(text: note.text, signatures: [try NoteSignature(keyName: "PeterNeumann", keyID: 0xc74f_20a3, signature: bytes)])
        #expect(Self.code { _ = try note.verify(using: [Self.peter]) } == .invalidSignature)
        // A known key's bad signature rejects the note even when another signature verifies.
        #expect(Self.code { _ = try SignedNote.open(inserted + Self.enochSig, verifiers: [Self.peter, Self.enoch]) } == .invalidSignature)
    }

    @Test func malformedNotesAreRefused() {
        let text = Array(Self.text.utf8)
        let signature = Array(Self.peterSig.utf8)
        let newline = Array("\n".utf8)
        let malformed: [[UInt8]] = [
            text,
            text + newline,
            text + newline + signature.dropLast(),
            [0x01] + text + newline + signature,
            [0xFF] + text + newline + signature,
            text + newline + Array("— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=".utf8),
            text + newline + signature + Array("Unexpected line.\n".utf8),
            text + newline + signature + newline,
            text + newline + Array("-- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n".utf8),
            text + newline + Array("— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n".utf8),
            text + newline + Array("— PeterNeumann\n".utf8),
            text + newline + Array("— PeterNeumann AAAAAA==\n".utf8),
            text + newline + Array("— Peter+Neumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n".utf8),
            Array("a\r\nb\n".utf8) + newline + signature,
            Array("a\tb\n".utf8) + newline + signature,
            [0xC0, 0x80] + text + newline + signature,  // overlong UTF-8
            text + newline + Array(repeating: signature, count: 101).flatMap { $0 },
        ]
        for message in malformed {
            let code = Self.code { _ = try SignedNote(parsing: message) }
            #expect(code == .malformedNote, "\(String(decoding: message, as: UTF8.self).debugDescription)")
        }
        // Up to the cap a note may repeat lines (they verify once).
        #expect(Self.code { _ = try SignedNote(parsing: text + newline + Array(repeating: signature, count: 100).flatMap { $0 }) } == nil)
    }

    @Test func badTextsAreRefusedForSigning() throws {
        let signer = try NoteSigner.generate(name: "solmu.example/link-log")
        for text in ["", "no final newline", "tab\there\n", "carriage\r\n"] {
            #expect(Self.code { var note = try SignedNote(text: text); try note.sign(with: signer) } == .malformedText, "\(text.debugDescription)")
        }
        // Blank lines inside the text are allowed; the last blank line separates the signatures.
        var note = try SignedNote(text: "first\n\nthird\n\n")
        try note.sign(with: signer)
        let opened = try SignedNote.open(note.formatted, verifiers: [signer.verifier])
        #expect(opened.text == "first\n\nthird\n\n")
        for name in ["", "a b", "a+b", "tab\tname", "nbsp\u{00A0}name", "ideographic\u{3000}space"] {
            #expect(Self.code { _ = try NoteSigner.generate(name: name) } == .invalidKeyName, "\(name.debugDescription)")
        }
    }

    @Test func generatedKeysRoundTripAndNeverShowTheSecret() throws {
        let signer = try NoteSigner.generate(name: "solmu.example/link-log")
        let secret = signer.signerKey()
        #expect(secret.hasPrefix("PRIVATE+KEY+solmu.example/link-log+"))
        let parsed = try NoteSigner(signerKey: secret)
        #expect(parsed.keyID == signer.keyID)
        #expect(parsed.verifier.verifierKey == signer.verifier.verifierKey)
        #expect(try NoteVerifier(verifierKey: signer.verifier.verifierKey).keyID == signer.keyID)
        let shown = "\(signer) \(String(reflecting: signer))"
        #expect(!shown.contains(String(secret.split(separator: "+").last!)))
        #expect("\(signer)".contains("solmu.example/link-log+"))
    }

    @Test func theSpecsOwnExamplesParse() throws {
        let note = try SignedNote(parsing: """
            Ognuno sta solo sul cuor della terra
            trafitto da un raggio di sole:

            ed è subito sera.

            — quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=

            """)
        #expect(note.text.hasSuffix("ed è subito sera.\n"))
        #expect(note.signatures.first?.keyName == "quasimodo.example/salvatore")
        #expect(Self.code { _ = try note.verify(using: [Self.peter]) } == .noVerifiedSignature)
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
