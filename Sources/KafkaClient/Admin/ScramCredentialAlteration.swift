/// One SCRAM credential as DescribeUserScramCredentials reports it: the mechanism and the
/// PBKDF2 iteration count, never the salt or keys. A value type.
public struct ScramCredentialInfo: Sendable, Equatable {
    /// `.scramSha256` or `.scramSha512`.
    public var mechanism: SaslConfig.Mechanism
    /// The PBKDF2 iteration count the credential was salted with.
    public var iterations: Int

    /// A credential description (as decoded from the broker's answer).
    public init(mechanism: SaslConfig.Mechanism, iterations: Int) {
        self.mechanism = mechanism
        self.iterations = iterations
    }
}

/// A SCRAM credential to create or replace (``KafkaAdmin/alterUserScramCredentials(upsert:delete:)``).
///
/// The password stays on the client: it is salted and hashed here (a fresh random salt,
/// PBKDF2 with `iterations`) and only the salted password is sent, as Kafka's admin client
/// does. `description` never shows the password. A value type.
public struct ScramCredentialUpsertion: Sendable, Equatable, CustomStringConvertible {
    /// Kafka's default for `kafka-configs --add-config 'SCRAM-SHA-256=[password=...]'`.
    public static let defaultIterations = 4096

    /// The user whose credential is created or replaced (other mechanisms are left alone).
    public var user: String
    /// `.scramSha256` or `.scramSha512` (`.plain` is refused: PLAIN logins check the SCRAM
    /// credential).
    public var mechanism: SaslConfig.Mechanism
    /// The new password; hashed before sending, never sent.
    public var password: String
    /// 4096…16384 (Kafka's bounds; the broker refuses others with UNACCEPTABLE_CREDENTIAL).
    public var iterations: Int

    /// A credential for `user`, salted `iterations` times (Kafka's default 4096).
    public init(user: String, mechanism: SaslConfig.Mechanism, password: String, iterations: Int = defaultIterations) {
        self.user = user
        self.mechanism = mechanism
        self.password = password
        self.iterations = iterations
    }

    /// The user, mechanism and iterations, never the password.
    public var description: String { "\(mechanism.name) credential of \(user.debugDescription) (\(iterations) iterations)" }
}

/// A SCRAM credential to delete: one mechanism of one user. A value type.
public struct ScramCredentialDeletion: Sendable, Equatable {
    /// The user whose credential for `mechanism` is deleted.
    public var user: String
    /// `.scramSha256` or `.scramSha512`.
    public var mechanism: SaslConfig.Mechanism

    /// The deletion of `user`'s `mechanism` credential.
    public init(user: String, mechanism: SaslConfig.Mechanism) {
        self.user = user
        self.mechanism = mechanism
    }
}
