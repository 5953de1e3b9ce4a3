/// A transparency log checkpoint (https://c2sp.org/tlog-checkpoint): the log's origin, a tree size
/// and the root hash at that size, as the text of a signed note.
///
/// ```
/// example.com/behind-the-sofa
/// 20852163
/// CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
/// ```
///
/// Every line ends in a newline; lines after the third are optional, opaque extension lines.
public struct Checkpoint: Sendable, Hashable {
    /// The log's identity, e.g. `solmu.example/link-log`; by convention also the signing key's name.
    public let origin: String
    /// The number of leaves in the tree.
    public let size: UInt64
    /// The RFC 9162 root hash of the first ``size`` leaves.
    public let rootHash: TreeHash
    /// Extension lines, without newlines; usually none (the spec does not recommend them).
    public let extensions: [String]

    /// Creates a checkpoint.
    ///
    /// - Parameters:
    ///   - origin: The log's identity: non-empty, no newline or control character.
    ///   - size: The tree size.
    ///   - rootHash: The root hash at that size.
    ///   - extensions: Extension lines: each non-empty, no newline or control character.
    /// - Throws: ``CheckpointError`` with code `invalidOrigin` or `invalidExtension`.
    public init(origin: String, size: UInt64, rootHash: TreeHash, extensions: [String] = []) throws(CheckpointError) {
        guard Self.isValidLine(origin) else {
            throw CheckpointError(.invalidOrigin, reason: "the origin must be non-empty without newlines or control characters")
        }
        for (position, line) in extensions.enumerated() where !Self.isValidLine(line) {
            throw CheckpointError(.invalidExtension, reason: "extension line \(position + 1) is empty or contains a newline or control character")
        }
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensions = extensions
    }

    /// Parses a checkpoint from a note text strictly.
    ///
    /// - Parameter text: The note text: origin, decimal size without leading zeroes, base64 root
    ///   hash and optional non-empty extension lines, each ending in a newline.
    /// - Throws: ``CheckpointError``.
    public init(parsing text: String) throws(CheckpointError) {
        // Bytes, not Characters: "\r\n" is one Character and would hide a carriage return.
        let bytes = Array(text.utf8)
        guard bytes.last == UInt8(ascii: "\n") else {
            throw CheckpointError(.malformedText, reason: "a checkpoint text must end in a newline")
        }
        guard bytes.allSatisfy({ $0 >= 0x20 || $0 == UInt8(ascii: "\n") }) else {
            throw CheckpointError(.malformedText, reason: "a checkpoint text contains a control character")
        }
        let lines = bytes.dropLast().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard lines.count >= 3 else {
            throw CheckpointError(.malformedText, reason: "a checkpoint has at least three lines, this one has \(lines.count)")
        }
        guard Self.isValidLine(lines[0]) else {
            throw CheckpointError(.invalidOrigin, reason: "the origin line is empty or contains a control character")
        }
        let digits = lines[1].utf8
        guard !digits.isEmpty, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            digits.first != UInt8(ascii: "0") || digits.count == 1, let size = UInt64(lines[1])
        else {
            throw CheckpointError(.invalidTreeSize, reason: "the tree size line is not a decimal number without leading zeroes below 2^64")
        }
        guard let rootHash = TreeHash(base64: lines[2]) else {
            throw CheckpointError(.invalidRootHash, reason: "the root hash line is not canonical base64 of 32 bytes")
        }
        try self.init(origin: String(lines[0]), size: size, rootHash: rootHash, extensions: Array(lines.dropFirst(3)))
    }

    /// The note text: one line each for origin, size, root hash and any extensions.
    public var text: String {
        var result = "\(origin)\n\(size)\n\(rootHash.base64)\n"
        for line in extensions {
            result += line + "\n"
        }
        return result
    }

    /// Signs the checkpoint.
    ///
    /// - Parameter signers: The keys to sign with, the log's own first; at least one.
    /// - Returns: The signed note, ready to serve (``SignedNote/formatted``).
    /// - Throws: ``NoteError`` with code `malformedNote` when `signers` is empty, or when signing
    ///   fails.
    public func signed(by signers: [NoteSigner]) throws(NoteError) -> SignedNote {
        guard !signers.isEmpty else {
            throw NoteError(.malformedNote, reason: "a signed note needs at least one signature")
        }
        var note = try SignedNote(text: text)
        for signer in signers {
            try note.sign(with: signer)
        }
        return note
    }

    /// Parses and verifies a signed checkpoint.
    ///
    /// Check ``origin`` against the log you expect: the signature proves only who signed.
    ///
    /// - Parameters:
    ///   - message: The signed note as received.
    ///   - verifiers: The known keys (the log's, and witnesses' if any).
    /// - Returns: The checkpoint.
    /// - Throws: ``NoteError`` when the note is malformed or does not verify, then
    ///   ``CheckpointError`` when its text is not a checkpoint.
    public static func open(_ message: String, verifiers: [NoteVerifier]) throws -> Checkpoint {
        let note = try SignedNote.open(message, verifiers: verifiers)
        return try Checkpoint(parsing: note.text)
    }

    private static func isValidLine(_ line: some StringProtocol) -> Bool {
        !line.isEmpty && line.unicodeScalars.allSatisfy { $0.value >= 0x20 }
    }
}
