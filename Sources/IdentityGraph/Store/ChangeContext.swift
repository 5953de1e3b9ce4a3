public import Foundation

/// Who makes a change to the graph, why, and when. Recorded in the link log with the change.
public struct ChangeContext: Sendable, Equatable {
    /// The channel (client id) or operator making the change.
    public var actor: String
    public var reason: String?
    /// The person behind an admin change; `nil` for a channel acting on its own.
    public var operatorName: String?
    public var time: Date

    public init(actor: String, reason: String? = nil, operatorName: String? = nil, time: Date = Date()) {
        self.actor = actor
        self.reason = reason
        self.operatorName = operatorName
        self.time = time
    }
}
