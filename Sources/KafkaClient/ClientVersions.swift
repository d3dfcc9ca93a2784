public import KafkaProtocol

/// The API versions this client can encode and decode; each request uses the highest version
/// both this table and the broker's ApiVersions answer allow.
/// Stateless (static members only); safe to use from any thread.
public enum ClientVersions {
    /// API key → the version range this client implements for it. A key not listed is never
    /// sent.
    public static let supported: [ApiKey: ClosedRange<Int16>] = [
        .produce: 3...9, .fetch: 4...12, .listOffsets: 1...7, .metadata: 1...12,
        .offsetCommit: 2...9, .offsetFetch: 1...7, .findCoordinator: 0...3, .joinGroup: 0...9,
        .heartbeat: 0...4, .leaveGroup: 0...5, .syncGroup: 0...5, .describeGroups: 0...5,
        .listGroups: 0...5, .apiVersions: 0...3, .createTopics: 0...7, .deleteTopics: 0...6,
        .initProducerId: 0...4, .describeConfigs: 0...4, .deleteGroups: 0...2,
        .createPartitions: 0...3, .deleteRecords: 0...2, .offsetDelete: 0...0, .describeCluster: 0...2,
        .describeLogDirs: 0...5, .incrementalAlterConfigs: 0...1, .alterConfigs: 0...2,
        // Transactions version 1 (KIP-98/KIP-447): AddPartitionsToTxn v4 is the broker-only
        // batched form and EndTxn v5 asks for KIP-890's per-transaction epoch bump, so neither
        // is used.
        .addPartitionsToTxn: 0...3, .addOffsetsToTxn: 0...4, .txnOffsetCommit: 0...4, .endTxn: 0...4,
        .describeProducers: 0...0, .describeTransactions: 0...0, .listTransactions: 0...1, .writeTxnMarkers: 0...1,
        // Share groups (KIP-932): v0 of the membership and record APIs was Kafka 4.0's
        // early-access form, so only the stable versions are used.
        .shareGroupHeartbeat: 1...1, .shareGroupDescribe: 1...1, .shareFetch: 1...2, .shareAcknowledge: 1...2,
        .describeShareGroupOffsets: 1...1,
        // The consumer group protocol (KIP-848): the consumer's heartbeat (v1: the member
        // chooses its id) and describe for admin tools. OffsetCommit v9 carries the member
        // epoch; classic members commit with v8 at most (KafkaConsumer caps it).
        .consumerGroupHeartbeat: 0...1, .consumerGroupDescribe: 0...1,
        // SASL (KIP-152): handshake v1 only, since v0 is followed by raw tokens, not requests.
        .saslHandshake: 1...1, .saslAuthenticate: 0...2,
        .describeUserScramCredentials: 0...0, .alterUserScramCredentials: 0...0,
        // ACLs (KIP-140; v1+ carry the pattern type, KIP-290).
        .describeAcls: 1...3, .createAcls: 1...3, .deleteAcls: 1...3,
    ]

    /// The version to use for `key` given the broker's ranges, or nil when they do not overlap.
    public static func negotiate(_ key: ApiKey, broker: [ApiKey: ApiVersionRange]) -> Int16? {
        guard let ours = supported[key], let theirs = broker[key] else { return nil }
        let high = min(ours.upperBound, theirs.maxVersion)
        let low = max(ours.lowerBound, theirs.minVersion)
        return high >= low ? high : nil
    }
}
