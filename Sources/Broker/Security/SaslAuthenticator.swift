import KafkaProtocol
import Synchronization

/// The SASL login of one connection on a SASL_PLAINTEXT listener (KIP-43, KIP-152), as Kafka's
/// `SaslServerAuthenticator` runs it, without sockets:
///
/// 1. Before the handshake only ApiVersions (answered by the broker) and SaslHandshake are
///    accepted; anything else closes the connection (ILLEGAL_SASL_STATE in Kafka's words).
/// 2. SaslHandshake names a mechanism. One not enabled is answered UNSUPPORTED_SASL_MECHANISM
///    with the enabled list, and the connection closes. v1 continues with SaslAuthenticate
///    requests; v0 (old clients, e.g. kafka-python's default) with raw SASL tokens: frames that
///    are not Kafka requests, answered by raw size-prefixed tokens.
/// 3. Each token goes to the mechanism. Success authenticates the connection as `User:name`;
///    every later frame goes to the broker with that principal. Failure is answered
///    SASL_AUTHENTICATION_FAILED (v1; v0 has no error channel) after `failureDelayMillis`, and
///    the connection closes: a client cannot try passwords quickly, and the delay holds no
///    thread.
/// 4. A second handshake after success (re-authentication, KIP-368) is refused:
///    `connections.max.reauth.ms` is declined, so SaslAuthenticate answers a session lifetime
///    of 0.
///
/// Thread-safety: a lock guards the state, though a connection hands over one frame at a time.
public final class SaslAuthenticator: Sendable {
    /// What to do with a frame.
    public enum Outcome: Sendable {
        /// Hand the frame to `Broker.process` with this context (authenticated, or an
        /// ApiVersions before the login).
        case process(RequestContext)
        /// Send these bytes (a whole size-prefixed frame) and take the next frame.
        case reply([UInt8])
        /// Wait `delayMillis`, send these bytes (nil: nothing) and close; `reason` is for the log.
        case replyThenClose([UInt8]?, delayMillis: Int, reason: String)
    }

    private enum State {
        case awaitingHandshake
        /// After a v1 handshake: SaslAuthenticate requests carry the tokens.
        case authenticating(any SaslServerMechanism)
        /// After a v0 handshake: the next frames are raw tokens.
        case rawTokens(any SaslServerMechanism)
        case authenticated(KafkaPrincipal)
        case failed
    }

    private let enabled: [String]
    private let makeMechanism: @Sendable (String) -> (any SaslServerMechanism)?
    private let context: RequestContext
    private let failureDelayMillis: Int
    private let state = Mutex<State>(.awaitingHandshake)

    /// `enabled`: the mechanism names offered; `makeMechanism(name)`: a fresh exchange of an
    /// enabled mechanism; `context`: the connection's listener and peer (its principal is
    /// replaced once authenticated).
    public init(enabled: [String], context: RequestContext, failureDelayMillis: Int = 100,
                makeMechanism: @escaping @Sendable (String) -> (any SaslServerMechanism)?) {
        self.enabled = enabled
        self.context = context
        self.failureDelayMillis = failureDelayMillis
        self.makeMechanism = makeMechanism
    }

    /// The authenticated principal, or nil before (or after a failed) login.
    public var principal: KafkaPrincipal? {
        state.withLock { if case .authenticated(let principal) = $0 { principal } else { nil } }
    }

    /// Decides what happens to one frame of the connection (see the type's documentation).
    public func handle(frame: [UInt8]) -> Outcome {
        state.withLock { state -> Outcome in
            switch state {
            case .authenticated(let principal):
                var context = context
                context.principal = principal
                return .process(context)
            case .failed:
                return .replyThenClose(nil, delayMillis: 0, reason: "authentication failed before")
            case .rawTokens(let mechanism):
                return rawToken(frame, mechanism, &state)
            case .awaitingHandshake, .authenticating:
                break
            }
            let header: RequestHeader
            var body: ProtocolReader
            do {
                (header, body) = try RequestHeader.decode(frame)
            } catch {
                state = .failed
                return .replyThenClose(nil, delayMillis: 0, reason: "cannot read request header during SASL authentication: \(error)")
            }
            switch (state, header.apiKey) {
            case (.awaitingHandshake, .apiVersions):
                return .process(context)
            case (.awaitingHandshake, .saslHandshake):
                return handshake(header, &body, &state)
            case (.authenticating(let mechanism), .saslAuthenticate):
                return authenticate(header, &body, mechanism, &state)
            default:
                state = .failed
                return .replyThenClose(nil, delayMillis: 0,
                                       reason: "unexpected \(header.apiKey) request during SASL authentication (ILLEGAL_SASL_STATE)")
            }
        }
    }

    private func handshake(_ header: RequestHeader, _ body: inout ProtocolReader, _ state: inout State) -> Outcome {
        guard let range = SupportedVersions.range(for: .saslHandshake), range.contains(header.apiVersion),
              let request = try? SaslHandshakeRequest(from: &body, version: header.apiVersion) else {
            state = .failed
            return .replyThenClose(nil, delayMillis: 0, reason: "malformed or unsupported SaslHandshake v\(header.apiVersion)")
        }
        func answer(_ code: ErrorCode) -> [UInt8] {
            Self.frame(SaslHandshakeResponse(errorCode: code, mechanisms: enabled), header)
        }
        guard enabled.contains(request.mechanism), let mechanism = makeMechanism(request.mechanism) else {
            state = .failed
            return .replyThenClose(answer(.unsupportedSaslMechanism), delayMillis: 0,
                                   reason: "SASL mechanism \(request.mechanism.debugDescription) is not enabled (\(enabled.joined(separator: ", ")))")
        }
        state = header.apiVersion == 0 ? .rawTokens(mechanism) : .authenticating(mechanism)
        return .reply(answer(.none))
    }

    private func authenticate(_ header: RequestHeader, _ body: inout ProtocolReader, _ mechanism: any SaslServerMechanism,
                              _ state: inout State) -> Outcome {
        guard let range = SupportedVersions.range(for: .saslAuthenticate), range.contains(header.apiVersion),
              let request = try? SaslAuthenticateRequest(from: &body, version: header.apiVersion) else {
            state = .failed
            return .replyThenClose(nil, delayMillis: 0, reason: "malformed or unsupported SaslAuthenticate v\(header.apiVersion)")
        }
        switch mechanism.evaluate(request.authBytes) {
        case .challenge(let token):
            return .reply(Self.frame(SaslAuthenticateResponse(errorCode: .none, authBytes: token, sessionLifetimeMs: 0), header))
        case .success(let user, let token):
            state = .authenticated(KafkaPrincipal(name: user))
            return .reply(Self.frame(SaslAuthenticateResponse(errorCode: .none, authBytes: token, sessionLifetimeMs: 0), header))
        case .failure(let message):
            state = .failed
            let response = SaslAuthenticateResponse(errorCode: .saslAuthenticationFailed, errorMessage: message, authBytes: [])
            return .replyThenClose(Self.frame(response, header), delayMillis: failureDelayMillis,
                                   reason: "SASL authentication failed from \(context.clientHost): \(message)")
        }
    }

    private func rawToken(_ frame: [UInt8], _ mechanism: any SaslServerMechanism, _ state: inout State) -> Outcome {
        switch mechanism.evaluate(frame) {
        case .challenge(let token):
            return .reply(Self.rawFrame(token))
        case .success(let user, let token):
            state = .authenticated(KafkaPrincipal(name: user))
            return .reply(Self.rawFrame(token))
        case .failure(let message):
            state = .failed
            return .replyThenClose(nil, delayMillis: failureDelayMillis,
                                   reason: "SASL authentication failed from \(context.clientHost): \(message)")
        }
    }

    /// A response frame (size prefix included) for `header`'s request.
    static func frame(_ response: some ProtocolMessage, _ header: RequestHeader) -> [UInt8] {
        FrameCodec.encodeResponse(response, apiKey: header.apiKey, version: header.apiVersion, correlationId: header.correlationId)
            .flatMap { segment -> [UInt8] in if case .bytes(let bytes) = segment { bytes } else { [] } }
    }

    /// A raw SASL token as a size-prefixed frame (v0 handshake).
    static func rawFrame(_ token: [UInt8]) -> [UInt8] {
        let size = UInt32(truncatingIfNeeded: token.count)
        return [UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)] + token
    }
}
