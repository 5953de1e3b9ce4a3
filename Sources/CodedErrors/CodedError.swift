/// The shape Solmu's library errors share (tokens, keys, the verifiable log): a `Code` to match on
/// and a reason for people that never contains secrets or personal data. Two errors are equal when
/// their codes are (the reason does not count), as in swift-certificates; the description is
/// `TypeName.code: reason`.
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
