import Channels
import Foundation
import Policies
import Testing

/// `jwks:` in channels.yaml: public keys for private_key_jwt.
@Suite("Channel keys in policy")
struct ChannelKeysPolicyTests {
    static let identifiers = PolicySetTests.identifiers
    static let links = PolicySetTests.links
    static let secretHash = "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$g85Cz4bYhwidNRXDPUpywSL4toy1hphz8szHKtyjsOI"
    // Coordinates of a real P-256 key and an Ed25519 key (any 32 bytes pass the policy's shape check).
    static let ecX = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"
    static let ecY = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
    static let edX = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"

    static let channels = """
        channels:
          pos:
            type: confidential
            grant_types: [client_credentials]
            scopes: [identity:resolve]
            jwks:
              - {kty: EC, crv: P-256, kid: pos-1, x: \(ecX), y: \(ecY)}
              - {kty: OKP, crv: Ed25519, kid: pos-2, alg: EdDSA, use: sig, x: \(edX)}
          shop:
            type: confidential
            secret_hash: "\(secretHash)"
            grant_types: [client_credentials]
            scopes: [identity:resolve]
            jwks:
              - {kty: EC, crv: P-256, kid: shop-1, alg: ES256, x: \(ecX), y: \(ecY)}
          app:
            type: public
            grant_types: [authorization_code]
            scopes: []
            redirect_uris: ["com.example.app:/cb"]
        """

    static func keys(_ channel: Channel) throws -> [[String: String]] {
        let json = try #require(channel.publicKeysJSON)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: [[String: String]]])
        return try #require(object["keys"])
    }

    @Test func aChannelWithKeysOnlyAuthenticatesWithPrivateKeyJWT() throws {
        let policies = try PolicySet.parse(identifiers: Self.identifiers, links: Self.links, channels: Self.channels)
        let pos = try #require(policies.channels.first { $0.id == "pos" })
        #expect(pos.clientType == .privateKeyJWT)
        #expect(pos.isConfidential)
        // alg and use are filled in; the members are exactly the public ones.
        #expect(try Self.keys(pos) == [
            ["kty": "EC", "crv": "P-256", "kid": "pos-1", "alg": "ES256", "use": "sig", "x": Self.ecX, "y": Self.ecY],
            ["kty": "OKP", "crv": "Ed25519", "kid": "pos-2", "alg": "EdDSA", "use": "sig", "x": Self.edX],
        ])
    }

    @Test func aChannelMayHaveASecretAndKeys() throws {
        let policies = try PolicySet.parse(identifiers: Self.identifiers, links: Self.links, channels: Self.channels)
        let shop = try #require(policies.channels.first { $0.id == "shop" })
        guard case .confidential = shop.clientType else { Issue.record("shop keeps its secret"); return }
        #expect(try Self.keys(shop).map { $0["kid"] } == ["shop-1"])
        let app = try #require(policies.channels.first { $0.id == "app" })
        #expect(app.publicKeysJSON == nil)
    }

    @Test func aKeysOnlyChannelCannotAuthenticateWithASecret() async throws {
        let policies = try PolicySet.parse(identifiers: Self.identifiers, links: Self.links, channels: Self.channels)
        let authenticator = ClientAuthenticator(channels: policies.channels)
        await #expect(throws: ClientAuthenticationError.noSecretRegistered) {
            try await authenticator.authenticate(clientID: "pos", secret: "anything")
        }
        await #expect(throws: ClientAuthenticationError.publicClientWithSecret) {
            try await authenticator.authenticate(clientID: "app", secret: "anything")
        }
    }

    static func pos(_ key: String) -> String {
        """
        channels:
          pos:
            type: confidential
            grant_types: [client_credentials]
            scopes: [identity:resolve]
            jwks:
              - \(key)
        """
    }

    static let ecKey = "{kty: EC, crv: P-256, kid: pos-1, x: \(ecX), y: \(ecY)"

    @Test(arguments: [
        (pos(ecKey + ", d: \(ecX)}"), "channels.pos.jwks[0].d", "private key member"),
        (pos("{kty: RSA, kid: r, n: AQAB, e: AQAB, p: AQAB}"), "channels.pos.jwks[0].p", "private key member"),
        (pos("{kty: oct, kid: s, k: c2VjcmV0}"), "channels.pos.jwks[0].k", "private key member"),
        (pos("{kty: RSA, kid: r, n: AQAB, e: AQAB}"), "channels.pos.jwks[0].n", "unknown field"),
        (pos("{kty: RSA, kid: r}"), "channels.pos.jwks[0].kty", "must be EC (P-256) or OKP (Ed25519)"),
        (pos("{kty: EC, crv: P-384, kid: pos-1, x: \(ecX), y: \(ecY)}"), "channels.pos.jwks[0].crv", "must be P-256"),
        (pos("{kty: EC, crv: P-256, kid: pos-1, x: \(ecX)}"), "channels.pos.jwks[0]", "needs the field 'y'"),
        (pos("{kty: EC, crv: P-256, x: \(ecX), y: \(ecY)}"), "channels.pos.jwks[0]", "needs the field 'kid'"),
        (pos("{kty: EC, crv: P-256, kid: pos-1, x: abc, y: \(ecY)}"), "channels.pos.jwks[0].x", "43 characters"),
        (pos(ecKey + ", alg: EdDSA}"), "channels.pos.jwks[0].alg", "must be ES256"),
        (pos(ecKey + ", use: enc}"), "channels.pos.jwks[0].use", "must be sig"),
        (pos("{kty: OKP, crv: Ed25519, kid: e, x: \(edX), y: \(ecY)}"), "channels.pos.jwks[0].y", "no y"),
        (pos(ecKey + "}\n      - " + ecKey + "}"), "channels.pos.jwks[1].kid", "appears twice"),
        (pos(ecKey + "}").replacingOccurrences(of: "jwks:\n      - \(ecKey)}", with: "jwks: []"), "channels.pos.jwks", "at least one"),
        (pos(ecKey + "}").replacingOccurrences(of: "type: confidential", with: "type: public")
            .replacingOccurrences(of: "client_credentials", with: "authorization_code")
            + "\n    redirect_uris: [\"com.example.app:/cb\"]", "channels.pos.jwks", "a public channel has no keys"),
    ])
    func keyErrorsNameThePlace(yaml: String, path: String, reason: String) {
        do {
            _ = try PolicySet.parse(identifiers: Self.identifiers, links: Self.links, channels: yaml)
            Issue.record("expected an error at \(path)")
        } catch {
            #expect(error.file == "channels.yaml")
            #expect(error.path == path, "\(error)")
            #expect(error.description.contains(reason), "\(error)")
            #expect(!error.description.contains(Self.ecX), "errors do not echo key material")
        }
    }

    @Test func aConfidentialChannelNeedsASecretOrKeys() {
        let yaml = "channels:\n  pos:\n    type: confidential\n    grant_types: [client_credentials]\n    scopes: [identity:resolve]\n"
        #expect(throws: PolicyError.self) {
            try PolicySet.parse(identifiers: Self.identifiers, links: Self.links, channels: yaml)
        }
    }
}
