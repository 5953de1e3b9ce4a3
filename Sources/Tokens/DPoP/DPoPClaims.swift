import Foundation

/// The claims of a DPoP proof (RFC 9449 §4.2). All optional here, so that a missing claim is
/// told apart from a claim of the wrong JSON type (malformed).
struct DPoPClaims: Sendable, Decodable {
    var jti: String?
    var htm: String?
    var htu: String?
    var iat: Date?
    var ath: String?
    var nonce: String?

    private enum CodingKeys: String, CodingKey {
        case jti, htm, htu, iat, ath, nonce
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        jti = try container.decodeIfPresent(String.self, forKey: .jti)
        htm = try container.decodeIfPresent(String.self, forKey: .htm)
        htu = try container.decodeIfPresent(String.self, forKey: .htu)
        iat = try NumericDate.decodeIfPresent(container, forKey: .iat)
        ath = try container.decodeIfPresent(String.self, forKey: .ath)
        nonce = try container.decodeIfPresent(String.self, forKey: .nonce)
    }
}
