/// A policy file that cannot be used, with where and why.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, relative to the policies directory.
    public let file: String
    /// Where in the file, as a dotted path such as `channels.webshop.scopes[2]`.
    public let path: String
    /// The line, when known.
    public let line: Int?
    public let reason: String

    public init(file: String, path: String, line: Int?, reason: String) {
        self.file = file
        self.path = path
        self.line = line
        self.reason = reason
    }

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return path.isEmpty ? "\(location): \(reason)" : "\(location): \(path): \(reason)"
    }
}
