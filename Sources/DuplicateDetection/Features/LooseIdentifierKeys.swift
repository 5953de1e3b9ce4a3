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
        var domainHash: UInt64
        var domain: [UInt8]
        var canonicalDomain: [UInt8]
        var ignoresDots: Bool
    }

    private var providers: [Provider] = []
    private var separators: [UInt8]

    init(configuration: MatchConfiguration) {
        for rule in configuration.emailProviders {
            guard let canonical = rule.domains.first else { continue }
            for domain in rule.domains {
                let bytes = Array(domain.lowercased().utf8)
                providers.append(Provider(domainHash: StableHash.of(tag: 0, bytes: bytes), domain: bytes, canonicalDomain: Array(canonical.lowercased().utf8), ignoresDots: rule.ignoresDots))
            }
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
        var hash = StableHash.Bytes()
        let found = value.utf8.withContiguousStorageIfAvailable { mailbox(in: $0) { hash.append($0) } }
            ?? mailbox(in: Array(value.utf8)) { hash.append($0) }
        return found ? hash.value(tag: Tag.emailLoose) : nil
    }

    /// The canonical mailbox bytes, `local@domain` (for tests; personal data).
    func mailbox(_ value: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        return mailbox(in: Array(value.utf8)) { bytes.append($0) } ? bytes : nil
    }

    /// Feeds the canonical mailbox of an address to `emit`; false when it is not an address.
    private func mailbox(in bytes: some RandomAccessCollection<UInt8>, emit: (UInt8) -> Void) -> Bool {
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), at != bytes.startIndex else { return false }
        let domain = bytes[bytes.index(after: at)...]
        guard !domain.isEmpty else { return false }
        var provider: Provider?
        if !providers.isEmpty {
            let domainHash = StableHash.of(tag: 0, bytes: domain)
            provider = providers.first { $0.domainHash == domainHash && $0.domain.elementsEqual(domain) }
        }
        let ignoresDots = provider?.ignoresDots ?? false
        var local = bytes[..<at]
        if let cut = local.firstIndex(where: separators.contains), cut != local.startIndex { local = local[..<cut] }
        for byte in local where !(ignoresDots && byte == UInt8(ascii: ".")) { emit(byte) }
        emit(UInt8(ascii: "@"))
        if let provider {
            for byte in provider.canonicalDomain { emit(byte) }
        } else {
            for byte in domain { emit(byte) }
        }
        return true
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
