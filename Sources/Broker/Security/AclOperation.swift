import KafkaProtocol

/// What an ACL allows or denies (Kafka's `AclOperation`, wire codes as int8). `all` in a binding
/// covers every operation; `any` is for filters only; `unknown` stands for unknown codes.
public enum AclOperation: Int8, Sendable, CaseIterable, CustomStringConvertible {
    case unknown = 0
    case any = 1
    case all = 2
    case read = 3
    case write = 4
    case create = 5
    case delete = 6
    case alter = 7
    case describe = 8
    case clusterAction = 9
    case describeConfigs = 10
    case alterConfigs = 11
    case idempotentWrite = 12
    case createTokens = 13
    case describeTokens = 14

    /// The operation of a wire code; unknown codes are `unknown`.
    public init(code: Int8) { self = Self(rawValue: code) ?? .unknown }

    /// Kafka's name (`DESCRIBE_CONFIGS`).
    public var description: String { AclOperationName.name(rawValue) }

    public init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = found
    }

    /// The operations an ALLOW of this one also allows (itself included): Kafka lets READ,
    /// WRITE, DELETE and ALTER imply DESCRIBE, and ALTER_CONFIGS imply DESCRIBE_CONFIGS, because
    /// a client that may act on a resource must be able to see it. Denials imply nothing.
    public var allowsAlso: Set<AclOperation> {
        switch self {
        case .read, .write, .delete, .alter: [self, .describe]
        case .alterConfigs: [self, .describeConfigs]
        default: [self]
        }
    }
}
