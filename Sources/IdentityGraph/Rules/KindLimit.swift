/// How many identifiers of one kind a customer may have.
public struct KindLimit: Sendable, Equatable {
    /// The most identifiers of this kind in all; `nil` is unlimited.
    public var total: Int?
    /// The most identifiers of this kind in one namespace (one loyalty program, one network); `nil` is unlimited.
    public var perNamespace: Int?

    public init(total: Int? = nil, perNamespace: Int? = nil) {
        self.total = total
        self.perNamespace = perNamespace
    }

    public static let unlimited = KindLimit()
}
