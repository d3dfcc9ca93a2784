import KafkaProtocol

extension Broker {
    /// Whether the principal may create the topic: CREATE on the cluster or on the topic
    /// (Kafka's CreateTopics and Metadata auto-creation checks).
    func mayCreateTopic(_ context: RequestContext, _ name: String) -> Bool {
        isAuthorizedOnCluster(context, .create) || isAuthorized(context, .create, .topic, name)
    }

    /// The topics of `names` the principal may perform `operation` on. Without an authorizer
    /// every topic, with nothing computed: Produce and Fetch call this on every request.
    func authorizedTopics<S: Sequence>(_ context: RequestContext, _ operation: AclOperation, _ names: S) -> TopicAccess
        where S.Element == String {
        guard authorizer != nil else { return TopicAccess(names: nil) }
        return TopicAccess(names: Set(authorizedNames(context, operation, .topic, Set(names))))
    }

    /// KIP-430 cluster operations for Metadata and DescribeCluster: the principal's, or 0
    /// without DESCRIBE on the cluster (Kafka's `computeDescribeClusterResponse`).
    func clusterOperationBits(_ context: RequestContext) -> Int32 {
        isAuthorizedOnCluster(context, .describe) ? authorizedOperationBits(context, .cluster, AclResourceType.clusterName) : 0
    }

    /// The ACL resource guarding a config resource type: the topic, the cluster (broker and
    /// broker-logger resources), the group; nil for other types.
    static func configAclResource(_ configType: Int8) -> AclResourceType? {
        switch ConfigResourceType(rawValue: configType) {
        case .topic: .topic
        case .broker, .brokerLogger: .cluster
        case .group: .group
        default: nil
        }
    }

    /// Kafka's default message for an authorization error (`Errors.message()`).
    static func authorizationMessage(_ code: ErrorCode) -> String {
        switch code {
        case .topicAuthorizationFailed: "Topic authorization failed."
        case .groupAuthorizationFailed: "Group authorization failed."
        case .transactionalIdAuthorizationFailed: "Transactional Id authorization failed."
        default: "Cluster authorization failed."
        }
    }
}

/// Which topics a request may touch: every topic (no authorizer) or the authorized ones.
struct TopicAccess {
    /// nil = every topic.
    let names: Set<String>?

    func contains(_ topic: String) -> Bool { names?.contains(topic) ?? true }
}
