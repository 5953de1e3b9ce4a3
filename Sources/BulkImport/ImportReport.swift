/// What an import did.
public struct ImportReport: Sendable, Equatable {
    /// Lines read (blank lines are skipped and not counted).
    public var lines = 0
    public var customersCreated = 0
    public var identifiersLinked = 0
    /// Lines refused; each is in the rejects file with its reason.
    public var rejected = 0
    public var seconds: Double = 0

    public init() {}

    public var identifiersPerSecond: Double { seconds > 0 ? Double(identifiersLinked) / seconds : 0 }
}
