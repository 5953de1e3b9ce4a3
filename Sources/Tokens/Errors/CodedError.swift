/// The shape every error of this module shares: a `Code` to match on and a fixed reason that
/// never contains token content. Two errors are equal when their codes are (the reason is for
/// people), as in swift-certificates.
public protocol CodedError: Error, Sendable, Hashable, CustomStringConvertible {
    associatedtype Code: RawRepresentable, Hashable, Sendable where Code.RawValue == String
    var code: Code { get }
    var reason: String { get }
}

extension CodedError {
    public var description: String {
        "\(Self.self).\(code.rawValue): \(reason)"
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}
