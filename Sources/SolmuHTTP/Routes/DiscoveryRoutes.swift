import Channels
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
            try JSONCoding.response(services.keys.jwks, headers: [.cacheControl: "public, max-age=300"])
        }
    }
}

/// OpenID Connect Discovery 1.0 §3 / RFC 8414 §2 metadata.
struct ServerMetadata: Encodable, Sendable {
    var issuer: String
    var tokenEndpoint: String
    var jwksURI: String
    var scopesSupported: [String]
    var grantTypesSupported: [String]
    var tokenEndpointAuthMethodsSupported: [String]
    var responseTypesSupported: [String]
    var serviceDocumentation: String

    init(issuer: String) {
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        self.issuer = issuer
        tokenEndpoint = base + "/oauth/token"
        jwksURI = base + "/.well-known/jwks.json"
        scopesSupported = SolmuScope.all.sorted()
        grantTypesSupported = [GrantType.clientCredentials.rawValue]
        tokenEndpointAuthMethodsSupported = ["client_secret_basic", "client_secret_post"]
        // No authorization endpoint yet: channels get tokens with client_credentials only.
        responseTypesSupported = []
        serviceDocumentation = base + "/openapi.yaml"
    }

    enum CodingKeys: String, CodingKey {
        case issuer
        case tokenEndpoint = "token_endpoint"
        case jwksURI = "jwks_uri"
        case scopesSupported = "scopes_supported"
        case grantTypesSupported = "grant_types_supported"
        case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
        case responseTypesSupported = "response_types_supported"
        case serviceDocumentation = "service_documentation"
    }
}
