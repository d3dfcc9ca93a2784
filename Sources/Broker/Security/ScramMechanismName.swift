/// The SCRAM mechanisms of Kafka (KIP-554 codes: 1 = SCRAM-SHA-256, 2 = SCRAM-SHA-512).
public enum ScramMechanismName: Int8, Sendable, CaseIterable, CustomStringConvertible {
    case sha256 = 1
    case sha512 = 2

    /// The SASL mechanism name.
    public var description: String { self == .sha256 ? "SCRAM-SHA-256" : "SCRAM-SHA-512" }

    public init?(saslName: String) {
        guard let found = Self.allCases.first(where: { $0.description == saslName }) else { return nil }
        self = found
    }

    /// The hash's output size in bytes (and so of a salted password, StoredKey, ServerKey).
    public var hashLength: Int { self == .sha256 ? 32 : 64 }

    /// Kafka's bounds on iterations (`ScramMechanism.minIterations`/`maxIterations`).
    public static let minIterations: Int32 = 4096
    public static let maxIterations: Int32 = 16384
}
