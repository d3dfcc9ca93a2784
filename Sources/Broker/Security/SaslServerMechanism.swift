/// One SASL mechanism's server side for one exchange (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512):
/// fed the client's tokens in order, it answers each with the next step. Not shared between
/// connections; used by one thread at a time (the connection's requests are serialised).
public protocol SaslServerMechanism: AnyObject, Sendable {
    /// The next step after the client's `token`.
    func evaluate(_ token: [UInt8]) -> SaslStep
}

/// What a mechanism says after a client token.
public enum SaslStep: Sendable, Equatable {
    /// Send `token` to the client and wait for its next one.
    case challenge([UInt8])
    /// Authenticated as `user`; send `token` (possibly empty) as the last server message.
    case success(user: String, token: [UInt8])
    /// Authentication failed; `message` is for the client (never says whether the user exists).
    case failure(message: String)
}
