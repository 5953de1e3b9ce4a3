/// Normalizes social network values: `id:<subject>` subject ids and public handles.
struct SocialNormalizer: Sendable {
    static let subjectPrefix = "id:"

    let network: String
    let policy: SocialNetworkPolicy
    private let handleCharacters: TextScanning.CharacterSet?
    private let handleEdges: TextScanning.CharacterSet
    private let subjectCharacters: TextScanning.CharacterSet

    init(network: String, policy: SocialNetworkPolicy) {
        self.network = network
        self.policy = policy
        self.handleCharacters = policy.handle.map { TextScanning.CharacterSet($0.allowedCharacters) }
        self.handleEdges = TextScanning.CharacterSet(policy.handle?.noLeadingOrTrailing ?? "")
        self.subjectCharacters = TextScanning.CharacterSet(policy.subject.allowedCharacters)
    }

    /// The normalized value of a trimmed, non-empty input: `id:<subject>` or a bare handle.
    func normalize(_ value: String) throws(IdentifierError) -> String {
        let utf8 = value.utf8
        if utf8.count >= 3, utf8.prefix(3).map({ $0 | 0x20 }).elementsEqual(Self.subjectPrefix.utf8) {
            return try subject(String(value.unicodeScalars.dropFirst(3)))
        }
        guard let handle = policy.handle, let handleCharacters else {
            return try subject(value)
        }
        return try self.handle(value, rule: handle, characters: handleCharacters)
    }

    private func subject(_ raw: String) throws(IdentifierError) -> String {
        let subject = TextScanning.nfkc(TextScanning.trimmingWhitespace(raw))
        let rule = policy.subject
        let count = subject.count
        guard count >= rule.minLength else {
            throw count == 0
                ? IdentifierError(.empty, reason: "the \(network) subject id after 'id:' is empty")
                : IdentifierError(.tooShort, reason: "a subject id on \(network) has \(TextScanning.describe(rule.minLength...max(rule.minLength, rule.maxLength))) characters, got \(count)")
        }
        guard count <= rule.maxLength else {
            throw IdentifierError(.tooLong, reason: "a subject id on \(network) has at most \(rule.maxLength) characters, got \(count)")
        }
        for character in subject where !subjectCharacters.contains(character) {
            throw IdentifierError(.invalidCharacter, reason: "a subject id on \(network) may contain only the characters \(rule.allowedCharacters.compactedDescription)")
        }
        return Self.subjectPrefix + subject
    }

    private func handle(_ raw: String, rule: HandleRule, characters: TextScanning.CharacterSet) throws(IdentifierError) -> String {
        var handle = TextScanning.nfkc(raw)
        if rule.stripLeadingAt, handle.utf8.first == UInt8(ascii: "@") {
            handle = TextScanning.trimmingWhitespace(String(handle.unicodeScalars.dropFirst()))
        }
        if !rule.caseSensitive {
            handle = TextScanning.isASCII(handle) ? TextScanning.asciiLowercased(handle) : handle.lowercased()
        }
        let count = handle.count
        guard count > 0 else {
            throw IdentifierError(.empty, reason: "the \(network) handle is empty")
        }
        guard count >= rule.minLength else {
            throw IdentifierError(.tooShort, reason: "a handle on \(network) has at least \(TextScanning.count(rule.minLength, "character")), got \(count)")
        }
        guard count <= rule.maxLength else {
            throw IdentifierError(.tooLong, reason: "a handle on \(network) has at most \(TextScanning.count(rule.maxLength, "character")), got \(count)")
        }
        for character in handle where !characters.contains(character) {
            if character == "@" {
                throw IdentifierError(.invalidCharacter, reason: "a handle on \(network) may not contain '@' except as its first character")
            }
            throw IdentifierError(.invalidCharacter, reason: "a handle on \(network) may contain only the characters \(rule.allowedCharacters.compactedDescription)")
        }
        if let first = handle.first, let last = handle.last, handleEdges.contains(first) || handleEdges.contains(last) {
            throw IdentifierError(.invalidSyntax, reason: "a handle on \(network) may not start or end with \(rule.noLeadingOrTrailing.compactedDescription)")
        }
        return handle
    }
}

extension String {
    /// A short description of a character list for error messages: runs such as `a-z`, `0-9`.
    var compactedDescription: String {
        var pieces: [String] = []
        var rest = self
        for (run, label) in [("abcdefghijklmnopqrstuvwxyz", "a-z"), ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "A-Z"), ("0123456789", "0-9")] where rest.contains(run) {
            pieces.append(label)
            rest = rest.replacingOccurrences(of: run, with: "")
        }
        pieces.append(contentsOf: rest.map { "'\($0)'" })
        return pieces.joined(separator: " ")
    }

    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }

    private func range(of target: String) -> Range<String.Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(target) {
                return index..<self.index(index, offsetBy: target.count)
            }
            index = self.index(after: index)
        }
        return nil
    }
}
