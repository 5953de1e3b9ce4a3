/// Matches a requested `redirect_uri` against a channel's registered ones: exactly, character for
/// character (RFC 9700 §2.1), except that for loopback IP redirects the port may differ
/// (RFC 8252 §7.3), because native apps listen on an ephemeral port.
public enum RedirectURIMatcher {
    /// The registered URI `requested` matches, or `nil`.
    public static func match(_ requested: String, registered: [String]) -> String? {
        if registered.contains(requested) { return requested }
        guard let wanted = LoopbackURI(requested) else { return nil }
        return registered.first { LoopbackURI($0)?.equalsIgnoringPort(wanted) == true }
    }
}

/// `http://127.0.0.1:PORT/path?query` or `http://[::1]:PORT/path?query`.
struct LoopbackURI: Equatable {
    let host: String
    let pathAndQuery: Substring

    init?(_ uri: String) {
        for host in ["127.0.0.1", "[::1]"] {
            let prefix = "http://" + host
            guard uri.hasPrefix(prefix) else { continue }
            var rest = uri.dropFirst(prefix.count)
            if rest.first == ":" {
                let port = rest.dropFirst().prefix(while: \.isASCII).prefix(while: \.isNumber)
                guard !port.isEmpty, port.count <= 5, let number = Int(port), (1...65_535).contains(number) else { return nil }
                rest = rest.dropFirst(1 + port.count)
            }
            guard rest.isEmpty || rest.first == "/" || rest.first == "?" else { return nil }
            guard !rest.contains("#") else { return nil }
            self.host = host
            self.pathAndQuery = rest
            return
        }
        return nil
    }

    func equalsIgnoringPort(_ other: LoopbackURI) -> Bool {
        host == other.host && pathAndQuery == other.pathAndQuery
    }
}
