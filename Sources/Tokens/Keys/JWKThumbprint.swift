import Crypto

/// RFC 7638 JWK thumbprints, used as `kid`.
enum JWKThumbprint {
    /// The thumbprint of a public key given by its required members.
    ///
    /// The canonical JSON holds only the required members in lexicographic order with no
    /// whitespace: `{"crv","kty","x","y"}` for EC (RFC 7638 §3.2), `{"crv","kty","x"}` for OKP
    /// (RFC 8037 §2). The values are base64url or fixed names, so no JSON escaping is needed.
    static func compute(_ members: (kty: String, crv: String, x: String, y: String?)) -> String {
        var json = #"{"crv":"\#(members.crv)","kty":"\#(members.kty)","x":"\#(members.x)""#
        if let y = members.y {
            json += #","y":"\#(y)""#
        }
        json += "}"
        return Base64URL.encode(Array(SHA256.hash(data: Array(json.utf8))))
    }
}
