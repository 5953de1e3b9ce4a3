public import Foundation

/// What is known about a signing key, without key material (for admin views, logs, metrics).
public struct SigningKeyInfo: Sendable, Equatable, Hashable {
    /// The key id: the RFC 7638 thumbprint of the public key.
    public var kid: String
    /// The algorithm the key is used with.
    public var algorithm: SigningAlgorithm
    /// When the key was generated.
    public var createdAt: Date
    /// When the key stopped signing; `nil` while it may still sign.
    public var retiredAt: Date?

    /// Creates key metadata.
    public init(kid: String, algorithm: SigningAlgorithm, createdAt: Date, retiredAt: Date?) {
        self.kid = kid
        self.algorithm = algorithm
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }
}
