import Foundation

/// The claims of a client assertion (RFC 7523 §3, OIDC Core §9). All optional here, so that a
/// missing claim is told apart from a claim of the wrong JSON type (malformed).
struct ClientAssertionClaims: Sendable, Decodable {
    var issuer: String?
    var subject: String?
    /// `aud` as a string or an array of strings (RFC 7519 §4.1.3).
    var audience: [String]?
    var expiresAt: Date?
    var notBefore: Date?
    var issuedAt: Date?
    var jti: String?

    private enum CodingKeys: String, CodingKey {
        case issuer = "iss"
        case subject = "sub"
        case audience = "aud"
        case expiresAt = "exp"
        case notBefore = "nbf"
        case issuedAt = "iat"
        case jti
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try container.decodeIfPresent(String.self, forKey: .issuer)
        subject = try container.decodeIfPresent(String.self, forKey: .subject)
        if let single = try? container.decodeIfPresent(String.self, forKey: .audience) {
            audience = [single]
        } else {
            audience = try container.decodeIfPresent([String].self, forKey: .audience)
        }
        expiresAt = try NumericDate.decodeIfPresent(container, forKey: .expiresAt)
        notBefore = try NumericDate.decodeIfPresent(container, forKey: .notBefore)
        issuedAt = try NumericDate.decodeIfPresent(container, forKey: .issuedAt)
        jti = try container.decodeIfPresent(String.self, forKey: .jti)
    }
}
