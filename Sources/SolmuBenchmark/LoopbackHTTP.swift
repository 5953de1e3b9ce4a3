import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 client for 127.0.0.1: one request per connection (`Connection: close`).
/// Enough to wait for readiness, fetch a token and check sample answers before the load runs,
/// without linking an HTTP stack into the benchmark.
enum LoopbackHTTP {
    struct Response {
        let status: Int
        let body: String
    }

    static func request(
        port: Int, method: String = "GET", path: String, headers: [(String, String)] = [], body: String = ""
    ) throws -> Response {
        let socket = try connect(port: port)
        defer { close(socket) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if method != "GET" || !body.isEmpty { head += "Content-Length: \(body.utf8.count)\r\n" }
        let request = Array((head + "\r\n" + body).utf8)
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw BenchmarkError("sending to 127.0.0.1:\(port) failed: \(errnoText())") }
            sent += count
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            guard count > 0 else { throw BenchmarkError("reading from 127.0.0.1:\(port) failed: \(errnoText())") }
            received.append(contentsOf: chunk[0..<count])
        }
        return try parse(received)
    }

    /// A loopback port nobody listens on now: the kernel picks it for a socket bound to port 0.
    /// An access token by the client credentials grant (HTTP Basic).
    static func token(port: Int, client: String, secret: String, scope: String) throws -> String {
        let basic = Data("\(client):\(secret)".utf8).base64EncodedString()
        let response = try request(port: port, method: "POST", path: "/oauth/token",
                                   headers: [("Authorization", "Basic \(basic)"), ("Content-Type", "application/x-www-form-urlencoded")],
                                   body: "grant_type=client_credentials&scope=\(scope)")
        guard response.status == 200, let object = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any],
              let token = object["access_token"] as? String
        else { throw BenchmarkError("token for \(client): \(response.status) \(response.body.prefix(300))") }
        return token
    }

    static func freePort() throws -> Int {
        let socket = try makeSocket()
        defer { close(socket) }
        var address = loopbackAddress(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw BenchmarkError("cannot bind a loopback socket: \(errnoText())") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        guard named == 0 else { throw BenchmarkError("getsockname failed: \(errnoText())") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func connect(port: Int) throws -> Int32 {
        let socket = try makeSocket()
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = loopbackAddress(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                #if canImport(Glibc)
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #else
                Darwin.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #endif
            }
        }
        guard connected == 0 else {
            let reason = errnoText()
            close(socket)
            throw BenchmarkError("cannot connect to 127.0.0.1:\(port): \(reason)")
        }
        return socket
    }

    private static func makeSocket() throws -> Int32 {
        #if canImport(Glibc)
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let socket = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socket >= 0 else { throw BenchmarkError("cannot create a socket: \(errnoText())") }
        return socket
    }

    private static func loopbackAddress(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    /// Status line and body; a chunked body is reassembled.
    private static func parse(_ bytes: [UInt8]) throws -> Response {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n") else { throw BenchmarkError("incomplete HTTP response") }
        let head = text[..<headEnd.lowerBound]
        let statusLine = head.prefix { $0 != "\r" }.split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw BenchmarkError("malformed HTTP status line: \(head.prefix { $0 != "\r" })")
        }
        var body = String(text[headEnd.upperBound...])
        if head.lowercased().contains("transfer-encoding: chunked") { body = dechunked(body) }
        return Response(status: status, body: body)
    }

    private static func dechunked(_ text: String) -> String {
        var rest = Substring(text)
        var body = ""
        while let lineEnd = rest.range(of: "\r\n"),
              let size = Int(rest[..<lineEnd.lowerBound].split(separator: ";").first ?? "", radix: 16), size > 0 {
            let start = lineEnd.upperBound
            let chunk = rest.utf8[start...].prefix(size)
            body += String(decoding: chunk, as: UTF8.self)
            rest = Substring(rest.utf8[chunk.endIndex...]).dropFirst(2)
        }
        return body
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
