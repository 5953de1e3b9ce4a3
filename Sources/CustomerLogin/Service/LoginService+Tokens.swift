public import Channels
import Foundation
import Identifiers
import IdentityGraph
public import Tokens

extension LoginService {
    // MARK: - authorization_code

    /// Redeems an authorization code (RFC 6749 §4.1.3, RFC 7636 §4.6). A code works once; a second
    /// use revokes what the first one issued.
    public func redeemCode(channel: Channel, code: String, redirectURI: String?, verifier: String?, confirmationKey: String? = nil) async throws -> IssuedTokens {
        guard let token = OpaqueToken(received: code) else { throw TokenGrantError.invalidGrant("the code is invalid or expired") }
        let time = now()
        switch try await store.redeemCode(digest: token.digest, now: time) {
        case .unknown:
            throw TokenGrantError.invalidGrant("the code is invalid or expired")
        case let .replayed(_, accessTokenIDs, refreshFamilyIDs):
            for id in accessTokenIDs {
                try await store.revokeAccessToken(id: id, expiresAt: time.addingTimeInterval(86_400))
            }
            for id in refreshFamilyIDs {
                try await store.revokeRefreshFamily(id: id, at: time)
            }
            throw TokenGrantError.invalidGrant("the code was already used; the tokens issued with it are revoked")
        case let .redeemed(grant):
            guard grant.request.clientID == channel.id else {
                throw TokenGrantError.invalidGrant("the code was issued to another client")
            }
            guard grant.expiresAt > time else { throw TokenGrantError.invalidGrant("the code is invalid or expired") }
            guard let redirectURI else {
                throw TokenGrantError("invalid_request", "redirect_uri is required: it was in the authorization request")
            }
            guard redirectURI == grant.request.redirectURI else {
                throw TokenGrantError.invalidGrant("redirect_uri does not match the authorization request")
            }
            if let challenge = grant.request.codeChallenge {
                guard let verifier else { throw TokenGrantError.invalidGrant("code_verifier is required") }
                guard PKCE.verify(verifier: verifier, challenge: challenge) else {
                    throw TokenGrantError.invalidGrant("code_verifier does not match the code_challenge")
                }
            } else if verifier != nil {
                throw TokenGrantError.invalidGrant("code_verifier given but the authorization request had no code_challenge")
            }
            guard let session = try await store.session(id: grant.sessionID), session.endedAt == nil else {
                throw TokenGrantError.invalidGrant("the session of this code has ended")
            }
            let issued = try await issueTokens(
                channel: channel, scope: grant.request.scope, authentication: grant.authentication, sessionID: grant.sessionID,
                nonce: grant.request.nonce, refresh: .new, confirmationKey: confirmationKey, at: time
            )
            try await store.recordIssued(byCode: token.digest, accessTokenID: issued.accessTokenID, refreshFamilyID: issued.familyID)
            return issued.tokens
        }
    }

    // MARK: - refresh_token

    /// Rotates a refresh token (RFC 6749 §6, RFC 9700 §4.14.2): every use returns a new one;
    /// presenting a rotated one revokes the whole family.
    public func refresh(channel: Channel, refreshToken: String, scope requested: String?, confirmationKey: String? = nil) async throws -> IssuedTokens {
        guard channel.grantTypes.contains(.refreshToken) else {
            throw TokenGrantError("unauthorized_client", "the client may not use refresh_token")
        }
        guard let token = OpaqueToken(received: refreshToken) else { throw TokenGrantError.invalidGrant("the refresh token is invalid") }
        let time = now()
        // Refuse a request that cannot succeed before rotating, so that it does not use the token
        // up: a proof of the wrong key (or none) must not cost the key's holder its family.
        if let (family, _) = try await store.refreshToken(digest: token.digest), family.clientID == channel.id,
           let bound = family.confirmationKey, bound != confirmationKey
        {
            throw TokenGrantError("invalid_dpop_proof", "this refresh token is bound to a DPoP key; send a proof of that key")
        }
        let next = OpaqueToken()
        switch try await store.rotateRefreshToken(digest: token.digest, newDigest: next.digest, now: time) {
        case .invalid:
            throw TokenGrantError.invalidGrant("the refresh token is invalid, expired or revoked")
        case .reused:
            throw TokenGrantError.invalidGrant("the refresh token was already used; every token of its family is revoked")
        case let .rotated(family):
            guard family.clientID == channel.id else {
                // Another client holds this client's token: treat it as stolen.
                try await store.revokeRefreshFamily(id: family.id, at: time)
                throw TokenGrantError.invalidGrant("the refresh token was issued to another client")
            }
            // A family bound to a DPoP key refreshes only with a proof of that key (RFC 9449 §5).
            if let bound = family.confirmationKey, bound != confirmationKey {
                throw TokenGrantError("invalid_dpop_proof", "this refresh token is bound to a DPoP key; send a proof of that key")
            }
            var scope = family.scope
            if let requested {
                let narrowed = requested.split(separator: " ").map(String.init)
                guard !narrowed.isEmpty, Set(narrowed).isSubset(of: Set(family.scope)) else {
                    throw TokenGrantError("invalid_scope", "a refreshed token may only narrow the original scope")
                }
                scope = narrowed
            }
            return try await issueTokens(
                channel: channel, scope: scope, authentication: family.authentication, sessionID: family.sessionID,
                nonce: nil, refresh: .rotated(next.value), confirmationKey: family.confirmationKey ?? confirmationKey, at: time
            ).tokens
        }
    }

    enum RefreshIssue {
        case new
        case rotated(String)
    }

    private func issueTokens(
        channel: Channel, scope: [String], authentication: Authentication, sessionID: String?, nonce: String?,
        refresh: RefreshIssue, confirmationKey: String?, at time: Date
    ) async throws -> (tokens: IssuedTokens, accessTokenID: String, familyID: String?) {
        var template = AccessTokenClaims(
            issuer: issuer, subject: authentication.customerID.rawValue, audience: [customerTokenAudience], expiresAt: time,
            issuedAt: time, tokenID: "", scope: scope, clientID: channel.id
        )
        template.contextClass = authentication.contextClass
        template.confirmationKey = confirmationKey
        let access = try await signer.issueAccessToken(template, lifetime: channel.accessTokenLifetime)
        var idToken: String?
        if scope.contains(OpenIDScope.openid) {
            let algorithm = SigningAlgorithm(rawValue: channel.idTokenSigningAlgorithm) ?? .es256
            let issuedAt = access.claims.issuedAt
            idToken = try signer.issueIDToken(IDTokenClaims(
                issuer: issuer, subject: authentication.customerID.rawValue, audience: channel.id,
                expiresAt: issuedAt.adding(settings.idTokenLifetime), issuedAt: issuedAt, authTime: authentication.time,
                nonce: nonce, contextClass: authentication.contextClass, methods: authentication.methods,
                accessTokenHash: TokenSigner.accessTokenHash(access.token, algorithm: algorithm), sessionID: sessionID
            ), algorithm: algorithm)
        }
        var refreshToken: String?
        var familyID: String?
        switch refresh {
        case .rotated(let value):
            refreshToken = value
        case .new where channel.grantTypes.contains(.refreshToken):
            let offline = scope.contains(OpenIDScope.offlineAccess)
            let first = OpaqueToken()
            let family = RefreshFamily(
                id: OpaqueToken().value, clientID: channel.id, scope: scope, authentication: authentication,
                sessionID: offline ? nil : sessionID, createdAt: time,
                expiresAt: time.adding(offline ? channel.offlineTokenLifetime : channel.refreshTokenLifetime),
                confirmationKey: channel.isConfidential ? nil : confirmationKey
            )
            try await store.createRefreshFamily(family, firstTokenDigest: first.digest)
            refreshToken = first.value
            familyID = family.id
        case .new:
            break
        }
        return (IssuedTokens(
            accessToken: access.token, tokenType: confirmationKey == nil ? "Bearer" : "DPoP",
            expiresIn: Int(channel.accessTokenLifetime.components.seconds), scope: scope, idToken: idToken, refreshToken: refreshToken
        ), access.claims.tokenID, familyID)
    }

    // MARK: - userinfo

    /// OpenID Connect Core §5.3: claims by scope; e-mail and phone only from verified links.
    public func userinfo(_ claims: AccessTokenClaims) async throws -> [String: UserinfoValue]? {
        guard try await !store.isAccessTokenRevoked(id: claims.tokenID),
              let id = CustomerID(rawValue: claims.subject), let customer = try await identities.customer(id)
        else { return nil }
        var result: [String: UserinfoValue] = ["sub": .string(id.rawValue)]
        let scope = Set(claims.scope)
        if scope.contains(OpenIDScope.profile) {
            let profile = customer.profile
            if let given = profile.givenName { result["given_name"] = .string(given) }
            if let family = profile.familyName { result["family_name"] = .string(family) }
            let name = [profile.givenName, profile.familyName].compactMap { $0 }.joined(separator: " ")
            if !name.isEmpty { result["name"] = .string(name) }
            if let birthdate = profile.birthdate { result["birthdate"] = .string(birthdate) }
            if let locale = profile.locale { result["locale"] = .string(locale) }
        }
        let verified = customer.links.filter { $0.provenance.assurance == .verified }.sorted { $0.provenance.linkedAt < $1.provenance.linkedAt }
        if scope.contains(OpenIDScope.email), let email = verified.first(where: { $0.identifier.kind == .email }) {
            result["email"] = .string(email.identifier.value)
            result["email_verified"] = .bool(true)
        }
        if scope.contains(OpenIDScope.phone), let phone = verified.first(where: { $0.identifier.kind == .phone }) {
            result["phone_number"] = .string(phone.identifier.value)
            result["phone_number_verified"] = .bool(true)
        }
        return result
    }

    // MARK: - Logout

    /// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0) with back-channel logout
    /// tokens queued for every channel of the session that registered a URI.
    /// - Returns: where to redirect, or `nil` to show the logged-out page.
    /// - Throws: `LogoutError` when the request cannot be trusted (never redirect then).
    public func logout(idTokenHint: String?, clientID: String?, postLogoutRedirectURI: String?, state: String?, sessionCookie: String?) async throws -> String? {
        var hinted: IDTokenClaims?
        if let idTokenHint {
            do {
                hinted = try IDTokenHintVerifier(keys: signer.keys, issuer: issuer).verify(idTokenHint)
            } catch {
                throw LogoutError("id_token_hint is not an ID token of this server")
            }
        }
        if let clientID, let hinted, hinted.audience != clientID {
            throw LogoutError("client_id does not match the id_token_hint")
        }
        var redirect: String?
        if let postLogoutRedirectURI {
            guard let client = clientID ?? hinted?.audience, let channel = channels.channel(client) else {
                throw LogoutError("post_logout_redirect_uri needs id_token_hint or client_id")
            }
            guard channel.postLogoutRedirectURIs.contains(postLogoutRedirectURI) else {
                throw LogoutError("post_logout_redirect_uri is not registered for this client")
            }
            redirect = state.map { Self.append([("state", $0)], to: postLogoutRedirectURI) } ?? postLogoutRedirectURI
        }
        let time = now()
        var sessionID: String?
        if let cookie = sessionCookie, let token = OpaqueToken(received: cookie), let session = try await store.session(cookieDigest: token.digest) {
            sessionID = session.id
        } else if let sid = hinted?.sessionID {
            sessionID = sid
        }
        if let sessionID, let ended = try await store.endSession(id: sessionID, at: time) {
            _ = try await store.revokeRefreshFamilies(session: ended.id, at: time)
            for client in ended.channels {
                guard let channel = channels.channel(client), let uri = channel.backchannelLogoutURI else { continue }
                let token = try signer.issueLogoutToken(
                    subject: ended.authentication.customerID.rawValue, audience: channel.id, sessionID: ended.id,
                    algorithm: SigningAlgorithm(rawValue: channel.idTokenSigningAlgorithm) ?? .es256
                )
                try await store.enqueue(OutboxMessage(
                    id: OpaqueToken().value, kind: .backchannelLogout, destination: uri, payload: token, createdAt: time, nextAttemptAt: time
                ))
            }
        }
        return redirect
    }
}

/// A logout request that cannot be honoured safely; shown on an error page.
public struct LogoutError: Error, Sendable, Equatable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}

/// A userinfo claim value.
public enum UserinfoValue: Sendable, Equatable, Encodable {
    case string(String)
    case bool(Bool)

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .string(value): try container.encode(value)
        case let .bool(value): try container.encode(value)
        }
    }
}
