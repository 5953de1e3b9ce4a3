import Foundation

/// Masks a destination for log lines, so that logs show which kind of address a message went to
/// without holding the address: `a***@example.com`, `+358*****567`, and for URLs only the
/// scheme and host (`https://shop.example`).
public enum DestinationMask {
    /// The masked form of `destination`.
    ///
    /// - Parameter destination: An e-mail address, a phone number or a URL.
    /// - Returns: A form safe to log.
    public static func mask(_ destination: String) -> String {
        if let at = destination.lastIndex(of: "@") {
            let local = destination[..<at]
            let domain = destination[destination.index(after: at)...]
            return "\(local.first.map(String.init) ?? "")***@\(domain)"
        }
        if destination.contains("://") {
            guard let components = URLComponents(string: destination), let scheme = components.scheme, let host = components.host else {
                return "***"
            }
            return "\(scheme)://\(host)"
        }
        let characters = Array(destination)
        guard characters.count >= 8 else {
            return String(repeating: "*", count: characters.count)
        }
        // Keep the country code and the last three digits.
        let kept = (head: 4, tail: 3)
        let masked = String(repeating: "*", count: characters.count - kept.head - kept.tail)
        return String(characters[..<kept.head]) + masked + String(characters[(characters.count - kept.tail)...])
    }
}
