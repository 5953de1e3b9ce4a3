/// Phone number rules.
public struct PhonePolicy: Sendable, Equatable {
    /// The ISO 3166-1 alpha-2 region (e.g. `FI`) whose numbering plan applies to input in
    /// national format.
    public var defaultRegion: String
    /// The regions whose numbers are accepted; `nil` accepts every region.
    ///
    /// A region is matched by its country calling code, so allowing `US` allows every `+1` number.
    public var allowedRegions: [String]?

    /// Creates phone rules.
    /// - Parameters:
    ///   - defaultRegion: The region for national-format input, e.g. `FI`.
    ///   - allowedRegions: The accepted regions, or `nil` for all.
    public init(defaultRegion: String, allowedRegions: [String]? = nil) {
        self.defaultRegion = defaultRegion
        self.allowedRegions = allowedRegions
    }
}
