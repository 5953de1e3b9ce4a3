import Crypto
import Foundation
import Messaging

/// Reads `messages.yaml`: how one-time codes reach customers, and how deliveries are retried.
/// The webhook secret is never in the file: it names an environment variable that holds it.
enum MessagingPolicyReader {
    static func read(_ root: PolicyNode, environment: [String: String] = ProcessInfo.processInfo.environment) throws(PolicyError) -> MessagingPolicy {
        let fields = try root.fields(["one_time_codes", "delivery"])
        var policy = MessagingPolicy()
        if let codes = fields["one_time_codes"] {
            let sender = try codes.fields(["sender", "directory", "url", "secret_env", "timeout"])
            let kindNode = try sender.required("sender")
            switch try kindNode.string() {
            case "file":
                policy.codeSender = .file(directory: try sender["directory"]?.string() ?? "data/outbox")
            case "webhook":
                let urlNode = try sender.required("url")
                let url = try urlNode.string()
                guard let parsed = URL(string: url), parsed.scheme == "https" || (parsed.scheme == "http" && ["127.0.0.1", "localhost", "::1"].contains(parsed.host ?? "")),
                      parsed.host != nil
                else {
                    throw urlNode.error("must be an https URL (http only on loopback)")
                }
                let secretNode = try sender.required("secret_env")
                let variable = try secretNode.string()
                guard let secret = environment[variable], secret.utf8.count >= 32 else {
                    throw secretNode.error("names an environment variable that must hold a secret of at least 32 bytes")
                }
                policy.codeSender = .webhook(
                    url: url, secret: SymmetricKey(data: Data(secret.utf8)),
                    timeout: .seconds(try sender["timeout"]?.int(in: 1...120) ?? 10)
                )
            default:
                throw kindNode.error("must be file or webhook")
            }
        }
        if let delivery = fields["delivery"] {
            let retry = try delivery.fields(["max_attempts", "initial_backoff", "max_backoff"])
            if let value = retry["max_attempts"] { policy.maxAttempts = try value.int(in: 1...100) }
            if let value = retry["initial_backoff"] { policy.initialBackoff = .seconds(try value.int(in: 1...3_600)) }
            if let value = retry["max_backoff"] { policy.maxBackoff = .seconds(try value.int(in: 1...86_400)) }
        }
        return policy
    }
}
