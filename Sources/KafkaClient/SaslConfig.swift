/// How a client logs in to brokers on a SASL_PLAINTEXT listener (``ClientConfig/sasl``).
///
/// Every connection runs the login right after ApiVersions: SaslHandshake v1 naming
/// `mechanism`, then SaslAuthenticate rounds. A wrong password or unknown user fails with
/// ``KafkaClientError/authenticationFailed(_:)``, which is never retried.
///
/// - `.plain` sends the user name and password **in clear**: without TLS in front of the broker
///   (a proxy that terminates it) anyone on the path can read them. Prefer SCRAM.
/// - `.scramSha256` / `.scramSha512` (RFC 5802/7677) never send the password; the client also
///   checks that the broker knows the credential (its server signature), so a wrong server
///   signature is an error too.
///
/// A value type; `Sendable`. `description` and `debugDescription` (and so string
/// interpolation, `print` and `dump`) never show the password.
///
/// ```swift
/// var config = ClientConfig(bootstrapServers: ClientConfig.parseBrokers("broker:9094")!)
/// config.sasl = SaslConfig(mechanism: .scramSha256, username: "alice", password: password)
/// let admin = KafkaAdmin(config: config)   // every connection logs in as alice
/// ```
public struct SaslConfig: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The SASL mechanisms this client speaks. A value type; `Sendable`.
    public enum Mechanism: String, CaseIterable, Sendable {
        /// RFC 4616: user name and password in clear, in one message.
        case plain = "PLAIN"
        /// SCRAM with SHA-256 (KIP-84).
        case scramSha256 = "SCRAM-SHA-256"
        /// SCRAM with SHA-512 (KIP-84).
        case scramSha512 = "SCRAM-SHA-512"

        /// The name sent in SaslHandshake, e.g. "SCRAM-SHA-256".
        public var name: String { rawValue }

        /// The mechanism with this SASL name (case-insensitive), or nil.
        public init?(name: String) {
            self.init(rawValue: name.uppercased())
        }
    }

    /// The mechanism named in SaslHandshake; the listener must enable it.
    public var mechanism: Mechanism
    /// The user to log in as (sent in clear by every mechanism).
    public var username: String
    /// Kept in memory for reconnects (every new connection logs in again); never logged.
    public var password: String

    /// A login as `username` with `password` (its UTF-8 bytes, no SASLprep, as Kafka).
    public init(mechanism: Mechanism, username: String, password: String) {
        self.mechanism = mechanism
        self.username = username
        self.password = password
    }

    /// The mechanism and user, never the password.
    public var description: String { "SASL \(mechanism.name) as \(username.debugDescription)" }
    /// As `description`, with the password shown as `<redacted>`.
    public var debugDescription: String { "SaslConfig(mechanism: \(mechanism.name), username: \(username.debugDescription), password: <redacted>)" }
    /// What `dump` and reflection see: the password as `<redacted>`.
    public var customMirror: Mirror {
        Mirror(self, children: ["mechanism": mechanism, "username": username, "password": "<redacted>"])
    }
}
