import Foundation

/// A compact JWS split into its parts (RFC 7515 §7.1), header decoded, nothing verified yet.
struct CompactJWS: Sendable {
    /// The decoded protected header.
    let header: JOSEHeader
    /// The base64url-decoded payload.
    let payload: [UInt8]
    /// The base64url-decoded signature.
    let signature: [UInt8]
    /// `BASE64URL(header) || '.' || BASE64URL(payload)`, the bytes the signature covers.
    let signingInput: ArraySlice<UInt8>

    /// Splits and decodes a token: exactly three base64url parts separated by dots.
    init(_ token: String) throws(TokenError) {
        let bytes = Array(token.utf8)
        var dots: [Int] = []
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: ".") {
            dots.append(index)
            if dots.count > 2 { throw TokenError(.malformed, reason: "a compact JWS has exactly three parts") }
        }
        guard dots.count == 2 else { throw TokenError(.malformed, reason: "a compact JWS has exactly three parts") }
        let headerPart = bytes[0..<dots[0]]
        let payloadPart = bytes[(dots[0] + 1)..<dots[1]]
        let signaturePart = bytes[(dots[1] + 1)...]

        guard !headerPart.isEmpty, let headerJSON = Base64URL.decode(headerPart) else {
            throw TokenError(.malformed, reason: "header is not base64url")
        }
        do {
            header = try JSONDecoder().decode(JOSEHeader.self, from: Data(headerJSON))
        } catch {
            throw TokenError(.malformed, reason: "header is not a JSON object with string alg, typ, kid")
        }
        guard let payload = Base64URL.decode(payloadPart) else {
            throw TokenError(.malformed, reason: "payload is not base64url")
        }
        guard let signature = Base64URL.decode(signaturePart) else {
            throw TokenError(.malformed, reason: "signature is not base64url")
        }
        self.payload = payload
        self.signature = signature
        self.signingInput = bytes[0..<dots[1]]
    }

    /// Serializes a header and payload and signs them with `key`.
    static func sign(header: [UInt8], payload: [UInt8], with key: SigningKey) throws -> String {
        var token = Base64URL.encode(header)
        token += "."
        token += Base64URL.encode(payload)
        let signature = try key.privateKey.signature(for: Array(token.utf8))
        token += "."
        token += Base64URL.encode(signature)
        return token
    }
}
