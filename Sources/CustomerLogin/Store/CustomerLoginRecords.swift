public import Foundation

/// What the login side holds about one customer: their sessions, the channels holding refresh
/// tokens for them, and whether they set a password (never the hash).
public struct CustomerLoginRecords: Sendable, Equatable {
    public var sessions: [LoginSession]
    public var refreshFamilies: [RefreshFamily]
    public var hasPassword: Bool

    public init(sessions: [LoginSession], refreshFamilies: [RefreshFamily], hasPassword: Bool) {
        self.sessions = sessions
        self.refreshFamilies = refreshFamilies
        self.hasPassword = hasPassword
    }
}
