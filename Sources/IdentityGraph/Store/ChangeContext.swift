public import Foundation

/// Who makes a change to the graph, why, and when. Recorded in the link log with the change.
public struct ChangeContext: Sendable, Equatable {
    /// The channel (client id) or operator making the change.
    public var actor: String
    public var reason: String?
    public var time: Date

    public init(actor: String, reason: String? = nil, time: Date = Date()) {
        self.actor = actor
        self.reason = reason
        self.time = time
    }
}
