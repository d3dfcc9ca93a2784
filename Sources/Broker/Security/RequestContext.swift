/// What the broker knows about where a request came from: the peer's host, the listener it
/// arrived on, and the authenticated principal. A value type, made per request by the server.
public struct RequestContext: Sendable {
    /// The peer address without its port (reported in DescribeGroups, matched by ACL hosts).
    public var clientHost: String
    /// The listener the connection was accepted on.
    public var listener: ListenerEndpoint
    /// Who is asking (`User:ANONYMOUS` without authentication).
    public var principal: KafkaPrincipal

    public init(clientHost: String, listener: ListenerEndpoint, principal: KafkaPrincipal = .anonymous) {
        self.clientHost = clientHost
        self.listener = listener
        self.principal = principal
    }
}
