/// Kafka's security protocols that kaffeed serves (TLS is left to a proxy in front; see the
/// README). The raw values are Kafka's names.
public enum SecurityProtocol: String, Sendable, CaseIterable {
    /// No authentication: every client is `User:ANONYMOUS`.
    case plaintext = "PLAINTEXT"
    /// SASL authentication (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) over plain TCP.
    case saslPlaintext = "SASL_PLAINTEXT"
}
