/// Kafka API keys this project knows, with the first flexible (KIP-482) version of each.
///
/// The first flexible version decides the request header version (v2 from there on, else v1)
/// and the response header version (v1 from there on, else v0) — except ApiVersions, whose
/// response header is always v0. It is needed even for versions the broker rejects.
public enum ApiKey: Int16, Sendable, CaseIterable, CustomStringConvertible {
    case produce = 0
    case fetch = 1
    case listOffsets = 2
    case metadata = 3
    case offsetCommit = 8
    case offsetFetch = 9
    case findCoordinator = 10
    case joinGroup = 11
    case heartbeat = 12
    case leaveGroup = 13
    case syncGroup = 14
    case describeGroups = 15
    case listGroups = 16
    case saslHandshake = 17
    case apiVersions = 18
    case createTopics = 19
    case deleteTopics = 20
    case deleteRecords = 21
    case initProducerId = 22
    case offsetForLeaderEpoch = 23
    case describeConfigs = 32
    case deleteGroups = 42
    case describeCluster = 60

    /// The first version that uses compact encodings and tagged fields.
    public var firstFlexibleVersion: Int16 {
        switch self {
        case .produce: 9
        case .fetch: 12
        case .listOffsets: 6
        case .metadata: 9
        case .offsetCommit: 8
        case .offsetFetch: 6
        case .findCoordinator: 3
        case .joinGroup: 6
        case .heartbeat: 4
        case .leaveGroup: 4
        case .syncGroup: 4
        case .describeGroups: 5
        case .listGroups: 3
        case .saslHandshake: Int16.max
        case .apiVersions: 3
        case .createTopics: 5
        case .deleteTopics: 4
        case .deleteRecords: 2
        case .initProducerId: 2
        case .offsetForLeaderEpoch: 4
        case .describeConfigs: 4
        case .deleteGroups: 2
        case .describeCluster: 0
        }
    }

    /// Whether `version` of this API is flexible.
    public func isFlexible(_ version: Int16) -> Bool { version >= firstFlexibleVersion }

    /// Request header version for `version` (1 or 2).
    public func requestHeaderVersion(_ version: Int16) -> Int16 { isFlexible(version) ? 2 : 1 }

    /// Response header version for `version` (0 or 1); ApiVersions always answers with v0.
    public func responseHeaderVersion(_ version: Int16) -> Int16 {
        self != .apiVersions && isFlexible(version) ? 1 : 0
    }

    public var description: String {
        switch self {
        case .produce: "Produce"
        case .fetch: "Fetch"
        case .listOffsets: "ListOffsets"
        case .metadata: "Metadata"
        case .offsetCommit: "OffsetCommit"
        case .offsetFetch: "OffsetFetch"
        case .findCoordinator: "FindCoordinator"
        case .joinGroup: "JoinGroup"
        case .heartbeat: "Heartbeat"
        case .leaveGroup: "LeaveGroup"
        case .syncGroup: "SyncGroup"
        case .describeGroups: "DescribeGroups"
        case .listGroups: "ListGroups"
        case .saslHandshake: "SaslHandshake"
        case .apiVersions: "ApiVersions"
        case .createTopics: "CreateTopics"
        case .deleteTopics: "DeleteTopics"
        case .deleteRecords: "DeleteRecords"
        case .initProducerId: "InitProducerId"
        case .offsetForLeaderEpoch: "OffsetForLeaderEpoch"
        case .describeConfigs: "DescribeConfigs"
        case .deleteGroups: "DeleteGroups"
        case .describeCluster: "DescribeCluster"
        }
    }
}

/// An inclusive range of versions of one API.
public struct ApiVersionRange: Sendable, Equatable {
    public var apiKey: ApiKey
    public var minVersion: Int16
    public var maxVersion: Int16

    public init(_ apiKey: ApiKey, _ minVersion: Int16, _ maxVersion: Int16) {
        self.apiKey = apiKey
        self.minVersion = minVersion
        self.maxVersion = maxVersion
    }

    public func contains(_ version: Int16) -> Bool { version >= minVersion && version <= maxVersion }
}
