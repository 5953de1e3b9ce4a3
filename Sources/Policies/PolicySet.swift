public import Channels
public import Identifiers
public import IdentityGraph
public import Messaging
import Foundation

/// Everything Solmu reads from `policies/`: how identifiers are normalized, the rules of the
/// identity graph, and the channels.
public struct PolicySet: Sendable {
    public var identifiers: IdentifierPolicy
    public var rules: GraphRules
    public var channels: [Channel]
    /// How one-time codes are delivered and how deliveries are retried.
    public var messaging: MessagingPolicy

    public init(identifiers: IdentifierPolicy, rules: GraphRules, channels: [Channel], messaging: MessagingPolicy = MessagingPolicy()) {
        self.identifiers = identifiers
        self.rules = rules
        self.channels = channels
        self.messaging = messaging
    }

    /// The policy file names, in the order they are read.
    public enum File {
        public static let identifiers = "identifiers.yaml"
        public static let links = "links.yaml"
        public static let channels = "channels.yaml"
        public static let messages = "messages.yaml"
    }

    /// Reads and checks every policy file in `directory`.
    /// - Throws: `PolicyError` naming the file, the field and the reason.
    public static func load(directory: String) throws(PolicyError) -> PolicySet {
        let identifiers = try IdentifierPolicyReader.read(try document(File.identifiers, in: directory))
        let normalizer = IdentifierNormalizer(policy: identifiers)
        let rules = try GraphRulesReader.read(try document(File.links, in: directory), normalizer: normalizer)
        let channels = try ChannelsReader.read(try document(File.channels, in: directory))
        let messagesPath = (directory as NSString).appendingPathComponent(File.messages)
        let messaging = FileManager.default.fileExists(atPath: messagesPath)
            ? try MessagingPolicyReader.read(try document(File.messages, in: directory)) : MessagingPolicy()
        return PolicySet(identifiers: identifiers, rules: rules, channels: channels, messaging: messaging)
    }

    /// Reads policies from in-memory documents (tests, and tools that check a change before it ships).
    public static func parse(
        identifiers: String, links: String, channels: String, messages: String? = nil, environment: [String: String] = [:]
    ) throws(PolicyError) -> PolicySet {
        let identifierPolicy = try IdentifierPolicyReader.read(try node(identifiers, file: File.identifiers))
        let rules = try GraphRulesReader.read(try node(links, file: File.links), normalizer: IdentifierNormalizer(policy: identifierPolicy))
        let messaging = try messages.map { text throws(PolicyError) in
            try MessagingPolicyReader.read(try node(text, file: File.messages), environment: environment)
        } ?? MessagingPolicy()
        return PolicySet(identifiers: identifierPolicy, rules: rules, channels: try ChannelsReader.read(try node(channels, file: File.channels)), messaging: messaging)
    }

    private static func document(_ name: String, in directory: String) throws(PolicyError) -> PolicyNode {
        let path = (directory as NSString).appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PolicyError(file: name, path: "", line: nil, reason: "cannot be read from \(directory)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyError(file: name, path: "", line: nil, reason: "is not UTF-8")
        }
        return try node(text, file: name)
    }

    private static func node(_ text: String, file: String) throws(PolicyError) -> PolicyNode {
        guard let node = try PolicyNode.parse(text, file: file) else {
            throw PolicyError(file: file, path: "", line: nil, reason: "is empty")
        }
        return node
    }
}
