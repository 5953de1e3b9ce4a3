/// What one pass of ``OutboxDelivery/deliverDue(now:)`` did.
public struct DeliveryReport: Sendable, Equatable {
    /// Messages delivered and marked so.
    public var delivered: Int
    /// Messages that failed and were rescheduled for another attempt.
    public var rescheduled: Int
    /// Messages that failed their last allowed attempt and were set aside.
    public var abandoned: Int

    public init(delivered: Int = 0, rescheduled: Int = 0, abandoned: Int = 0) {
        self.delivered = delivered
        self.rescheduled = rescheduled
        self.abandoned = abandoned
    }

    /// How many messages the pass handled.
    public var total: Int { self.delivered + self.rescheduled + self.abandoned }
}
