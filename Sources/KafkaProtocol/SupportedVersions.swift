/// The API versions the broker advertises in ApiVersions and accepts: only what is implemented
/// end to end (kafka-protocol.md §1.1). Clients act on this list blindly.
public enum SupportedVersions {
    public static let broker: [ApiVersionRange] = [
        ApiVersionRange(.produce, 0, 9),
        ApiVersionRange(.fetch, 4, 12),
        ApiVersionRange(.listOffsets, 1, 7),
        ApiVersionRange(.metadata, 0, 12),
        ApiVersionRange(.offsetCommit, 2, 9),
        ApiVersionRange(.offsetFetch, 1, 7),
        // v4+ batched (KIP-699); v5 only allows TRANSACTION_ABORTABLE (never answered here); v6
        // adds the share key type, answered INVALID_REQUEST as by a broker without a share coordinator.
        ApiVersionRange(.findCoordinator, 0, 6),
        ApiVersionRange(.joinGroup, 0, 9),
        ApiVersionRange(.heartbeat, 0, 4),
        ApiVersionRange(.leaveGroup, 0, 5),
        ApiVersionRange(.syncGroup, 0, 5),
        ApiVersionRange(.describeGroups, 0, 5),
        ApiVersionRange(.listGroups, 0, 5),
        ApiVersionRange(.apiVersions, 0, 4),
        ApiVersionRange(.createTopics, 0, 7),
        ApiVersionRange(.deleteTopics, 0, 6),
        ApiVersionRange(.initProducerId, 0, 4),
        ApiVersionRange(.describeConfigs, 0, 4),
        ApiVersionRange(.deleteGroups, 0, 2),
        ApiVersionRange(.alterConfigs, 0, 2),
        ApiVersionRange(.incrementalAlterConfigs, 0, 1),
        ApiVersionRange(.createPartitions, 0, 3),
        ApiVersionRange(.deleteRecords, 0, 2),
        ApiVersionRange(.offsetDelete, 0, 0),
        // Kafka 4 serves 1-4; v0 (same layout as v1) stays because kafka-python sends only v0.
        ApiVersionRange(.describeLogDirs, 0, 4),
        ApiVersionRange(.describeCluster, 0, 2),
        ApiVersionRange(.offsetForLeaderEpoch, 2, 4),
        ApiVersionRange(.electLeaders, 0, 2),
        ApiVersionRange(.listPartitionReassignments, 0, 0),
        // Transactions, version 1 (KIP-98/447/360): EndTxn v5, TxnOffsetCommit v5 and Produce v12
        // belong to transactions version 2 (KIP-890 part 2, an epoch bump per transaction), which
        // is not offered, so clients stay on the earlier protocol.
        ApiVersionRange(.addPartitionsToTxn, 0, 4),
        ApiVersionRange(.addOffsetsToTxn, 0, 4),
        ApiVersionRange(.endTxn, 0, 4),
        ApiVersionRange(.writeTxnMarkers, 0, 1),
        ApiVersionRange(.txnOffsetCommit, 0, 4),
        ApiVersionRange(.describeProducers, 0, 0),
        ApiVersionRange(.describeTransactions, 0, 0),
        ApiVersionRange(.listTransactions, 0, 1),
        // SASL (KIP-43, KIP-152): advertised on every listener, as Kafka does; outside a
        // SASL_PLAINTEXT login they are answered ILLEGAL_SASL_STATE.
        ApiVersionRange(.saslHandshake, 0, 1),
        ApiVersionRange(.saslAuthenticate, 0, 2),
        ApiVersionRange(.describeUserScramCredentials, 0, 0),
        ApiVersionRange(.alterUserScramCredentials, 0, 0),
        // ACLs (KIP-140, KIP-290 prefixed patterns): SECURITY_DISABLED without `--authorizer acl`.
        ApiVersionRange(.describeAcls, 0, 3),
        ApiVersionRange(.createAcls, 0, 3),
        ApiVersionRange(.deleteAcls, 0, 3),
    ]

    /// Share groups (KIP-932), served only by a broker built to (`BrokerConfig.shareGroups`)
    /// while they are incomplete: a client that sees ShareGroupHeartbeat expects ShareFetch too.
    public static let shareGroups: [ApiVersionRange] = [
        ApiVersionRange(.shareGroupHeartbeat, 1, 1),
        ApiVersionRange(.shareGroupDescribe, 1, 1),
        ApiVersionRange(.shareFetch, 1, 2),
        ApiVersionRange(.shareAcknowledge, 1, 2),
        ApiVersionRange(.describeShareGroupOffsets, 0, 1),
        ApiVersionRange(.alterShareGroupOffsets, 0, 0),
        ApiVersionRange(.deleteShareGroupOffsets, 0, 0),
    ]

    /// The consumer group protocol (KIP-848), served unless a broker is configured without it.
    public static let consumerGroups: [ApiVersionRange] = [
        ApiVersionRange(.consumerGroupHeartbeat, 0, 1),
        ApiVersionRange(.consumerGroupDescribe, 0, 1),
    ]

    /// The advertised range for `key`, or nil if the broker does not serve it.
    public static func range(for key: ApiKey) -> ApiVersionRange? {
        broker.first { $0.apiKey == key }
    }

    /// What a broker advertises, with or without share groups and the consumer group protocol.
    public static func advertised(shareGroups: Bool, consumerGroups: Bool = false) -> [ApiVersionRange] {
        broker + (consumerGroups ? Self.consumerGroups : []) + (shareGroups ? Self.shareGroups : [])
    }
}
