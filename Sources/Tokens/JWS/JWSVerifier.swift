/// Verifies the JOSE layer of tokens signed by this server (RFC 8725), for any token kind.
///
/// It checks size, structure, `typ`, refused header members, `alg` against the allow-list and
/// against the key named by `kid`, and the signature. Claims are left to the caller.
struct JWSVerifier: Sendable {
    /// Tokens longer than this are refused before any parsing or cryptography.
    static let maximumTokenLength = 8 * 1024

    /// Where the keys come from; read once per token.
    let keyStore: SigningKeyStore

    /// Verifies `token` and returns its payload bytes.
    /// - Parameters:
    ///   - token: A compact JWS.
    ///   - type: The expected `typ`, e.g. `at+jwt`; `application/<type>` is also accepted, both
    ///     case-insensitively except that the bare form must match exactly.
    func verify(_ token: String, type expectedType: String) throws(TokenError) -> (header: JOSEHeader, payload: [UInt8]) {
        guard token.utf8.count <= Self.maximumTokenLength else {
            throw TokenError(.tooLarge, reason: "token exceeds \(Self.maximumTokenLength) bytes")
        }
        let jws = try CompactJWS(token)
        let header = jws.header

        guard let type = header.type, Self.typeMatches(type, expected: expectedType) else {
            throw TokenError(.wrongType, reason: "header typ must be \(expectedType)")
        }
        if let refused = JOSEHeader.forbiddenParameters.first(where: header.parameterNames.contains) {
            throw TokenError(.forbiddenHeader, reason: "header parameter \(refused) is not accepted")
        }
        guard let name = header.algorithm, let algorithm = SigningAlgorithm(rawValue: name) else {
            throw TokenError(.unsupportedAlgorithm, reason: "alg must be one of ES256, EdDSA")
        }
        guard let kid = header.keyID, let key = keyStore.snapshot.keys.key(withID: kid) else {
            throw TokenError(.unknownKey, reason: "kid does not name a key of this server")
        }
        guard key.algorithm == algorithm else {
            throw TokenError(.algorithmMismatch, reason: "the key named by kid is not an \(algorithm.rawValue) key")
        }
        guard key.publicKey.isValidSignature(jws.signature, for: jws.signingInput) else {
            throw TokenError.badSignature
        }
        return (header, jws.payload)
    }

    /// `typ` comparison per RFC 7515 §4.1.9: media type names are case-insensitive and the
    /// `application/` prefix may be left out; the short form must be exact, as RFC 9068 writes it.
    static func typeMatches(_ type: String, expected: String) -> Bool {
        if type == expected { return true }
        let full = "application/" + expected
        return type.utf8.count == full.utf8.count && type.lowercased() == full.lowercased()
    }
}
