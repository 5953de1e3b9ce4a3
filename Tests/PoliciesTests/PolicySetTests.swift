import Channels
import Foundation
import Identifiers
import IdentityGraph
import Policies
import Testing

struct PolicySetTests {
    static let repositoryPolicies = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("policies").path

    @Test func theShippedPoliciesLoad() throws {
        let policies = try PolicySet.load(directory: Self.repositoryPolicies)
        let ids = Set(policies.channels.map(\.id))
        #expect(ids == ["webshop", "mobile-app", "pos", "callcenter", "marketing", "admin-cli", "auditor"])
        #expect(policies.identifiers.phone.defaultRegion == "FI")
        #expect(policies.rules.limits[.loyaltyCard] == KindLimit(perNamespace: 1))
        #expect(policies.rules.limits[.email] == KindLimit(total: 5))
        #expect(policies.rules.limits[.receipt] == .unlimited)
        // Blocked values are normalized like input.
        let normalizer = IdentifierNormalizer(policy: policies.identifiers)
        #expect(policies.rules.blocked.contains(try normalizer.normalize(RawIdentifier(kind: "phone", value: "09 1234567"))))
        #expect(policies.rules.blocked.contains(try normalizer.normalize(RawIdentifier(kind: "email", value: "TEST@example.com"))))

        let webshop = try #require(policies.channels.first { $0.id == "webshop" })
        guard case let .confidential(hash) = webshop.clientType else { Issue.record("webshop must be confidential"); return }
        #expect(hash.verify("webshop-dev-secret"))
        #expect(webshop.redirectURIs.contains("https://shop.example.com/oauth/callback"))
        let app = try #require(policies.channels.first { $0.id == "mobile-app" })
        #expect(app.clientType == .public)
    }

    static let identifiers = try! String(contentsOfFile: repositoryPolicies + "/identifiers.yaml", encoding: .utf8)
    static let links = try! String(contentsOfFile: repositoryPolicies + "/links.yaml", encoding: .utf8)
    static let channels = """
        channels:
          shop:
            type: confidential
            secret_hash: "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$g85Cz4bYhwidNRXDPUpywSL4toy1hphz8szHKtyjsOI"
            grant_types: [client_credentials]
            scopes: [identity:resolve]
        """

    @Test func aMinimalChannelGetsDefaults() throws {
        let policies = try PolicySet.parse(identifiers: Self.identifiers, links: Self.links, channels: Self.channels)
        let shop = try #require(policies.channels.first)
        #expect(shop.name == "shop")
        #expect(shop.accessTokenLifetime == .seconds(900))
        #expect(shop.linkAssurance.isEmpty)
    }

    @Test(arguments: [
        ("channels:\n  shop:\n    type: confidential\n    grant_types: [client_credentials]\n    scopes: [identity:resolve]\n", "channels.shop", "needs the field 'secret_hash'"),
        (channels.replacingOccurrences(of: "identity:resolve", with: "identity:resolv"), "channels.shop.scopes[0]", "unknown scope"),
        (channels.replacingOccurrences(of: "client_credentials", with: "password"), "channels.shop.grant_types[0]", "unknown grant type"),
        (channels + "\n    colour: red", "channels.shop.colour", "unknown field"),
        (channels.replacingOccurrences(of: "ln=10", with: "ln=99"), "channels.shop.secret_hash", "out of range"),
        (channels + "\n    redirect_uris: [\"http://shop.example.com/cb\"]", "channels.shop.redirect_uris[0]", "https"),
        (channels + "\n    redirect_uris: [\"https://shop.example.com/cb#frag\"]", "channels.shop.redirect_uris[0]", "fragment"),
        (channels + "\n    link: {email: certain}", "channels.shop.link.email", "inferred, asserted or verified"),
        (channels.replacingOccurrences(of: "shop:", with: "Shop!:"), "channels.Shop!", "client id"),
        ("channels:\n  app:\n    type: public\n    grant_types: [client_credentials]\n    scopes: []\n", "channels.app", "public channel"),
        ("channels: [1, 2]", "channels", "must be a mapping"),
    ])
    func channelErrorsNameThePlace(yaml: String, path: String, reason: String) {
        do {
            _ = try PolicySet.parse(identifiers: Self.identifiers, links: Self.links, channels: yaml)
            Issue.record("expected an error at \(path)")
        } catch {
            #expect(error.file == "channels.yaml")
            #expect(error.path == path)
            #expect(error.description.contains(reason), "\(error)")
        }
    }

    @Test(arguments: [
        ("limits:\n  email: {total: 5}\n", "links.yaml", "an entry for phone"),
        (links.replacingOccurrences(of: "email: {total: 5}", with: "email: {total: 0}"), "links.yaml", "from 1 to"),
        (links + "\n  - \"email:not-an-address\"", "links.yaml", "not a valid identifier"),
        (links + "\n  - \"fax:123\"", "links.yaml", "not a valid identifier"),
        (links.replacingOccurrences(of: "limits:", with: "limitz:"), "links.yaml", "unknown field"),
    ])
    func linkRuleErrorsNameThePlace(yaml: String, file: String, reason: String) {
        do {
            _ = try PolicySet.parse(identifiers: Self.identifiers, links: yaml, channels: Self.channels)
            Issue.record("expected an error")
        } catch {
            #expect(error.file == file)
            #expect(error.description.contains(reason), "\(error)")
            #expect(!error.description.contains("not-an-address"), "errors do not echo values")
        }
    }

    @Test func identifierPolicyErrorsNameThePlace() {
        let broken = Self.identifiers.replacingOccurrences(of: "default_region: FI", with: "default_region: Finland")
        #expect(throws: PolicyError.self) {
            try PolicySet.parse(identifiers: broken, links: Self.links, channels: Self.channels)
        }
        let badLength = Self.identifiers.replacingOccurrences(of: "min_length: 16", with: "min_length: 17")
        do {
            _ = try PolicySet.parse(identifiers: badLength, links: Self.links, channels: Self.channels)
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "loyalty_programs.plussa")
            #expect(error.reason.contains("min_length must not exceed max_length"))
        }
        #expect(throws: PolicyError.self) {
            try PolicySet.parse(identifiers: "phone: [", links: Self.links, channels: Self.channels)
        }
    }
}
