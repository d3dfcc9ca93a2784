/// Why a SASL exchange (PLAIN or SCRAM, either side) failed. Every malformed or unexpected
/// input ends as one of these; none of this module's parsers traps on input.
///
/// `description` is a sentence fit for a log line or a SaslAuthenticate error message; it never
/// contains a password or a proof, and it says the same for an unknown user as for a wrong
/// password.
public enum SaslError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The message was longer than the mechanism accepts.
    case messageTooLarge(limit: Int, actual: Int)
    /// The message (or a field of it) was not valid UTF-8.
    case invalidEncoding(String)
    /// The message broke the mechanism's grammar; the text says how.
    case malformed(String)
    /// The client asked for channel binding (`p=` gs2 flag), which this broker does not offer.
    case channelBindingNotSupported
    /// The channel-binding attribute `c=` did not repeat the client's gs2 header.
    case channelBindingMismatch
    /// The client sent an extension the server refuses (the `m=` reserved attribute, or Kafka's
    /// `tokenauth` delegation-token extension, which is not supported yet).
    case unsupportedExtension(String)
    /// The authorization id was present and differs from the user name (Kafka's rule).
    case authorizationIdMismatch
    /// The client-final nonce did not equal the combined nonce of the server-first message, or
    /// (client side) the server's nonce did not extend the client's.
    case nonceMismatch
    /// Wrong password or unknown user: the two are deliberately indistinguishable.
    case authenticationFailed
    /// An iteration count outside the mechanism's range.
    case invalidIterationCount(Int)
    /// A message arrived in a state that expects none or a different one.
    case unexpectedMessage(String)
    /// Client side: the server answered with `e=` and this server-error-value.
    case serverError(String)
    /// Client side: the server's `v=` signature was wrong, so the server does not know the
    /// credential either.
    case invalidServerSignature

    /// A one-line explanation, safe to log and to return to the client.
    public var description: String {
        switch self {
        case let .messageTooLarge(limit, actual): "SASL message of \(actual) bytes exceeds the limit of \(limit)"
        case let .invalidEncoding(what): "invalid encoding: \(what) is not valid UTF-8"
        case let .malformed(reason): "malformed SASL message: \(reason)"
        case .channelBindingNotSupported: "channel binding is not supported"
        case .channelBindingMismatch: "the channel binding does not match the client's gs2 header"
        case let .unsupportedExtension(name): "unsupported SASL extension '\(name)'"
        case .authorizationIdMismatch: "the authorization id differs from the user name"
        case .nonceMismatch: "the nonce does not match"
        case .authenticationFailed: "authentication failed: invalid credentials"
        case let .invalidIterationCount(count): "iteration count \(count) is outside the allowed range"
        case let .unexpectedMessage(state): "unexpected SASL message: \(state)"
        case let .serverError(value): "the server refused the authentication: \(value)"
        case .invalidServerSignature: "the server's signature is invalid"
        }
    }

    /// The RFC 5802 §7 `server-error-value` a SCRAM server sends as `e=<value>` for this error.
    /// An unknown user maps, like a wrong password, to `invalid-proof`.
    public var scramServerErrorValue: String {
        switch self {
        case .messageTooLarge: "other-error"
        case .invalidEncoding: "invalid-encoding"
        case .malformed: "invalid-encoding"
        case .channelBindingNotSupported: "channel-binding-not-supported"
        case .channelBindingMismatch: "channel-bindings-dont-match"
        case .unsupportedExtension: "extensions-not-supported"
        case .authorizationIdMismatch: "other-error"
        case .nonceMismatch: "other-error"
        case .authenticationFailed: "invalid-proof"
        case .invalidIterationCount: "other-error"
        case .unexpectedMessage: "other-error"
        case .serverError: "other-error"
        case .invalidServerSignature: "other-error"
        }
    }
}
