/// The kinds of resource an ACL can name (Kafka's `ResourceType`, wire codes as int8).
/// `unknown` stands for any code this broker does not know; `any` is for filters only.
public enum AclResourceType: Int8, Sendable, CaseIterable, CustomStringConvertible {
    case unknown = 0
    case any = 1
    case topic = 2
    case group = 3
    case cluster = 4
    case transactionalId = 5
    case delegationToken = 6
    case user = 7

    /// The type of a wire code; codes outside Kafka's list are `unknown` (as `fromCode`).
    public init(code: Int8) { self = Self(rawValue: code) ?? .unknown }

    /// Kafka's name (`TOPIC`, `TRANSACTIONAL_ID`), used in the ACL file and messages.
    public var description: String {
        switch self {
        case .unknown: "UNKNOWN"
        case .any: "ANY"
        case .topic: "TOPIC"
        case .group: "GROUP"
        case .cluster: "CLUSTER"
        case .transactionalId: "TRANSACTIONAL_ID"
        case .delegationToken: "DELEGATION_TOKEN"
        case .user: "USER"
        }
    }

    /// The type named `name` (Kafka's spelling), or nil.
    public init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = found
    }

    /// The operations that mean something on this type (Kafka's `AclEntry.supportedOperations`):
    /// what KIP-430's authorized operations are drawn from. Empty for `unknown` and `any`.
    public var supportedOperations: Set<AclOperation> {
        switch self {
        case .topic: [.read, .write, .create, .describe, .delete, .alter, .describeConfigs, .alterConfigs]
        case .group: [.read, .describe, .delete, .describeConfigs, .alterConfigs]
        case .cluster: [.create, .clusterAction, .describeConfigs, .alterConfigs, .idempotentWrite, .alter, .describe]
        case .transactionalId: [.describe, .write]
        case .delegationToken: [.describe]
        case .user: [.createTokens, .describeTokens]
        case .unknown, .any: []
        }
    }

    /// The one name a CLUSTER resource has (Kafka's `Resource.CLUSTER_NAME`).
    public static let clusterName = "kafka-cluster"
}
