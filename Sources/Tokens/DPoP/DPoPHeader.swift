/// The protected header of a DPoP proof (RFC 9449 §4.2): `typ`, `alg` and the public `jwk`.
struct DPoPHeader: Sendable, Decodable {
    var type: String?
    var algorithm: String?
    var key: PresentedJWK?
    /// Every parameter name present in the header.
    var parameterNames: Set<String>

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        parameterNames = Set(container.allKeys.map(\.stringValue))
        type = try container.decodeIfPresent(String.self, forKey: AnyCodingKey("typ"))
        algorithm = try container.decodeIfPresent(String.self, forKey: AnyCodingKey("alg"))
        key = try container.decodeIfPresent(PresentedJWK.self, forKey: AnyCodingKey("jwk"))
    }
}

/// A JWK as a client presented it: the names of all its members and the values of those that are
/// strings. Nothing is trusted yet; the verifier decides whether it is a usable public key.
struct PresentedJWK: Sendable, Decodable {
    var memberNames: Set<String>
    var strings: [String: String]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        memberNames = Set(container.allKeys.map(\.stringValue))
        var strings: [String: String] = [:]
        for key in container.allKeys {
            // Members with other JSON types (`key_ops` is an array) are kept by name only.
            if let value = try? container.decode(String.self, forKey: key) {
                strings[key.stringValue] = value
            }
        }
        self.strings = strings
    }

    /// Whether any private or symmetric key member is present, whatever its value.
    var hasPrivateMembers: Bool {
        !memberNames.isDisjoint(with: SigningKey.PublicKey.privateMemberNames)
    }
}

/// A coding key for any member name.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
