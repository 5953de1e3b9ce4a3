public import Foundation

/// A client assertion that passed ``ClientAssertionVerifier/verify(_:clientID:keys:audiences:)``.
public struct ClientAssertion: Sendable, Equatable {
    /// The assertion's unique identifier. The caller stores it until ``expiresAt`` to refuse
    /// replays (RFC 7523 §3 item 7), namespaced by client (`assertion:<client>:<jti>`).
    public let jti: String
    /// The assertion's `exp`.
    public let expiresAt: Date

    /// Creates an assertion value.
    public init(jti: String, expiresAt: Date) {
        self.jti = jti
        self.expiresAt = expiresAt
    }
}
