import Channels
import Identifiers
import IdentityGraph

/// Reads `channels.yaml`: the OAuth clients and what each may do.
enum ChannelsReader {
    static func read(_ root: PolicyNode) throws(PolicyError) -> [Channel] {
        let fields = try root.fields(["channels"])
        var channels: [Channel] = []
        for (id, node) in try fields.required("channels").mapping() {
            channels.append(try channel(id: id, node))
        }
        guard !channels.isEmpty else { throw root.error("defines no channels") }
        // Rules name other channels: check them once all are known.
        let ids = Set(channels.map(\.id))
        for channel in channels {
            for rule in channel.tokenExchange {
                let named = [rule.audience] + rule.subjectClients + rule.actorClients
                if let unknown = named.first(where: { !ids.contains($0) }) {
                    throw root.error("channels.\(channel.id).token_exchange names the unknown channel '\(unknown)'")
                }
            }
        }
        return channels
    }

    private static func channel(id: String, _ node: PolicyNode) throws(PolicyError) -> Channel {
        guard (1...64).contains(id.utf8.count), id.utf8.allSatisfy({
            ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-")
        }) else {
            throw node.error("a client id must be 1 to 64 characters of a-z, 0-9 and '-'")
        }
        let fields = try node.fields([
            "name", "type", "secret_hash", "grant_types", "scopes", "link", "see", "redirect_uris", "access_token_lifetime",
            "refresh_token_lifetime", "offline_token_lifetime", "id_token_signing_alg", "backchannel_logout_uri",
            "post_logout_redirect_uris", "token_exchange", "dpop", "jwks",
        ])
        let typeNode = try fields.required("type")
        let clientType: Channel.ClientType
        switch try typeNode.string() {
        case "confidential":
            // A confidential channel authenticates with a secret, with keys (private_key_jwt), or both.
            if fields["secret_hash"] == nil, fields["jwks"] != nil {
                clientType = .privateKeyJWT
                break
            }
            let hashNode = try fields.required("secret_hash")
            do {
                clientType = .confidential(try SecretHash(phc: try hashNode.string()))
            } catch let error as SecretHashError {
                throw hashNode.error(error.reason)
            } catch let error as PolicyError {
                throw error
            } catch {
                throw hashNode.error("is not a valid scrypt hash")
            }
        case "public":
            if let hashNode = fields["secret_hash"] { throw hashNode.error("a public channel has no secret") }
            if let keysNode = fields["jwks"] { throw keysNode.error("a public channel has no keys") }
            clientType = .public
        default:
            throw typeNode.error("must be confidential or public")
        }

        var grantTypes = Set<GrantType>()
        for element in try fields.required("grant_types").sequence() {
            guard let grant = GrantType(rawValue: try element.string()) else {
                throw element.error("unknown grant type; expected one of \(GrantType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            grantTypes.insert(grant)
        }
        if grantTypes.contains(.clientCredentials), case .public = clientType {
            throw node.error("a public channel cannot use client_credentials")
        }

        var scopes = Set<String>()
        for element in try fields.required("scopes").sequence() {
            let scope = try element.string()
            guard SolmuScope.all.contains(scope) else {
                throw element.error("unknown scope; expected one of \(SolmuScope.all.sorted().joined(separator: ", "))")
            }
            scopes.insert(scope)
        }

        var linkAssurance: [IdentifierKind: Assurance] = [:]
        if let linkNode = fields["link"] {
            for (kindName, value) in try linkNode.mapping(allowed: Set(IdentifierKind.allCases.map(\.rawValue))) {
                guard let assurance = Assurance(rawValue: try value.string()) else {
                    throw value.error("must be the highest assurance the channel may claim: inferred, asserted or verified")
                }
                linkAssurance[IdentifierKind(rawValue: kindName)!] = assurance
            }
        }

        var visible = Set<IdentifierKind>()
        for element in try fields["see"]?.sequence() ?? [] {
            guard let kind = IdentifierKind(rawValue: try element.string()) else {
                throw element.error("unknown identifier kind; expected one of \(IdentifierKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            visible.insert(kind)
        }

        let redirectURIs = try uris(fields["redirect_uris"], allowPrivateUse: true)
        if grantTypes.contains(.authorizationCode), redirectURIs.isEmpty {
            throw node.error("a channel with authorization_code needs at least one redirect_uris entry")
        }

        let lifetime = try fields["access_token_lifetime"]?.int(in: 60...86_400) ?? 900
        var channel = Channel(
            id: id, name: try fields["name"]?.string() ?? id, clientType: clientType, grantTypes: grantTypes, scopes: scopes,
            linkAssurance: linkAssurance, visibleKinds: visible, redirectURIs: redirectURIs,
            accessTokenLifetime: .seconds(lifetime)
        )
        if let value = fields["refresh_token_lifetime"] { channel.refreshTokenLifetime = .seconds(try value.int(in: 300...2_592_000)) }
        if let value = fields["offline_token_lifetime"] { channel.offlineTokenLifetime = .seconds(try value.int(in: 3_600...31_536_000)) }
        if let value = fields["id_token_signing_alg"] {
            let algorithm = try value.string()
            guard algorithm == "ES256" || algorithm == "EdDSA" else { throw value.error("must be ES256 or EdDSA") }
            channel.idTokenSigningAlgorithm = algorithm
        }
        if let value = fields["backchannel_logout_uri"] {
            channel.backchannelLogoutURI = try uri(value, allowPrivateUse: false)
        }
        channel.postLogoutRedirectURIs = try uris(fields["post_logout_redirect_uris"], allowPrivateUse: true)
        if let keysNode = fields["jwks"] {
            channel.publicKeysJSON = try publicKeys(keysNode)
        }
        if let dpop = fields["dpop"] {
            switch try dpop.string() {
            case "required": channel.requiresDPoP = true
            case "optional": channel.requiresDPoP = false
            default: throw dpop.error("must be required or optional")
            }
        }
        if let rules = fields["token_exchange"] {
            guard grantTypes.contains(.tokenExchange) else {
                throw rules.error("token_exchange rules need the grant type urn:ietf:params:oauth:grant-type:token-exchange")
            }
            for element in try rules.sequence() {
                channel.tokenExchange.append(try exchangeRule(element))
            }
        }
        return channel
    }
}

extension ChannelsReader {
    static func exchangeRule(_ node: PolicyNode) throws(PolicyError) -> TokenExchangeRule {
        let fields = try node.fields([
            "audience", "subject_token_types", "subject_clients", "identifier_kinds", "actor", "actor_clients", "scopes", "max_lifetime",
        ])
        var kinds = Set<TokenExchangeRule.SubjectKind>()
        for element in try fields.required("subject_token_types").sequence() {
            guard let kind = TokenExchangeRule.SubjectKind(rawValue: try element.string()) else {
                throw element.error("must be access_token or identifier")
            }
            kinds.insert(kind)
        }
        var identifierKinds = Set<IdentifierKind>()
        for element in try fields["identifier_kinds"]?.sequence() ?? [] {
            guard let kind = IdentifierKind(rawValue: try element.string()) else { throw element.error("unknown identifier kind") }
            identifierKinds.insert(kind)
        }
        if kinds.contains(.identifier), identifierKinds.isEmpty {
            throw node.error("a rule that accepts identifiers needs identifier_kinds")
        }
        var actorRequired = false
        if let actor = fields["actor"] {
            switch try actor.string() {
            case "required": actorRequired = true
            case "none": actorRequired = false
            default: throw actor.error("must be required or none")
            }
        }
        let actorClients = Set(try fields["actor_clients"]?.strings() ?? [])
        if actorRequired, actorClients.isEmpty { throw node.error("a rule with actor: required needs actor_clients") }
        var scopes = Set<String>()
        for element in try fields.required("scopes").sequence() {
            let scope = try element.string()
            guard !scope.isEmpty, scope.count <= 64, scope.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "\"" && $0 != "\\" }) else {
                throw element.error("a scope is 1 to 64 printable ASCII characters without spaces")
            }
            scopes.insert(scope)
        }
        return TokenExchangeRule(
            audience: try fields.required("audience").string(), subjectKinds: kinds,
            subjectClients: Set(try fields["subject_clients"]?.strings() ?? []), identifierKinds: identifierKinds,
            actorRequired: actorRequired, actorClients: actorClients, scopes: scopes,
            maxLifetime: .seconds(try fields.required("max_lifetime").int(in: 30...3_600))
        )
    }

    /// Absolute `https` URIs without fragments; `http` only on loopback; optionally private-use
    /// schemes (RFC 8252) for native apps.
    static func uris(_ node: PolicyNode?, allowPrivateUse: Bool) throws(PolicyError) -> [String] {
        var result: [String] = []
        for element in try node?.sequence() ?? [] {
            result.append(try uri(element, allowPrivateUse: allowPrivateUse))
        }
        return result
    }

    static func uri(_ element: PolicyNode, allowPrivateUse: Bool) throws(PolicyError) -> String {
        let uri = try element.string()
        guard let components = URLComponentsLite(uri), components.fragmentFree,
              components.scheme == "https" || (components.scheme == "http" && components.isLoopback)
                || (allowPrivateUse && components.isPrivateUse)
        else {
            throw element.error("must be an absolute https URI without a fragment (http only for loopback\(allowPrivateUse ? ", or a private-use scheme" : ""))")
        }
        return uri
    }
}

/// The parts of a redirect URI that policy checks, without Foundation's lenient URL parsing.
struct URLComponentsLite {
    let scheme: String
    let host: String
    let fragmentFree: Bool

    init?(_ uri: String) {
        guard let colon = uri.firstIndex(of: ":") else { return nil }
        let scheme = uri[..<colon].lowercased()
        guard !scheme.isEmpty, scheme.first!.isLetter,
              scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." })
        else { return nil }
        self.scheme = scheme
        self.fragmentFree = !uri.contains("#")
        let rest = uri[uri.index(after: colon)...]
        if rest.hasPrefix("//") {
            let authority = rest.dropFirst(2).prefix { $0 != "/" && $0 != "?" }
            let hostPort = authority.split(separator: "@").last ?? ""
            if hostPort.hasPrefix("[") {
                self.host = String(hostPort.prefix { $0 != "]" }.dropFirst())
            } else {
                self.host = String(hostPort.split(separator: ":").first ?? "")
            }
            if host.isEmpty, scheme == "http" || scheme == "https" { return nil }
        } else {
            self.host = ""
        }
    }

    var isLoopback: Bool { host == "127.0.0.1" || host == "::1" || host == "localhost" }

    /// RFC 8252 §7.1: a reverse-domain private-use scheme such as `com.example.app`.
    var isPrivateUse: Bool { scheme.contains(".") }
}
