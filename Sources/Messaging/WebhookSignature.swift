public import Crypto
public import Foundation

/// The `Solmu-Signature` header of webhook requests, and how to check it.
///
/// Format: `Solmu-Signature: t=<unix seconds>,v1=<hex>`, where `<hex>` is the lowercase hex
/// HMAC-SHA256, under the webhook secret, of the ASCII timestamp, a full stop and the exact
/// request body bytes: `HMAC-SHA256(secret, "<t>.<body>")`.
///
/// A receiver verifies a request by
/// 1. taking `t` and every `v1` from the header (more `v1` values may appear during a secret
///    rotation; one match is enough),
/// 2. recomputing the HMAC over `t`, `.` and the raw body as received (before any JSON parsing),
/// 3. comparing in constant time, and
/// 4. refusing a `t` more than five minutes from its own clock, against replays.
///
/// Then it deduplicates on the `Solmu-Message-Id` header: a retried message keeps its id.
public enum WebhookSignature {
    /// The header's name.
    public static let headerName = "Solmu-Signature"

    /// The header value for `body` signed at `timestamp`.
    ///
    /// - Parameters:
    ///   - body: The exact request body.
    ///   - secret: The webhook secret shared with the receiver.
    ///   - timestamp: Unix seconds.
    /// - Returns: `t=<timestamp>,v1=<hex HMAC>`.
    public static func header(body: [UInt8], secret: SymmetricKey, timestamp: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: self.signedBytes(body: body, timestamp: timestamp), using: secret)
        let hex = mac.map { byte in String(byte, radix: 16).leftPadded(to: 2) }.joined()
        return "t=\(timestamp),v1=\(hex)"
    }

    /// Checks a header value as a receiver would.
    ///
    /// - Parameters:
    ///   - header: The `Solmu-Signature` value.
    ///   - body: The raw request body.
    ///   - secret: The webhook secret.
    ///   - now: The receiver's clock.
    ///   - tolerance: The largest accepted distance between `t` and `now`; five minutes by default.
    /// - Returns: `true` when a `v1` value matches and `t` is recent enough.
    public static func isValid(header: String, body: [UInt8], secret: SymmetricKey, now: Date, tolerance: Duration = .seconds(300)) -> Bool {
        var timestamp: Int64?
        var candidates: [[UInt8]] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            switch pair[0] {
            case "t": timestamp = Int64(pair[1])
            case "v1": if let bytes = Self.bytes(hex: pair[1]) { candidates.append(bytes) }
            default: continue
            }
        }
        guard let timestamp, !candidates.isEmpty else { return false }
        let age = abs(now.timeIntervalSince1970 - Double(timestamp))
        guard age <= Double(tolerance.components.seconds) else { return false }
        let signed = self.signedBytes(body: body, timestamp: timestamp)
        return candidates.contains { HMAC<SHA256>.isValidAuthenticationCode($0, authenticating: signed, using: secret) }
    }

    private static func signedBytes(body: [UInt8], timestamp: Int64) -> [UInt8] {
        Array("\(timestamp).".utf8) + body
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
            index += 2
        }
        return bytes
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        self.count >= width ? self : String(repeating: "0", count: width - self.count) + self
    }
}
