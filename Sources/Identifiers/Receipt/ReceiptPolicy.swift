/// Receipt rules: the store namespace and the receipt number format, per store if needed.
public struct ReceiptPolicy: Sendable, Equatable {
    /// The format for stores without an override.
    public var defaultFormat: ReceiptFormat
    /// Per-store formats keyed by store namespace (lowercase).
    public var stores: [String: ReceiptFormat]
    /// The characters allowed in a store namespace (after lowercasing).
    public var storeIDCharacters: String
    /// The longest store namespace.
    public var storeIDMaxLength: Int

    /// Creates receipt rules.
    /// - Parameters:
    ///   - defaultFormat: The format for stores without an override.
    ///   - stores: Per-store formats keyed by lowercase store namespace.
    ///   - storeIDCharacters: The characters allowed in a store namespace.
    ///   - storeIDMaxLength: The longest store namespace.
    public init(
        defaultFormat: ReceiptFormat = ReceiptFormat(),
        stores: [String: ReceiptFormat] = [:],
        storeIDCharacters: String = "abcdefghijklmnopqrstuvwxyz0123456789-_",
        storeIDMaxLength: Int = 32
    ) {
        self.defaultFormat = defaultFormat
        self.stores = stores
        self.storeIDCharacters = storeIDCharacters
        self.storeIDMaxLength = storeIDMaxLength
    }

    /// The format that applies to a store.
    public func format(forStore store: String) -> ReceiptFormat {
        stores[store] ?? defaultFormat
    }
}
