public import Crypto
public import Foundation

/// Verifies DPoP proofs (RFC 9449 §4.3) and issues the stateless server nonces they may have to
/// carry (§8).
///
/// Checked: size, structure, `typ` `dpop+jwt`, `alg` ES256 or EdDSA (RSA and HMAC are not
/// accepted), a public `jwk` of the type `alg` needs, the signature under that key, `jti`, `htm`,
/// `htu` (query and fragment ignored), `iat` within ``acceptedAge`` of now in either direction,
/// `ath` when an access token is presented, and a fresh server nonce when asked for.
///
/// `jti` replay is not checked here: the caller remembers ``DPoPProof/jti`` (namespaced by
/// ``DPoPProof/jkt``) for at least twice ``acceptedAge``, the span in which an `iat` is accepted.
///
/// A nonce is `base64url(bucket ‖ HMAC-SHA-256(nonceKey, label ‖ bucket))` where `bucket` is the
/// number of whole ``nonceLifetime`` periods since 1970, 8 bytes big-endian. Nothing is stored;
/// every instance sharing `nonceKey` accepts the nonces of the others. A nonce is accepted in the
/// period it was made and the next one, so it lives between one and two ``nonceLifetime``s.
public struct DPoPProofVerifier: Sendable {
    /// Proofs longer than this are refused before any parsing or cryptography.
    public static let maximumProofLength = 8 * 1024
    /// The longest `jti` accepted, in bytes.
    public static let maximumJTILength = 256

    /// How far `iat` may lie from now, in either direction.
    public let acceptedAge: Duration
    /// The period of a nonce's time bucket.
    public let nonceLifetime: Duration

    private let nonceKey: SymmetricKey
    private let now: @Sendable () -> Date

    /// Domain separation for the nonce MAC, in case the key is ever shared with another use.
    private static let nonceLabel = Array("solmu-dpop-nonce-v1".utf8)
    private static let bucketSize = 8
    private static let nonceSize = bucketSize + SHA256.byteCount

    /// Creates a verifier.
    /// - Parameters:
    ///   - nonceKey: The key of the nonce MAC; all instances of a deployment share it.
    ///   - now: The clock.
    ///   - acceptedAge: How far `iat` may lie from now, in either direction.
    ///   - nonceLifetime: The period of a nonce's time bucket (at least one second).
    public init(
        nonceKey: SymmetricKey, now: @escaping @Sendable () -> Date = Date.init, acceptedAge: Duration = .seconds(60),
        nonceLifetime: Duration = .seconds(300)
    ) {
        self.nonceKey = nonceKey
        self.now = now
        self.acceptedAge = acceptedAge
        self.nonceLifetime = max(nonceLifetime, .seconds(1))
    }

    /// Verifies a proof from the `DPoP` request header.
    /// - Parameters:
    ///   - proof: The header value, a compact JWS.
    ///   - method: The request method, e.g. `POST`; compared exactly.
    ///   - uri: The request URI as the server sees it (absolute, scheme and host included).
    ///   - accessToken: The access token presented with the proof (resource requests), or `nil`
    ///     (the token endpoint). With a token, `ath` must be its hash; without one, `ath` must be
    ///     absent, since a proof made for a resource request has no business at the token endpoint.
    ///   - requireNonce: Whether the proof must carry a nonce of ``makeNonce()`` that is still fresh.
    /// - Returns: The key thumbprint, `jti` and `iat` of the proof.
    /// - Throws: ``DPoPError``; ``DPoPError/Code/useNonce`` only after every other check passed.
    public func verify(
        _ proof: String, method: String, uri: String, accessToken: String?, requireNonce: Bool
    ) throws(DPoPError) -> DPoPProof {
        guard proof.utf8.count <= Self.maximumProofLength else { throw .tooLarge }
        let jws: CompactJWS
        do {
            jws = try CompactJWS(proof)
        } catch {
            throw .malformed
        }
        let header: DPoPHeader
        do {
            let encodedHeader = jws.signingInput.prefix { $0 != UInt8(ascii: ".") }
            header = try JSONDecoder().decode(DPoPHeader.self, from: Data(Base64URL.decode(encodedHeader) ?? []))
        } catch {
            throw DPoPError(.malformed, reason: "header is not a JSON object with string typ and alg and an object jwk")
        }

        // typ first: explicit typing keeps other JWTs (access tokens, ID tokens) from passing as proofs.
        guard header.type == "dpop+jwt" else { throw .wrongType }
        guard let name = header.algorithm, let algorithm = SigningAlgorithm(rawValue: name) else {
            throw .unsupportedAlgorithm
        }
        guard !header.parameterNames.contains("crit") else {
            throw DPoPError(.malformed, reason: "header parameter crit is not accepted")
        }
        guard let jwk = header.key else { throw DPoPError(.badKey, reason: "header jwk is missing") }
        guard !jwk.hasPrivateMembers else { throw DPoPError(.badKey, reason: "header jwk must not contain private key members") }
        guard let key = SigningKey.PublicKey(
            kty: jwk.strings["kty"], crv: jwk.strings["crv"], x: jwk.strings["x"], y: jwk.strings["y"], for: algorithm
        ) else { throw .badKey }
        guard key.isValidSignature(jws.signature, for: jws.signingInput) else { throw .badSignature }

        let claims: DPoPClaims
        do {
            claims = try JSONDecoder().decode(DPoPClaims.self, from: Data(jws.payload))
        } catch {
            throw DPoPError(.malformed, reason: "claims are not a JSON object of the expected types")
        }
        guard let jti = claims.jti, !jti.isEmpty else { throw DPoPError(.missingClaim, reason: "jti is missing") }
        guard jti.utf8.count <= Self.maximumJTILength else {
            throw DPoPError(.missingClaim, reason: "jti is longer than \(Self.maximumJTILength) bytes")
        }
        guard let htm = claims.htm else { throw DPoPError(.missingClaim, reason: "htm is missing") }
        guard htm == method else { throw .methodMismatch }
        guard let htu = claims.htu else { throw DPoPError(.missingClaim, reason: "htu is missing") }
        guard let presented = HTTPTargetURI.normalized(htu), let expected = HTTPTargetURI.normalized(uri), presented == expected else {
            throw .uriMismatch
        }
        guard let issuedAt = claims.iat else { throw DPoPError(.missingClaim, reason: "iat is missing") }
        let age = now().timeIntervalSince(issuedAt)
        guard abs(age) <= Self.seconds(acceptedAge) else {
            throw DPoPError(.stale, reason: age > 0 ? "iat is too old" : "iat is in the future")
        }

        if let accessToken {
            guard let ath = claims.ath else { throw DPoPError(.missingClaim, reason: "ath is missing") }
            let expected = Base64URL.encode(Array(SHA256.hash(data: Array(accessToken.utf8))))
            guard Self.constantTimeEquals(Array(ath.utf8), Array(expected.utf8)) else { throw .athMismatch }
        } else if claims.ath != nil {
            throw DPoPError(.athMismatch, reason: "ath is present but no access token was presented")
        }

        if requireNonce {
            guard let nonce = claims.nonce, isFreshNonce(nonce) else { throw .useNonce }
        }
        return DPoPProof(jkt: key.thumbprint, jti: jti, issuedAt: issuedAt)
    }

    /// A fresh server nonce for the `DPoP-Nonce` response header.
    public func makeNonce() -> String {
        Base64URL.encode(nonce(bucket: currentBucket()))
    }

    /// The RFC 7638 thumbprint of a public JWK (base64url SHA-256 of its required members), as
    /// ``DPoPProof/jkt`` reports it and `cnf.jkt` carries it.
    public static func thumbprint(of jwk: JSONWebKey) -> String {
        JWKThumbprint.compute((jwk.keyType, jwk.curve, jwk.x, jwk.y))
    }

    // MARK: - Nonces

    private func currentBucket() -> Int64 {
        Int64((now().timeIntervalSince1970 / Self.seconds(nonceLifetime)).rounded(.down))
    }

    private func nonce(bucket: Int64) -> [UInt8] {
        let bucketBytes = withUnsafeBytes(of: bucket.bigEndian) { Array($0) }
        let mac = HMAC<SHA256>.authenticationCode(for: Self.nonceLabel + bucketBytes, using: nonceKey)
        return bucketBytes + Array(mac)
    }

    /// Whether `nonce` was made with this key in the current or the previous bucket.
    private func isFreshNonce(_ nonce: String) -> Bool {
        guard let bytes = Base64URL.decode(nonce), bytes.count == Self.nonceSize else { return false }
        let bucket = bytes[0..<Self.bucketSize].reduce(Int64(0)) { $0 << 8 | Int64($1) }
        let current = currentBucket()
        guard bucket == current || bucket == current - 1 else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(
            bytes[Self.bucketSize...], authenticating: Self.nonceLabel + bytes[0..<Self.bucketSize], using: nonceKey
        )
    }

    // MARK: - Helpers

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }

    private static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
