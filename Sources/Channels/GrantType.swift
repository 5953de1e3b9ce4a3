/// OAuth 2.0 grant types a channel may use at the token endpoint.
public enum GrantType: String, Sendable, CaseIterable, Hashable {
    case clientCredentials = "client_credentials"
    case authorizationCode = "authorization_code"
    case refreshToken = "refresh_token"
    case tokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange"
}
