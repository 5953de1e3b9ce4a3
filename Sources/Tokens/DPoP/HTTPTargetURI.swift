import Foundation

/// The comparison form of an HTTP URI for `htu` (RFC 9449 §4.3 check 9): scheme, host, port and
/// path, with query and fragment dropped and RFC 3986 §6.2.2–6.2.3 normalization applied — scheme
/// and host lowercased, the default port left out, an empty path written `/`, percent-encodings
/// in upper case.
enum HTTPTargetURI {
    /// The normalized form, or `nil` when `uri` is not an absolute `http` or `https` URI with a
    /// host (user information is not accepted either).
    static func normalized(_ uri: String) -> String? {
        guard let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased(),
            scheme == "https" || scheme == "http",
            let host = components.percentEncodedHost?.lowercased(), !host.isEmpty,
            components.percentEncodedUser == nil, components.percentEncodedPassword == nil
        else { return nil }
        var result = scheme + "://" + host
        if let port = components.port, port != (scheme == "https" ? 443 : 80) {
            result += ":\(port)"
        }
        let path = components.percentEncodedPath
        result += path.isEmpty ? "/" : uppercasingPercentEncodings(path)
        return result
    }

    private static func uppercasingPercentEncodings(_ path: String) -> String {
        var bytes = Array(path.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count {
                for offset in 1...2 where (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(bytes[index + offset]) {
                    bytes[index + offset] -= 32
                }
                index += 3
            } else {
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
