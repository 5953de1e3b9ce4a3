import CustomerLogin
import Messaging
import NIOHTTP1
import Testing

@Suite struct BackchannelLogoutSenderTests {
    @Test func postsTheLogoutTokenAsAForm() async throws {
        let server = try await TestHTTPServer.start(answering: [200])
        let sender = BackchannelLogoutSender(timeout: .seconds(5))
        let message = Fixtures.logout(to: server.url("/oidc/backchannel-logout"))

        try await sender.send(message)
        try await server.stop()

        let requests = server.requests
        try #require(requests.count == 1)
        #expect(requests[0].method == .POST)
        #expect(requests[0].uri == "/oidc/backchannel-logout")
        #expect(requests[0].headers.first(name: "Content-Type") == "application/x-www-form-urlencoded")
        #expect(requests[0].bodyString == "logout_token=eyJhbGciOiJFUzI1NiJ9.eyJzaWQiOiJzXzEifQ.c2lnbmF0dXJl")
    }

    @Test func escapesAnythingOutsideTheUnreservedSet() async throws {
        let server = try await TestHTTPServer.start(answering: [200])
        let sender = BackchannelLogoutSender(timeout: .seconds(5))

        try await sender.send(Fixtures.logout(to: server.url(), token: "a+b/c=d&e"))
        try await server.stop()

        #expect(server.requests.first?.bodyString == "logout_token=a%2Bb%2Fc%3Dd%26e")
    }

    @Test(arguments: [200, 204])
    func acceptsOKAndNoContent(status: Int) async throws {
        let server = try await TestHTTPServer.start(answering: [status])
        try await BackchannelLogoutSender(timeout: .seconds(5)).send(Fixtures.logout(to: server.url()))
        try await server.stop()
    }

    @Test(arguments: [202, 400, 500])
    func refusesOtherStatuses(status: Int) async throws {
        let server = try await TestHTTPServer.start(answering: [status])
        await #expect(throws: MessagingError.unexpectedStatus(status)) {
            try await BackchannelLogoutSender(timeout: .seconds(5)).send(Fixtures.logout(to: server.url()))
        }
        try await server.stop()
    }

    @Test(arguments: ["not a url", "ftp://shop.example/logout", "/relative"])
    func refusesDestinationsThatAreNotHTTPURLs(destination: String) async throws {
        await #expect(throws: MessagingError.invalidDestination) {
            try await BackchannelLogoutSender(timeout: .seconds(1)).send(Fixtures.logout(to: destination))
        }
    }
}
