public import Foundation

/// An authorization code's grant in the form the stores keep it (`AuthorizationCodeGrant` itself
/// is not `Codable`), shared so that every backend stores the same JSON.
public struct StoredAuthorizationCode: Codable, Sendable {
    public var request: AuthorizationRequest
    public var authentication: Authentication
    public var sessionID: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(_ grant: AuthorizationCodeGrant) {
        request = grant.request
        authentication = grant.authentication
        sessionID = grant.sessionID
        createdAt = grant.createdAt
        expiresAt = grant.expiresAt
    }

    public var grant: AuthorizationCodeGrant {
        AuthorizationCodeGrant(request: request, authentication: authentication, sessionID: sessionID, createdAt: createdAt, expiresAt: expiresAt)
    }
}
