import KafkaClient
import KafkaProtocol
import KafkaRecords
import SystemIO
import Testing

// TEMPORARY probe (to be deleted).
@Suite(.serialized) struct ZTansuProbe {
    static let on = Environment.get("PROBE") != nil
    static func want(_ n: String) -> Bool { Environment.get("PROBE")!.split(separator: ",").contains(Substring(n)) || Environment.get("PROBE") == "all" }

    func rawProduce(_ cluster: KafkaCluster, _ topic: String, _ partition: Int32, _ timestamps: [Int64]) throws {
        var builder = RecordBatchBuilder()
        for (i, t) in timestamps.enumerated() { builder.append(RecordInput(key: nil, value: Array("v\(i)".utf8), timestamp: t)) }
        let request = ProduceRequest(acks: -1, timeoutMs: 5_000, topicData: [.init(name: topic, partitionData: [.init(index: partition, records: .inline(builder.build()))])])
        let r = try cluster.leader(topic: topic, partition: partition, purpose: "p").send(request).0
        print("PRODUCE", r.responses.first?.partitionResponses.first as Any)
    }

    @Test(.enabled(if: on)) func offsets() throws {
        guard Self.want("offsets") else { return }
        let cluster = try TestCluster()
        let admin = KafkaAdmin(config: cluster.clientConfig("probe"))
        defer { admin.close() }
        let topic = TestCluster.uniqueTopic("probe-off")
        try admin.createTopic(name: topic, partitions: 2)
        let base = SystemTimeSource().wallMillis() - 60_000
        try rawProduce(admin.cluster, topic, 0, [base, base + 1000, base + 2000])
        try rawProduce(admin.cluster, topic, 0, [base + 3000, base + 4000])
        let p0 = TopicPartition(topic: topic, partition: 0), p1 = TopicPartition(topic: topic, partition: 1)
        for spec: OffsetSpec in [.earliest, .latest, .timestamp(base - 1), .timestamp(base + 1500), .timestamp(base + 10_000), .timestamp(base + 3_600_000), .maxTimestamp] {
            do { print("LISTOFFSETS", spec, try admin.listOffsets([p0, p1], spec: spec)) } catch { print("LISTOFFSETS", spec, "ERROR", error) }
        }
        let c = KafkaCluster(config: cluster.clientConfig("probe-f"))
        defer { c.close() }
        for off: Int64 in [0, 3, 4, 5, 100] {
            let request = FetchRequest(maxWaitMs: 50, minBytes: 0, maxBytes: 1 << 20, topics: [.init(topic: topic, partitions: [.init(partition: 0, fetchOffset: off, partitionMaxBytes: 1 << 20)])])
            let r = try c.leader(topic: topic, partition: 0, purpose: "f").send(request).0
            let d = r.responses.first?.partitions.first
            var batches: [(Int64, Int32)] = []
            if let bytes = d?.records?.bytes { for (h, _) in try RecordBatchIterator.batches(in: bytes, verifyCRC: true) { batches.append((h.baseOffset, h.lastOffsetDelta)) } }
            print("FETCH at", off, "err", d?.errorCode as Any, "hw", d?.highWatermark as Any, "lso", d?.logStartOffset as Any, "batches", batches)
        }
    }

    @Test(.enabled(if: on)) func createErrors() throws {
        guard Self.want("create") else { return }
        let cluster = try TestCluster()
        let admin = KafkaAdmin(config: cluster.clientConfig("probe"))
        defer { admin.close() }
        func attempt(_ what: String, _ body: () throws(KafkaClientError) -> Void) {
            do throws(KafkaClientError) { try body(); print("CREATE", what, "-> OK") } catch { print("CREATE", what, "->", error) }
        }
        let t1 = TestCluster.uniqueTopic("probe-bad"), t2 = TestCluster.uniqueTopic("probe-bad"), t3 = TestCluster.uniqueTopic("probe-bad"), t4 = TestCluster.uniqueTopic("probe-bad")
        attempt("bad name!") { () throws(KafkaClientError) in try admin.createTopic(name: "bad name!", partitions: 1) }
        attempt("partitions 0") { () throws(KafkaClientError) in try admin.createTopic(name: t1, partitions: 0) }
        attempt("no.such.config") { () throws(KafkaClientError) in try admin.createTopic(name: t2, partitions: 1, configs: ["no.such.config": "1"]) }
        attempt("rf 3") { () throws(KafkaClientError) in try admin.createTopic(name: t3, partitions: 1, replicationFactor: 3) }
        attempt("defaults -1 -1") { () throws(KafkaClientError) in try admin.createTopic(name: t4, partitions: -1, replicationFactor: -1) }
        print("BROKERS", admin.cluster.brokers)
        for t in ["bad name!", t1, t2, t3, t4] {
            do { let d = try admin.describeTopic(name: t); print("DESCRIBE", t, d.partitions.count, d.configs) } catch { print("DESCRIBE", t, error) }
        }
        let t5 = TestCluster.uniqueTopic("probe-cfg")
        try admin.createTopic(name: t5, partitions: 2, configs: ["retention.ms": "3600000"])
        let d = try admin.describeTopic(name: t5)
        print("CONFIGS", d.configs)
        print("ID", d.hasId, d.idHex)
        try admin.deleteTopic(name: t5)
        print("LIST after delete contains", try admin.listTopics().contains(t5))
        do { print("DESCRIBE after delete", try admin.describeTopic(name: t5)) } catch { print("DESCRIBE after delete", error) }
        do { try admin.deleteTopic(name: t5); print("DELETE again OK") } catch { print("DELETE again", error) }
        try admin.createTopic(name: t5, partitions: 1)
        let r = try admin.describeTopic(name: t5)
        print("RECREATED", r.partitions.count, r.idHex, r.configs)
    }

    @Test(.enabled(if: on)) func groups() throws {
        guard Self.want("groups") else { return }
        let cluster = try TestCluster()
        let admin = KafkaAdmin(config: cluster.clientConfig("probe"))
        defer { admin.close() }
        let topic = TestCluster.uniqueTopic("probe-g"), group = TestCluster.uniqueTopic("probe-group")
        try admin.createTopic(name: topic, partitions: 2)
        let now = SystemTimeSource().wallMillis()
        try rawProduce(admin.cluster, topic, 0, Array(repeating: now, count: 10))
        let p0 = TopicPartition(topic: topic, partition: 0), p1 = TopicPartition(topic: topic, partition: 1)
        let request = OffsetCommitRequest(groupId: group, generationIdOrMemberEpoch: -1, memberId: "", topics: [.init(name: topic, partitions: [.init(partitionIndex: 0, committedOffset: 3), .init(partitionIndex: 1, committedOffset: 4)])])
        let resp = try admin.cluster.coordinator(group: group, purpose: "c").send(request).0
        print("COMMIT", resp)
        func show(_ what: String, _ body: () throws(KafkaClientError) -> Any) {
            do throws(KafkaClientError) { print(what, try body()) } catch { print(what, "ERROR", error) }
        }
        show("LISTGROUPS") { () throws(KafkaClientError) in try admin.listGroups().filter { $0.groupId == group } }
        show("COMMITTED") { () throws(KafkaClientError) in try admin.committedOffsets(group: group) }
        show("DESCRIBE") { () throws(KafkaClientError) in try admin.describeGroup(group) }
        show("LAG") { () throws(KafkaClientError) in try admin.lag(group: group) }
        show("RESET") { () throws(KafkaClientError) in try admin.resetOffsets(group: group, to: [p0: 0, p1: 1]) }
        show("COMMITTED") { () throws(KafkaClientError) in try admin.committedOffsets(group: group) }
        show("RESET missing partition") { () throws(KafkaClientError) in try admin.resetOffsets(group: group, to: [TopicPartition(topic: topic, partition: 5): 0]) }
        show("DELETE") { () throws(KafkaClientError) in try admin.deleteGroups([group]) }
        show("LISTGROUPS") { () throws(KafkaClientError) in try admin.listGroups().filter { $0.groupId == group } }
        show("COMMITTED") { () throws(KafkaClientError) in try admin.committedOffsets(group: group) }
        show("DESCRIBE") { () throws(KafkaClientError) in try admin.describeGroup(group) }
        show("DELETE again") { () throws(KafkaClientError) in try admin.deleteGroups([group]) }
        show("COMMITTED unknown group") { () throws(KafkaClientError) in try admin.committedOffsets(group: TestCluster.uniqueTopic("never")) }
        show("DESCRIBE unknown group") { () throws(KafkaClientError) in try admin.describeGroup(TestCluster.uniqueTopic("never")) }
        _ = p1
    }
}
