import Channels
import Identifiers
import IdentityGraph
import Testing

struct ClientAuthenticatorTests {
    func channel(_ id: String, type: Channel.ClientType) -> Channel {
        Channel(id: id, name: id, clientType: type, grantTypes: [.clientCredentials], scopes: ["identity:resolve"],
                linkAssurance: [.email: .asserted], visibleKinds: [.email], redirectURIs: [], accessTokenLifetime: .seconds(900))
    }

    @Test func authenticatesWithTheRightSecretOnly() async throws {
        let authenticator = ClientAuthenticator(channels: [
            channel("pos", type: .confidential(try SecretHash.make(secret: "pos-secret", logRounds: 10))),
            channel("app", type: .public),
        ])
        #expect(try await authenticator.authenticate(clientID: "pos", secret: "pos-secret").id == "pos")
        // Twice: the second answer comes from the keyed cache and must agree.
        #expect(try await authenticator.authenticate(clientID: "pos", secret: "pos-secret").id == "pos")
        await #expect(throws: ClientAuthenticationError.wrongSecret) {
            try await authenticator.authenticate(clientID: "pos", secret: "pos-secreT")
        }
        // A wrong secret after a cached right one is still wrong.
        await #expect(throws: ClientAuthenticationError.wrongSecret) {
            try await authenticator.authenticate(clientID: "pos", secret: "")
        }
        await #expect(throws: ClientAuthenticationError.unknownClient) {
            try await authenticator.authenticate(clientID: "nobody", secret: "x")
        }
        await #expect(throws: ClientAuthenticationError.publicClientWithSecret) {
            try await authenticator.authenticate(clientID: "app", secret: "x")
        }
    }

    @Test func concurrentRequestsOnAColdCacheEachGetTheirOwnAnswer() async throws {
        let authenticator = ClientAuthenticator(channels: [
            channel("pos", type: .confidential(try SecretHash.make(secret: "pos-secret", logRounds: 10))),
        ])
        // Right and wrong secrets at once, before anything is cached: requests presenting the same
        // secret share one scrypt run, and a wrong secret never shares the right one's answer.
        let results = await withTaskGroup(of: (Bool, Bool).self) { group in
            for index in 0..<24 {
                let right = index % 3 != 0
                group.addTask {
                    let accepted = (try? await authenticator.authenticate(clientID: "pos", secret: right ? "pos-secret" : "pos-secret-\(index % 2)")) != nil
                    return (right, accepted)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 24)
        #expect(results.allSatisfy { right, accepted in right == accepted })
    }

    @Test func permissionsFollowPolicy() throws {
        let pos = channel("pos", type: .public)
        #expect(pos.mayLink(.email, at: .asserted))
        #expect(pos.mayLink(.email, at: .inferred))
        #expect(!pos.mayLink(.email, at: .verified))
        #expect(!pos.mayLink(.phone, at: .inferred))
    }
}
