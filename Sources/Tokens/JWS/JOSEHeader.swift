/// The protected header of a compact JWS, as far as verification needs it.
///
/// All parameter names are recorded so that refused ones (`jku`, `x5u`, `jwk`, `x5c`, `crit`)
/// are detected whatever their value.
struct JOSEHeader: Sendable, Decodable {
    var algorithm: String?
    var type: String?
    var keyID: String?
    /// Every parameter name present in the header.
    var parameterNames: Set<String>

    /// Header parameters that would let a token choose its own verification key or impose
    /// extensions we do not implement (RFC 8725 §3.10, RFC 7515 §4.1.11); a token carrying any
    /// of them is refused.
    static let forbiddenParameters: Set<String> = ["jku", "x5u", "jwk", "x5c", "crit"]

    private struct Name: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Name.self)
        parameterNames = Set(container.allKeys.map(\.stringValue))
        algorithm = try container.decodeIfPresent(String.self, forKey: Name(stringValue: "alg"))
        type = try container.decodeIfPresent(String.self, forKey: Name(stringValue: "typ"))
        keyID = try container.decodeIfPresent(String.self, forKey: Name(stringValue: "kid"))
    }
}
