@testable import KafkaClient
import KafkaProtocol
import SystemIO
import Testing

/// `KafkaAdmin` partitions, records, group offsets, cluster and log directories against a real
/// broker: CreatePartitions, DeleteRecords, OffsetDelete, DescribeCluster, DescribeLogDirs.
/// Tests of an API the broker does not advertise are skipped with that reason, and
/// `missingApisAreReportedAsUnsupported` checks what the client says for each of them.
@Suite struct AdminClusterTests {
    @Test(.enabled(if: TestCluster.advertises(.createPartitions), "the broker does not advertise CreatePartitions (key 37)"))
    func addPartitions() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let admin = KafkaAdmin(config: cluster.clientConfig("admin-cluster-test"))
        defer { admin.close() }
        let topic = TestCluster.uniqueTopic("admin-partitions")
        try admin.createTopic(name: topic, partitions: 1)

        try admin.createPartitions(topic: topic, totalCount: 3, validateOnly: true)
        #expect(try admin.describeTopic(name: topic).partitions.count == 1)
        try admin.createPartitions(topic: topic, totalCount: 3)
        let grown = try admin.describeTopic(name: topic)
        #expect(grown.partitions.map(\.partition) == [0, 1, 2])
        #expect(grown.partitions.allSatisfy { $0.leader >= 0 })
        #expect(try admin.cluster.topic(topic).partitionCount == 3, "the client's metadata cache knows the new partitions")

        // Fewer or as many partitions as now: refused with the broker's reason.
        for total: Int32 in [2, 3] {
            let failure = caught { () throws(KafkaClientError) in try admin.createPartitions(topic: topic, totalCount: total) }
            guard case .broker(let code, let context)? = failure else {
                Issue.record("\(total) partitions should be refused, got \(String(describing: failure))")
                continue
            }
            #expect(code == .invalidPartitions)
            #expect(context.contains("add partitions to topic \(topic), \(total) in total"))
        }
        #expect(try admin.describeTopic(name: topic).partitions.count == 3)
        let missing = TestCluster.uniqueTopic("admin-partitions-missing")
        #expect(caught { () throws(KafkaClientError) in try admin.createPartitions(topic: missing, totalCount: 2) } == .unknownTopic(missing))
        #expect(caught { () throws(KafkaClientError) in try admin.createPartitions(topic: topic, totalCount: 0) }
            == .invalidArgument("the partition count must be 1 or more, got 0"))
        try admin.deleteTopic(name: topic)
    }

    @Test(.enabled(if: TestCluster.advertises(.deleteRecords), "the broker does not advertise DeleteRecords (key 21)"))
    func deleteRecordsMovesTheLogStart() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let admin = KafkaAdmin(config: cluster.clientConfig("admin-cluster-test"))
        defer { admin.close() }
        let topic = TestCluster.uniqueTopic("admin-trim")
        try admin.createTopic(name: topic, partitions: 2)
        let now = SystemTimeSource().wallMillis()
        try produce(admin.cluster, topic: topic, partition: 0, timestamps: Array(repeating: now, count: 10))
        try produce(admin.cluster, topic: topic, partition: 1, timestamps: Array(repeating: now, count: 4))
        let p0 = TopicPartition(topic: topic, partition: 0)
        let p1 = TopicPartition(topic: topic, partition: 1)

        if TestCluster.kind == "tansu" {
            // Tansu 0.6 advertises DeleteRecords v0-2, but its storage engines do not implement
            // it: the handler panics ("not yet implemented") and the connection is closed.
            let failure = caught { () throws(KafkaClientError) in try admin.deleteRecords(before: [p0: 3]) }
            #expect(failure.map { if case .connection = $0 { true } else { false } } == true, "\(String(describing: failure))")
            return
        }
        let trimmed = try admin.deleteRecords(before: [p0: 3, p1: KafkaAdmin.highWatermark])
        #expect(trimmed.count == 2)
        #expect(try trimmed[p0]?.get() == 3)
        #expect(try trimmed[p1]?.get() == 4)
        let earliest = try admin.listOffsets([p0, p1], spec: .earliest)
        #expect(earliest[p0]?.offset == 3)
        #expect(earliest[p1]?.offset == 4)
        #expect(try admin.listOffsets([p0], spec: .latest)[p0]?.offset == 10, "the high watermark stays")

        // Deleting below the log start changes nothing; above the high watermark is refused for
        // that partition only.
        let again = try admin.deleteRecords(before: [p0: 1, p1: 99])
        #expect(try again[p0]?.get() == 3)
        guard case .failure(.broker(let code, let context))? = again[p1] else {
            Issue.record("an offset above the high watermark should fail, got \(String(describing: again[p1]))")
            return
        }
        #expect(code == .offsetOutOfRange)
        #expect(context.contains("delete records of \(p1) before offset 99"))
        #expect(try admin.listOffsets([p1], spec: .earliest)[p1]?.offset == 4)

        // Nothing is sent when a partition does not exist or an offset is malformed.
        #expect(caught { () throws(KafkaClientError) in try admin.deleteRecords(before: [TopicPartition(topic: topic, partition: 5): 1, p0: 5]) }
            == .unknownPartition(topic: topic, partition: 5))
        let missing = TestCluster.uniqueTopic("admin-trim-missing")
        #expect(caught { () throws(KafkaClientError) in try admin.deleteRecords(before: [TopicPartition(topic: missing, partition: 0): 1]) } == .unknownTopic(missing))
        #expect(caught { () throws(KafkaClientError) in try admin.deleteRecords(before: [p0: -2]) } != nil)
        #expect(try admin.listOffsets([p0], spec: .earliest)[p0]?.offset == 3)
        #expect(try admin.deleteRecords(before: [:]).isEmpty)
        try admin.deleteTopic(name: topic)
    }

    @Test(.enabled(if: TestCluster.advertises(.offsetDelete), "the broker does not advertise OffsetDelete (key 47)"))
    func deleteGroupOffsets() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let admin = KafkaAdmin(config: cluster.clientConfig("admin-cluster-test"))
        defer { admin.close() }
        let topic = TestCluster.uniqueTopic("admin-offset-delete")
        let group = TestCluster.uniqueTopic("admin-offset-delete-group")
        try admin.createTopic(name: topic, partitions: 2)
        let p0 = TopicPartition(topic: topic, partition: 0)
        let p1 = TopicPartition(topic: topic, partition: 1)
        try commitRaw(admin.cluster, group: group, offsets: [p0: 3, p1: 4])

        let deleted = try admin.deleteGroupOffsets(group: group, partitions: [p0])
        #expect(deleted.count == 1)
        #expect(deleted[p0] == .some(nil))
        #expect(try committed(admin, group: group, [p0, p1]) == [p1: 4])
        // A partition without a committed offset is simply not there any more.
        #expect(try admin.deleteGroupOffsets(group: group, partitions: [p0, p1]) == [p0: nil, p1: nil])
        #expect(try committed(admin, group: group, [p0, p1]).isEmpty)

        let unknown = TestCluster.uniqueTopic("admin-offset-delete-none")
        #expect(brokerCode { () throws(KafkaClientError) in try admin.deleteGroupOffsets(group: unknown, partitions: [p0]) } == .groupIdNotFound)
        #expect(caught { () throws(KafkaClientError) in try admin.deleteGroupOffsets(group: "", partitions: [p0]) } == .invalidArgument("the group id must not be empty"))
        #expect(try admin.deleteGroupOffsets(group: group, partitions: []).isEmpty)

        // A member consuming the topic: its offsets stay, with a reason the user can act on.
        try commitRaw(admin.cluster, group: group, offsets: [p0: 1])
        let member = KafkaCluster(config: cluster.clientConfig("admin-offset-delete-member"))
        defer { member.close() }
        _ = try joinAndSync(member, group: group, topic: topic, assigned: [0, 1])
        let refused = try admin.deleteGroupOffsets(group: group, partitions: [p0])
        guard case .broker(let code, let context)?? = refused[p0] else {
            Issue.record("deleting the offsets of a subscribed topic should fail, got \(String(describing: refused[p0]))")
            return
        }
        #expect(code == .groupSubscribedToTopic)
        #expect(context.contains("subscribed to topic \(topic)"))
        #expect(try committed(admin, group: group, [p0]) == [p0: 1])
    }

    @Test func describeTheCluster() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let admin = KafkaAdmin(config: cluster.clientConfig("admin-cluster-test"))
        defer { admin.close() }
        let description = try admin.describeCluster()
        #expect(description.source == (TestCluster.advertises(.describeCluster) ? .describeCluster : .metadata))
        #expect(description.clusterId?.isEmpty == false)
        #expect(!description.brokers.isEmpty)
        #expect(description.brokers == description.brokers.sorted { $0.nodeId < $1.nodeId })
        let bootstrap = try #require(cluster.bootstrap.first)
        #expect(description.brokers.contains { $0.port == Int32(bootstrap.port) }, "the broker we talk to is listed")
        #expect(description.controller != nil, "the controller \(description.controllerId) is one of the brokers")

        // The Metadata fallback describes the same cluster.
        let metadata = try admin.describeClusterFromMetadata(try admin.anyBroker())
        #expect(metadata.source == .metadata)
        #expect(metadata.clusterId == description.clusterId)
        #expect(metadata.brokers.map(\.nodeId) == description.brokers.map(\.nodeId))
        #expect(metadata.brokers.map(\.address) == description.brokers.map(\.address))
    }

    @Test(.enabled(if: TestCluster.advertises(.describeLogDirs), "the broker does not advertise DescribeLogDirs (key 35)"))
    func describeLogDirs() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let admin = KafkaAdmin(config: cluster.clientConfig("admin-cluster-test"))
        defer { admin.close() }
        let topic = TestCluster.uniqueTopic("admin-log-dirs")
        try admin.createTopic(name: topic, partitions: 2)
        try produce(admin.cluster, topic: topic, partition: 1, timestamps: Array(repeating: SystemTimeSource().wallMillis(), count: 5))

        let directories = try admin.describeLogDirs(topics: [topic])
        #expect(!directories.isEmpty)
        #expect(directories.allSatisfy { $0.errorCode == .none && $0.path.hasPrefix("/") })
        let replicas = directories.flatMap(\.replicas)
        #expect(replicas.map(\.partition).sorted() == [TopicPartition(topic: topic, partition: 0), TopicPartition(topic: topic, partition: 1)],
                "only the asked-for topic, one replica per partition on a one-replica topic")
        let sizes = Dictionary(uniqueKeysWithValues: replicas.map { ($0.partition.partition, $0.sizeBytes) })
        #expect(sizes[0] == 0)
        #expect((sizes[1] ?? 0) > 0, "the partition with records has bytes on disk")
        #expect(replicas.allSatisfy { $0.offsetLag == 0 && !$0.isFuture })

        let all = try admin.describeLogDirs()
        #expect(all.flatMap(\.replicas).filter { $0.partition.topic == topic }.count == 2)
        let missing = TestCluster.uniqueTopic("admin-log-dirs-missing")
        #expect(caught { () throws(KafkaClientError) in try admin.describeLogDirs(topics: [missing]) } == .unknownTopic(missing))
        try admin.deleteTopic(name: topic)
    }

    @Test func missingApisAreReportedAsUnsupported() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        var config = cluster.clientConfig("admin-cluster-test")
        config.retries = 0
        let admin = KafkaAdmin(config: config)
        defer { admin.close() }
        let topic = TestCluster.uniqueTopic("admin-unsupported")
        try admin.createTopic(name: topic, partitions: 1)
        defer { try? admin.deleteTopic(name: topic) }
        let partition = TopicPartition(topic: topic, partition: 0)
        let calls: [(ApiKey, () throws(KafkaClientError) -> Void)] = [
            (.createPartitions, { () throws(KafkaClientError) in try admin.createPartitions(topic: topic, totalCount: 2) }),
            (.deleteRecords, { () throws(KafkaClientError) in _ = try admin.deleteRecords(before: [partition: 0]) }),
            (.offsetDelete, { () throws(KafkaClientError) in _ = try admin.deleteGroupOffsets(group: "admin-unsupported", partitions: [partition]) }),
            (.describeLogDirs, { () throws(KafkaClientError) in _ = try admin.describeLogDirs() }),
            (.incrementalAlterConfigs, { () throws(KafkaClientError) in try admin.incrementalAlterConfigs(.topic(topic), [.set("retention.ms", "1")]) }),
            (.alterConfigs, { () throws(KafkaClientError) in try admin.alterConfigs(.topic(topic), ["retention.ms": "1"]) }),
        ]
        for (key, call) in calls where !TestCluster.advertises(key) {
            let failure = caught(call)
            guard case .unsupported(let reported, let reason)? = failure else {
                Issue.record("\(key) is not advertised, so the client should say it is unsupported; got \(String(describing: failure))")
                continue
            }
            #expect(reported == key)
            #expect(reason.contains("does not offer API key \(key.rawValue)"), "\(reason)")
        }
        #expect(calls.allSatisfy { ClientVersions.supported[$0.0] != nil }, "the client knows a version range of each")
    }
}
