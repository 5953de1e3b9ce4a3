import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A tiny HTTP/1.1 server on 127.0.0.1 that records each request and answers with the next
/// scripted status (the last one repeats). `nil` in the script means: never answer.
final class TestHTTPServer: Sendable {
    struct Request: Sendable {
        var method: HTTPMethod
        var uri: String
        var headers: HTTPHeaders
        var body: [UInt8]

        var bodyString: String { String(decoding: self.body, as: UTF8.self) }
    }

    private struct State {
        var script: [Int?]
        var requests: [Request] = []
    }

    private let state: Mutex<State>
    private let channel: Mutex<(any Channel)?> = Mutex(nil)

    private init(script: [Int?]) {
        self.state = Mutex(State(script: script))
    }

    /// Starts a server answering `statuses` in turn.
    static func start(answering statuses: [Int?]) async throws -> TestHTTPServer {
        let server = TestHTTPServer(script: statuses)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RecordingHandler(server: server))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        server.channel.withLock { $0 = channel }
        return server
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String = "/") -> String {
        let port = self.channel.withLock { $0?.localAddress?.port ?? 0 }
        return "http://127.0.0.1:\(port)\(path)"
    }

    /// The requests received so far.
    var requests: [Request] { self.state.withLock { $0.requests } }

    func stop() async throws {
        try await self.channel.withLock { $0 }?.close()
    }

    fileprivate func record(_ request: Request) -> Int? {
        self.state.withLock { state in
            state.requests.append(request)
            return state.script.count > 1 ? state.script.removeFirst() : state.script.first ?? 200
        }
    }
}

private final class RecordingHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: TestHTTPServer
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(server: TestHTTPServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body = []
        case .body(let buffer):
            self.body += buffer.readableBytesView
        case .end:
            guard let head = self.head else { return }
            let request = TestHTTPServer.Request(method: head.method, uri: head.uri, headers: head.headers, body: self.body)
            guard let status = self.server.record(request) else { return }
            let hasBody = status != 204 && status != 304
            var headers = HTTPHeaders()
            if hasBody {
                headers.add(name: "Content-Length", value: "2")
            }
            headers.add(name: "Connection", value: "close")
            let responseHead = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: status), headers: headers)
            context.write(self.wrapOutboundOut(.head(responseHead)), promise: nil)
            if hasBody {
                context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "ok")))), promise: nil)
            }
            let channel = context.channel
            context.writeAndFlush(self.wrapOutboundOut(.end(nil))).whenComplete { _ in
                channel.close(promise: nil)
            }
        }
    }
}
