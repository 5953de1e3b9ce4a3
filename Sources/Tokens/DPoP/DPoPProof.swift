public import Foundation

/// A DPoP proof that passed ``DPoPProofVerifier/verify(_:method:uri:accessToken:requireNonce:)``.
public struct DPoPProof: Sendable, Equatable {
    /// The RFC 7638 thumbprint of the proof's public key (base64url SHA-256): the value an access
    /// token's `cnf.jkt` binds to (RFC 9449 §6.1).
    public let jkt: String
    /// The proof's unique identifier. The caller stores it to refuse replays, namespaced by
    /// ``jkt`` (for example `dpop:<jkt>:<jti>` in `LoginStore.rememberOnce`).
    public let jti: String
    /// When the client made the proof.
    public let issuedAt: Date

    /// Creates a proof value.
    public init(jkt: String, jti: String, issuedAt: Date) {
        self.jkt = jkt
        self.jti = jti
        self.issuedAt = issuedAt
    }
}
