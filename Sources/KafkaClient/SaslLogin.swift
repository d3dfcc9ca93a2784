import KafkaProtocol
import Security

/// The client side of one connection's SASL login (KIP-43/KIP-152), without sockets: the
/// caller supplies the two round trips (SaslHandshake, SaslAuthenticate) on the fresh
/// connection, right after ApiVersions.
///
/// Failures, all non-retriable except transport errors from the round trips:
/// - the broker does not enable the mechanism → `.broker(.unsupportedSaslMechanism, …)` naming
///   the broker's list;
/// - SASL_AUTHENTICATION_FAILED → `.authenticationFailed` with the broker's message;
/// - a malformed SCRAM message or a wrong server signature → `.authenticationFailed`.
///
/// The password goes only into the PLAIN token or the SCRAM computation, never into an error.
/// A value used once, on the connecting thread.
struct SaslLogin {
    let config: SaslConfig
    /// The broker, for error messages.
    let address: String

    /// Runs the login. `handshake` and `authenticate` send one request each and return the
    /// decoded answer (or throw the connection's failure).
    func run(handshake: (SaslHandshakeRequest) throws(KafkaClientError) -> SaslHandshakeResponse,
             authenticate: (SaslAuthenticateRequest) throws(KafkaClientError) -> SaslAuthenticateResponse) throws(KafkaClientError) {
        let answer = try handshake(SaslHandshakeRequest(mechanism: config.mechanism.name))
        guard answer.errorCode == .none else {
            let offered = answer.mechanisms.isEmpty ? "none" : answer.mechanisms.joined(separator: ", ")
            throw .broker(answer.errorCode, context: "SASL handshake with \(address): mechanism \(config.mechanism.name) refused; the broker enables \(offered)")
        }
        // One round: send a token, get the broker's (a failure ends the login).
        func round(_ token: [UInt8]) throws(KafkaClientError) -> [UInt8] {
            let response = try authenticate(SaslAuthenticateRequest(authBytes: token))
            switch response.errorCode {
            case .none:
                return response.authBytes
            case .saslAuthenticationFailed:
                throw .authenticationFailed("\(config.mechanism.name) login as \(config.username.debugDescription) to \(address) refused: \(response.errorMessage ?? "invalid credentials")")
            default:
                throw .broker(response.errorCode, context: KafkaAdmin.context("SASL authentication with \(address)", response.errorMessage))
            }
        }
        switch config.mechanism {
        case .plain:
            // RFC 4616: authzid NUL authcid NUL passwd, with an empty authzid.
            _ = try round([0] + Array(config.username.utf8) + [0] + Array(config.password.utf8))
        case .scramSha256:
            try scram(.sha256, round)
        case .scramSha512:
            try scram(.sha512, round)
        }
    }

    private func scram(_ mechanism: ScramMechanism, _ round: ([UInt8]) throws(KafkaClientError) -> [UInt8]) throws(KafkaClientError) {
        var client = ScramClient(mechanism: mechanism, username: config.username, password: config.password)
        let serverFirst = try round(try checked(mechanism) { () throws(SaslError) in try client.firstMessage() })
        let serverFinal = try round(try checked(mechanism) { () throws(SaslError) in try client.respond(toServerFirst: serverFirst) })
        try checked(mechanism) { () throws(SaslError) in try client.verify(serverFinal: serverFinal) }
    }

    /// Runs one step of the SCRAM client. A broker that cannot prove it knows the credential
    /// (or speaks malformed SCRAM) is not one to send data to: authentication failed.
    /// `SaslError`'s text never holds the password.
    private func checked<T>(_ mechanism: ScramMechanism, _ body: () throws(SaslError) -> T) throws(KafkaClientError) -> T {
        do {
            return try body()
        } catch {
            throw .authenticationFailed("\(mechanism.mechanismName) exchange with \(address) failed: \(error)")
        }
    }
}
