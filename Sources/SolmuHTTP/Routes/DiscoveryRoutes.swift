import Channels
import CustomerLogin
import Foundation
import Hummingbird
import HTTPTypes
import Logging
import CoreMetrics
import NIOCore
import NIOFoundationEssentialsCompat
import IdentityGraph
import Identifiers
import Tokens

/// OpenID Connect discovery (and its RFC 8414 twin) and the JWKS. The document lists only what
/// this server really supports.
struct DiscoveryRoutes: Sendable {
    let services: SolmuServices

    func register(on router: Router<SolmuRequestContext>) {
        let document = ServerMetadata(issuer: services.issuer)
        router.get("/.well-known/openid-configuration") { _, _ in
            try JSONCoding.response(document, headers: [.cacheControl: "public, max-age=300"])
        }
        router.get("/.well-known/oauth-authorization-server") { _, _ in
            try JSONCoding.response(document, headers: [.cacheControl: "public, max-age=300"])
        }
        router.get("/.well-known/jwks.json") { _, _ in
            // The store's current set, so that a rotation is published without a restart.
            try JSONCoding.response(services.keyStore.current.jwks, headers: [.cacheControl: "public, max-age=300"])
        }
    }
}

/// OpenID Connect Discovery 1.0 §3 / RFC 8414 §2 metadata: only what this server really does.
struct ServerMetadata: Encodable, Sendable {
    var issuer: String
    var authorizationEndpoint: String
    var tokenEndpoint: String
    var userinfoEndpoint: String
    var endSessionEndpoint: String
    var jwksURI: String
    var scopesSupported: [String]
    var responseTypesSupported = ["code"]
    var responseModesSupported = ["query"]
    var grantTypesSupported = [GrantType.authorizationCode.rawValue, GrantType.refreshToken.rawValue, GrantType.clientCredentials.rawValue, GrantType.tokenExchange.rawValue]
    var introspectionEndpoint: String
    var revocationEndpoint: String
    var introspectionEndpointAuthMethodsSupported = ["client_secret_basic", "client_secret_post", "private_key_jwt"]
    // RFC 8414 §2: required wherever `private_key_jwt` is listed.
    var introspectionEndpointAuthSigningAlgValuesSupported = ["ES256", "EdDSA"]
    var revocationEndpointAuthMethodsSupported = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"]
    var revocationEndpointAuthSigningAlgValuesSupported = ["ES256", "EdDSA"]
    var subjectTypesSupported = ["public"]
    var idTokenSigningAlgValuesSupported = ["ES256", "EdDSA"]
    var tokenEndpointAuthMethodsSupported = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"]
    var tokenEndpointAuthSigningAlgValuesSupported = ["ES256", "EdDSA"]
    var dpopSigningAlgValuesSupported = ["ES256", "EdDSA"]
    var codeChallengeMethodsSupported = ["S256"]
    var claimsSupported = [
        "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "at_hash", "sid",
        "name", "given_name", "family_name", "birthdate", "locale", "email", "email_verified", "phone_number", "phone_number_verified",
    ]
    var acrValuesSupported = [LoginService.acrVerified, LoginService.acrPassword]
    var promptValuesSupported = ["none", "login"]
    var uiLocalesSupported = ["en", "fi"]
    var authorizationResponseIssParameterSupported = true
    var backchannelLogoutSupported = true
    var backchannelLogoutSessionSupported = true
    var requestParameterSupported = false
    var requestURIParameterSupported = false
    var claimsParameterSupported = false
    var serviceDocumentation: String

    init(issuer: String) {
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        self.issuer = issuer
        authorizationEndpoint = base + "/oauth/authorize"
        tokenEndpoint = base + "/oauth/token"
        userinfoEndpoint = base + "/oauth/userinfo"
        endSessionEndpoint = base + "/oauth/logout"
        introspectionEndpoint = base + "/oauth/introspect"
        revocationEndpoint = base + "/oauth/revoke"
        jwksURI = base + "/.well-known/jwks.json"
        scopesSupported = OpenIDScope.all.sorted() + SolmuScope.all.sorted()
        serviceDocumentation = base + "/openapi.yaml"
    }

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case userinfoEndpoint = "userinfo_endpoint"
        case endSessionEndpoint = "end_session_endpoint"
        case introspectionEndpoint = "introspection_endpoint"
        case revocationEndpoint = "revocation_endpoint"
        case introspectionEndpointAuthMethodsSupported = "introspection_endpoint_auth_methods_supported"
        case introspectionEndpointAuthSigningAlgValuesSupported = "introspection_endpoint_auth_signing_alg_values_supported"
        case revocationEndpointAuthMethodsSupported = "revocation_endpoint_auth_methods_supported"
        case revocationEndpointAuthSigningAlgValuesSupported = "revocation_endpoint_auth_signing_alg_values_supported"
        case jwksURI = "jwks_uri"
        case scopesSupported = "scopes_supported"
        case responseTypesSupported = "response_types_supported"
        case responseModesSupported = "response_modes_supported"
        case grantTypesSupported = "grant_types_supported"
        case subjectTypesSupported = "subject_types_supported"
        case idTokenSigningAlgValuesSupported = "id_token_signing_alg_values_supported"
        case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
        case tokenEndpointAuthSigningAlgValuesSupported = "token_endpoint_auth_signing_alg_values_supported"
        case dpopSigningAlgValuesSupported = "dpop_signing_alg_values_supported"
        case codeChallengeMethodsSupported = "code_challenge_methods_supported"
        case claimsSupported = "claims_supported"
        case acrValuesSupported = "acr_values_supported"
        case promptValuesSupported = "prompt_values_supported"
        case uiLocalesSupported = "ui_locales_supported"
        case authorizationResponseIssParameterSupported = "authorization_response_iss_parameter_supported"
        case backchannelLogoutSupported = "backchannel_logout_supported"
        case backchannelLogoutSessionSupported = "backchannel_logout_session_supported"
        case requestParameterSupported = "request_parameter_supported"
        case requestURIParameterSupported = "request_uri_parameter_supported"
        case claimsParameterSupported = "claims_parameter_supported"
        case serviceDocumentation = "service_documentation"
    }
}
