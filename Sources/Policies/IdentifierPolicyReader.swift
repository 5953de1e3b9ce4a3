import Identifiers

/// Reads `identifiers.yaml`.
enum IdentifierPolicyReader {
    static func read(_ root: PolicyNode) throws(PolicyError) -> IdentifierPolicy {
        let fields = try root.fields(["phone", "social", "loyalty_programs", "receipts"])
        return IdentifierPolicy(
            phone: try phone(fields.required("phone")),
            social: try social(fields.required("social")),
            loyaltyPrograms: try loyaltyPrograms(fields.required("loyalty_programs")),
            receipts: try receipts(fields.required("receipts"))
        )
    }

    private static func phone(_ node: PolicyNode) throws(PolicyError) -> PhonePolicy {
        let fields = try node.fields(["default_region", "allowed_regions"])
        let defaultRegion = try region(fields.required("default_region"))
        var allowed: [String]?
        if let list = fields["allowed_regions"] {
            var regions: [String] = []
            for element in try list.sequence() { regions.append(try region(element)) }
            guard regions.contains(defaultRegion) else {
                throw list.error("must include the default region \(defaultRegion)")
            }
            allowed = regions
        }
        return PhonePolicy(defaultRegion: defaultRegion, allowedRegions: allowed)
    }

    private static func region(_ node: PolicyNode) throws(PolicyError) -> String {
        let code = try node.string()
        guard code.utf8.count == 2, code.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            throw node.error("must be an ISO 3166-1 alpha-2 region code in capitals, such as FI")
        }
        return code
    }

    private static func social(_ node: PolicyNode) throws(PolicyError) -> [String: SocialNetworkPolicy] {
        var networks: [String: SocialNetworkPolicy] = [:]
        for (name, value) in try node.mapping() {
            try namespace(name, value)
            let fields = try value.fields(["handle", "subject"])
            var handle: HandleRule?
            if let handleNode = fields["handle"] {
                let rule = try handleNode.fields(["min_length", "max_length", "characters", "case_sensitive", "strip_leading_at", "no_leading_or_trailing"])
                let (min, max) = try lengths(rule, handleNode)
                handle = HandleRule(
                    minLength: min, maxLength: max,
                    allowedCharacters: try rule.required("characters").string(),
                    caseSensitive: try rule["case_sensitive"]?.bool() ?? false,
                    stripLeadingAt: try rule["strip_leading_at"]?.bool() ?? true,
                    noLeadingOrTrailing: try rule["no_leading_or_trailing"]?.string() ?? ""
                )
            }
            let subjectNode = try fields.required("subject")
            let subject = try subjectNode.fields(["min_length", "max_length", "characters"])
            let (min, max) = try lengths(subject, subjectNode)
            networks[name] = SocialNetworkPolicy(
                handle: handle,
                subject: SubjectRule(minLength: min, maxLength: max, allowedCharacters: try subject.required("characters").string())
            )
        }
        return networks
    }

    private static func loyaltyPrograms(_ node: PolicyNode) throws(PolicyError) -> [String: LoyaltyProgramPolicy] {
        var programs: [String: LoyaltyProgramPolicy] = [:]
        for (name, value) in try node.mapping() {
            try namespace(name, value)
            let fields = try value.fields(["min_length", "max_length", "alphabet", "luhn", "prefixes"])
            let (min, max) = try lengths(fields, value)
            let alphabetNode = try fields.required("alphabet")
            guard let alphabet = LoyaltyProgramPolicy.Alphabet(rawValue: try alphabetNode.string()) else {
                throw alphabetNode.error("must be digits or alphanumeric")
            }
            programs[name] = LoyaltyProgramPolicy(
                minLength: min, maxLength: max, alphabet: alphabet,
                luhn: try fields["luhn"]?.bool() ?? false,
                prefixes: try fields["prefixes"]?.strings() ?? []
            )
        }
        return programs
    }

    private static func receipts(_ node: PolicyNode) throws(PolicyError) -> ReceiptPolicy {
        let fields = try node.fields(["store_id_characters", "store_id_max_length", "default_format", "stores"])
        var stores: [String: ReceiptFormat] = [:]
        if let storesNode = fields["stores"] {
            for (name, value) in try storesNode.mapping() {
                try namespace(name, value)
                stores[name] = try receiptFormat(value)
            }
        }
        return ReceiptPolicy(
            defaultFormat: try receiptFormat(fields.required("default_format")),
            stores: stores,
            storeIDCharacters: try fields.required("store_id_characters").string(),
            storeIDMaxLength: try fields.required("store_id_max_length").int(in: 1...64)
        )
    }

    private static func receiptFormat(_ node: PolicyNode) throws(PolicyError) -> ReceiptFormat {
        let fields = try node.fields(["terminal_digits", "number_digits", "separators"])
        return ReceiptFormat(
            terminalDigits: try digitRange(fields.required("terminal_digits")),
            numberDigits: try digitRange(fields.required("number_digits")),
            separators: try fields.required("separators").string()
        )
    }

    /// `[min, max]`.
    private static func digitRange(_ node: PolicyNode) throws(PolicyError) -> ClosedRange<Int> {
        let bounds = try node.sequence()
        guard bounds.count == 2 else { throw node.error("must be [min, max]") }
        let low = try bounds[0].int(in: 1...32)
        let high = try bounds[1].int(in: 1...32)
        guard low <= high else { throw node.error("min must not exceed max") }
        return low...high
    }

    private static func lengths(_ fields: PolicyNode.Fields, _ node: PolicyNode) throws(PolicyError) -> (Int, Int) {
        let min = try fields.required("min_length").int(in: 1...1024)
        let max = try fields.required("max_length").int(in: 1...1024)
        guard min <= max else { throw node.error("min_length must not exceed max_length") }
        return (min, max)
    }

    private static func namespace(_ name: String, _ node: PolicyNode) throws(PolicyError) {
        guard (1...64).contains(name.utf8.count), name.utf8.allSatisfy({
            ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }) else {
            throw node.error("a namespace must be 1 to 64 characters of a-z, 0-9, '-', '_' and '.'")
        }
    }
}
