public import Hummingbird
import Channels
import Tokens
public import Logging
import Foundation
import HTTPTypes
import CoreMetrics
import NIOCore
import NIOFoundationEssentialsCompat
import IdentityGraph
import Identifiers

/// The context of one request: Hummingbird's core storage plus the authenticated caller, once the
/// bearer middleware has checked the token.
public struct SolmuRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The verified access token's claims and the channel it was issued to.
    var caller: Caller?
    /// The peer address, for rate limits and logs (absent in router tests).
    public let remoteAddress: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Big enough for a batch of 1,000 identifiers of the longest allowed value, small enough to
    /// refuse abuse early.
    public var maxUploadSize: Int { 2 << 20 }
}

/// Who is calling the Solmu API.
struct Caller: Sendable {
    var claims: AccessTokenClaims
    var channel: Channels.Channel
}
