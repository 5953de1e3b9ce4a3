import Identifiers

/// Keys under which identifiers that are one mailbox or one phone line meet, though their
/// normalized values differ. A key is a 64-bit hash: values are never kept.
struct LooseIdentifierKeys: Sendable {
    /// Hash tags, one per key kind, so that keys of different kinds never meet.
    enum Tag {
        static let emailExact: UInt64 = 1
        static let emailLoose: UInt64 = 2
        static let phoneExact: UInt64 = 3
        static let phoneLoose: UInt64 = 4
        static let otherExact: UInt64 = 5
    }

    /// National numbers shorter than this (after leading zeros) are too unspecific to match
    /// across calling codes.
    static let minimumNationalDigits = 6

    private struct Provider: Sendable {
        var canonicalDomain: [UInt8]
        var ignoresDots: Bool
    }

    private var providers: [[UInt8]: Provider] = [:]
    private var separators: [UInt8]

    init(configuration: MatchConfiguration) {
        for rule in configuration.emailProviders {
            guard let canonical = rule.domains.first else { continue }
            let provider = Provider(canonicalDomain: Array(canonical.lowercased().utf8), ignoresDots: rule.ignoresDots)
            for domain in rule.domains { providers[Array(domain.lowercased().utf8)] = provider }
        }
        separators = configuration.subaddressSeparators.compactMap { $0.isASCII ? $0.asciiValue : nil }
    }

    /// The exact key of any identifier.
    func exactKey(_ identifier: Identifier) -> UInt64 {
        switch identifier.kind {
        case .email: return StableHash.of(tag: Tag.emailExact, bytes: identifier.value.utf8)
        case .phone: return StableHash.of(tag: Tag.phoneExact, bytes: identifier.value.utf8)
        case .social, .loyaltyCard, .receipt:
            var hash = StableHash(tag: Tag.otherExact)
            hash.combine(bytes: identifier.kind.rawValue.utf8)
            hash.combine(bytes: (identifier.namespace ?? "").utf8)
            hash.combine(bytes: identifier.value.utf8)
            return hash.value
        }
    }

    /// The loose key of an e-mail address or phone number; `nil` for other kinds and for values
    /// that have none.
    func looseKey(_ identifier: Identifier) -> UInt64? {
        switch identifier.kind {
        case .email: emailKey(identifier.value)
        case .phone: phoneKey(identifier.value)
        case .social, .loyaltyCard, .receipt: nil
        }
    }

    /// The mailbox key: the local part up to a sub-address separator, without dots where the
    /// provider ignores them, at the provider's canonical domain.
    func emailKey(_ value: String) -> UInt64? {
        guard let mailbox = mailbox(value) else { return nil }
        return StableHash.of(tag: Tag.emailLoose, bytes: mailbox)
    }

    /// The canonical mailbox bytes, `local@domain` (for tests; personal data).
    func mailbox(_ value: String) -> [UInt8]? {
        let bytes = Array(value.utf8)
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1 else { return nil }
        let domain = Array(bytes[(at + 1)...])
        let provider = providers[domain]
        var local = bytes[..<at]
        if let cut = local.firstIndex(where: { separators.contains($0) }), cut > local.startIndex {
            local = local[..<cut]
        }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        if provider?.ignoresDots == true {
            result.append(contentsOf: local.lazy.filter { $0 != UInt8(ascii: ".") })
        } else {
            result.append(contentsOf: local)
        }
        result.append(UInt8(ascii: "@"))
        result.append(contentsOf: provider?.canonicalDomain ?? domain)
        return result
    }

    /// The national significant number without leading zeros, whatever the calling code: a
    /// number entered without its country code and parsed under another region, or stored with
    /// its trunk zero, meets the right one here.
    func phoneKey(_ value: String) -> UInt64? {
        guard let digits = nationalDigits(value) else { return nil }
        return StableHash.of(tag: Tag.phoneLoose, bytes: digits)
    }

    /// The national digits the phone key is made of (for tests; personal data).
    func nationalDigits(_ value: String) -> Substring.UTF8View? {
        guard let number = E164Number(value) else { return nil }
        let national = number.nationalNumber.drop { $0 == "0" }
        guard national.utf8.count >= Self.minimumNationalDigits else { return nil }
        return national.utf8
    }
}
