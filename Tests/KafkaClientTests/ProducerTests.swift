import KafkaClient
import KafkaProtocol
import KafkaRecords
import Net
import SystemIO
import Synchronization
import Testing

/// `KafkaProducer` against a real broker (in-process kaffeed, or `KAFFEE_TEST_BROKERS`).
/// What was produced is read back with raw Fetch requests, so these tests do not depend on the
/// client's consumer.
@Suite struct ProducerTests {
    // MARK: partitioner

    /// Kafka's `UtilsTest.testMurmur2` vectors. kafka-python's `murmur2` returns the same hashes
    /// as unsigned 32-bit numbers (e.g. "21" → 3321034988 = -973932308 + 2^32), so its values
    /// equal `UInt32(bitPattern:)` of these.
    @Test func murmur2MatchesKafkaVectors() {
        let vectors: [([UInt8], Int32, UInt32)] = [
            (Array("21".utf8), -973_932_308, 3_321_034_988),
            (Array("foobar".utf8), -790_332_482, 3_504_634_814),
            (Array("a-little-bit-long-string".utf8), -985_981_536, 3_308_985_760),
            (Array("a-little-bit-longer-string".utf8), -1_486_304_829, 2_808_662_467),
            (Array("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8".utf8), -58_897_971, 4_236_069_325),
            ([97, 98, 99], 479_470_107, 479_470_107),
            ([], 275_646_681, 275_646_681),
        ]
        for (key, java, python) in vectors {
            #expect(Murmur2Partitioner.murmur2(key) == java, "murmur2(\(key))")
            #expect(UInt32(bitPattern: Murmur2Partitioner.murmur2(key)) == python)
        }
        // kafka-python: (murmur2(b"foobar") & 0x7fffffff) % 50 == 16
        #expect(Murmur2Partitioner.partition(for: Array("foobar".utf8), partitionCount: 50) == 16)
    }

    @Test func keyedRecordsLandOnMurmur2Partitions() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("producer-keys")
        try Self.createTopic(cluster, topic, partitions: 3)
        let producer = try KafkaProducer(config: cluster.clientConfig("producer-keys"))
        defer { producer.close() }

        let keys = (0..<30).map { Array("user-\($0)".utf8) }
        var expected: [Int32: Set<[UInt8]>] = [:]
        for key in keys {
            let metadata = try producer.send(ProducerRecord(topic: topic, key: key, value: [1]))
            let partition = Murmur2Partitioner.partition(for: key, partitionCount: 3)
            #expect(metadata.partition == partition)
            expected[partition, default: []].insert(key)
        }
        #expect(expected.count > 1, "30 keys should spread over more than one partition")
        for partition: Int32 in 0..<3 {
            let stored = try Self.readBack(cluster, topic, partition).flatMap(\.records)
            #expect(Set(stored.compactMap(\.key)) == expected[partition, default: []])
        }
    }

    @Test func unkeyedRecordsStickToOnePartitionPerBatch() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("producer-sticky")
        try Self.createTopic(cluster, topic, partitions: 3)
        var settings = ProducerConfig()
        settings.lingerMs = 10_000
        let producer = try KafkaProducer(config: cluster.clientConfig(), producerConfig: settings)
        defer { producer.close() }
        let reports = ReportCollector()
        for index in 0..<30 { producer.send(ProducerRecord(topic: topic, value: [UInt8(index)]), completion: reports.callback(index)) }
        try producer.flush(timeoutMs: 10_000)
        let metadata = try reports.successes(count: 30)
        #expect(Set(metadata.map(\.partition)).count == 1, "one open batch takes every unkeyed record")
        #expect(metadata.map(\.offset) == Array(0..<30))
    }

    // MARK: delivery

    @Test func deliveryReportsAndReadBack() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("producer-roundtrip")
        try Self.createTopic(cluster, topic, partitions: 3)
        let producer = try KafkaProducer(config: cluster.clientConfig("producer-roundtrip"))
        defer { producer.close() }

        var records = (0..<40).map { index in
            ProducerRecord(topic: topic, key: Array("k\(index % 7)".utf8), value: Array("value-\(index)".utf8),
                           headers: [RecordHeader(key: "index", value: Array("\(index)".utf8)), RecordHeader(key: "empty", value: nil)],
                           timestamp: 1_700_000_000_000 + Int64(index))
        }
        records.append(ProducerRecord(topic: topic, partition: 2, key: nil, value: nil, timestamp: 1_700_000_001_000))
        records.append(ProducerRecord(topic: topic, partition: 1, key: [], value: []))
        let reports = ReportCollector()
        for (index, record) in records.enumerated() { producer.send(record, completion: reports.callback(index)) }
        try producer.flush(timeoutMs: 10_000)
        let metadata = try reports.successes(count: records.count)

        // Per partition, offsets increase in send order, without gaps.
        for partition: Int32 in 0..<3 {
            let offsets = metadata.filter { $0.partition == partition }.map(\.offset)
            #expect(offsets == Array(0..<Int64(offsets.count)), "partition \(partition): \(offsets)")
        }
        let before = SystemTimeSource().wallMillis()
        #expect(metadata.last.map { $0.timestamp > 1_700_000_001_000 && $0.timestamp <= before } == true, "a nil timestamp means now")

        var stored: [Int32: [Int64: Record]] = [:]
        for partition: Int32 in 0..<3 {
            for record in try Self.readBack(cluster, topic, partition).flatMap(\.records) { stored[partition, default: [:]][record.offset] = record }
        }
        for (record, report) in zip(records, metadata) {
            #expect(report.topic == topic)
            let found = stored[report.partition]?[report.offset]
            #expect(found?.key == record.key)
            #expect(found?.value == record.value)
            #expect(found?.headers == record.headers)
            #expect(found?.timestamp == report.timestamp)
            if let timestamp = record.timestamp { #expect(report.timestamp == timestamp) }
        }
    }

    @Test func lingerBatchesManyRecordsPerRequest() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("producer-linger")
        try Self.createTopic(cluster, topic, partitions: 1)
        var settings = ProducerConfig()
        settings.lingerMs = 50
        let producer = try KafkaProducer(config: cluster.clientConfig(), producerConfig: settings)
        defer { producer.close() }
        let reports = ReportCollector()
        for index in 0..<100 {
            producer.send(ProducerRecord(topic: topic, partition: 0, value: Array("small-\(index)".utf8)), completion: reports.callback(index))
        }
        try producer.flush(timeoutMs: 10_000)
        #expect(try reports.successes(count: 100).map(\.offset) == Array(0..<100))
        let batches = try Self.readBack(cluster, topic, 0)
        #expect(batches.map(\.records.count).reduce(0, +) == 100)
        #expect(batches.count <= 5, "100 records in \(batches.count) batches: \(batches.map(\.records.count))")
    }

    @Test func batchSizeLimitsBatches() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("producer-batchsize")
        try Self.createTopic(cluster, topic, partitions: 1)
        var settings = ProducerConfig()
        settings.lingerMs = 10_000
        settings.batchSize = 1_000
        let producer = try KafkaProducer(config: cluster.clientConfig(), producerConfig: settings)
        defer { producer.close() }
        let reports = ReportCollector()
        for index in 0..<50 {
            producer.send(ProducerRecord(topic: topic, partition: 0, value: [UInt8](repeating: UInt8(index), count: 100)), completion: reports.callback(index))
        }
        // Full batches go out without waiting for the 10 s linger; only the last one needs the flush.
        try producer.flush(timeoutMs: 10_000)
        _ = try reports.successes(count: 50)
        let batches = try Self.readBack(cluster, topic, 0)
        #expect(batches.count >= 5)
        #expect(batches.allSatisfy { $0.header.totalSize <= 1_000 }, "\(batches.map(\.header.totalSize))")
        #expect(batches.flatMap(\.records).map(\.offset) == Array(0..<50))
    }

    @Test(arguments: [ProducerConfig.Acks.none, .leader, .all])
    func everyAcksLevelDelivers(acks: ProducerConfig.Acks) throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("producer-acks")
        try Self.createTopic(cluster, topic, partitions: 1)
        var settings = ProducerConfig()
        settings.acks = acks
        let producer = try KafkaProducer(config: cluster.clientConfig(), producerConfig: settings)
        defer { producer.close() }
        let reports = ReportCollector()
        for index in 0..<10 { producer.send(ProducerRecord(topic: topic, partition: 0, value: [UInt8(index)]), completion: reports.callback(index)) }
        try producer.flush(timeoutMs: 10_000)
        let offsets = try reports.successes(count: 10).map(\.offset)
        #expect(offsets == (acks == .none ? Array(repeating: -1, count: 10) : Array(0..<10)))
        let batches = try Self.readBack(cluster, topic, 0, expecting: 10)
        #expect(batches.flatMap(\.records).map(\.value) == (0..<10).map { [UInt8($0)] })
        // Idempotence needs acks all; otherwise batches carry no producer id.
        #expect(batches.allSatisfy { ($0.header.producerId >= 0) == (acks == .all) })
    }

    @Test func idempotentBatchesCarryProducerIdAndGaplessSequences() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("producer-idempotent")
        try Self.createTopic(cluster, topic, partitions: 2)
        let producer = try KafkaProducer(config: cluster.clientConfig())
        defer { producer.close() }
        #expect(producer.producerConfig.isIdempotent)
        let reports = ReportCollector()
        var index = 0
        for round in 1...4 {
            for _ in 0..<round {
                for partition: Int32 in 0..<2 {
                    producer.send(ProducerRecord(topic: topic, partition: partition, value: [UInt8(index)]), completion: reports.callback(index))
                    index += 1
                }
            }
            try producer.flush(timeoutMs: 10_000)
        }
        _ = try reports.successes(count: index)
        var producerIds: Set<Int64> = []
        for partition: Int32 in 0..<2 {
            let batches = try Self.readBack(cluster, topic, partition)
            #expect(batches.count >= 4)
            var next: Int32 = 0
            for batch in batches {
                producerIds.insert(batch.header.producerId)
                #expect(batch.header.producerEpoch >= 0)
                #expect(batch.header.baseSequence == next, "partition \(partition) batch at \(batch.header.baseOffset)")
                next = batch.header.baseSequence + batch.header.recordCount
            }
            #expect(next == 10)
        }
        #expect(producerIds.count == 1)
        #expect(producerIds.allSatisfy { $0 >= 0 })
    }

    @Test func manyThreadsSendConcurrently() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("producer-threads")
        try Self.createTopic(cluster, topic, partitions: 3)
        let producer = try KafkaProducer(config: cluster.clientConfig())
        defer { producer.close() }
        let reports = ReportCollector()
        let threads = 4, perThread = 250
        let done = Countdown(threads)
        for thread in 0..<threads {
            try SystemThread.spawn(name: "producer-test-\(thread)") {
                for item in 0..<perThread {
                    let index = thread * perThread + item
                    producer.send(ProducerRecord(topic: topic, key: Array("t\(thread)".utf8), value: Array("\(index)".utf8)), completion: reports.callback(index))
                }
                done.arrive()
            }
        }
        #expect(done.wait(timeoutMs: 30_000))
        try producer.flush(timeoutMs: 30_000)
        let metadata = try reports.successes(count: threads * perThread)
        // Each thread used one key, so its records share a partition, in send order.
        for thread in 0..<threads {
            let mine = metadata[(thread * perThread)..<((thread + 1) * perThread)]
            #expect(Set(mine.map(\.partition)).count == 1)
            #expect(zip(mine, mine.dropFirst()).allSatisfy { $0.offset < $1.offset })
        }
        var total = 0
        for partition: Int32 in 0..<3 {
            let stored = try Self.readBack(cluster, topic, partition).flatMap(\.records)
            #expect(Set(stored.map(\.offset)).count == stored.count)
            total += stored.count
        }
        #expect(total == threads * perThread)
    }

    @Test func closeDeliversBufferedRecordsThenRejectsSends() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("producer-close")
        try Self.createTopic(cluster, topic, partitions: 1)
        var settings = ProducerConfig()
        settings.lingerMs = 60_000
        let producer = try KafkaProducer(config: cluster.clientConfig(), producerConfig: settings)
        let reports = ReportCollector()
        for index in 0..<20 { producer.send(ProducerRecord(topic: topic, value: [UInt8(index)]), completion: reports.callback(index)) }
        producer.close()
        #expect(try reports.successes(count: 20).count == 20)
        #expect(throws: KafkaClientError.closed) { try producer.send(ProducerRecord(topic: topic, value: [1])) }
        producer.close()
    }

    @Test func blockingCallsFromACallbackFailInsteadOfDeadlocking() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("producer-reentrant")
        try Self.createTopic(cluster, topic, partitions: 1)
        let producer = try KafkaProducer(config: cluster.clientConfig())
        defer { producer.close() }
        let inner = ErrorList()
        let waiter = Countdown(1)
        producer.send(ProducerRecord(topic: topic, value: [1])) { _ in
            do throws(KafkaClientError) { _ = try producer.send(ProducerRecord(topic: topic, value: [2])) } catch { inner.append(error) }
            do throws(KafkaClientError) { try producer.flush(timeoutMs: 1_000) } catch { inner.append(error) }
            waiter.arrive()
        }
        #expect(waiter.wait(timeoutMs: 10_000))
        let errors = inner.all
        #expect(errors.count == 2)
        #expect(errors.allSatisfy { if case .invalidArgument = $0 { true } else { false } })
    }

    // MARK: errors

    @Test func unreachableBootstrapFailsPromptly() throws {
        let listener = try TCPListener.listen(on: HostPort(host: "127.0.0.1", port: 0))
        let port = listener.port
        listener.close()
        var config = ClientConfig(bootstrapServers: [HostPort(host: "127.0.0.1", port: port)])
        config.retries = 2
        config.retryBackoffMs = 50
        config.maxRetryBackoffMs = 100
        let producer = try KafkaProducer(config: config)
        defer { producer.close() }
        let clock = SystemTimeSource()
        let start = clock.monotonicNanos()
        let error = #expect(throws: KafkaClientError.self) { try producer.send(ProducerRecord(topic: "unreachable", value: [1])) }
        #expect(error.map { if case .notReachable = $0 { true } else { false } } == true, "\(String(describing: error))")
        #expect(clock.monotonicNanos() - start < 5_000_000_000)
    }

    @Test func deliveryTimeoutBoundsRetries() throws {
        let listener = try TCPListener.listen(on: HostPort(host: "127.0.0.1", port: 0))
        let port = listener.port
        listener.close()
        var config = ClientConfig(bootstrapServers: [HostPort(host: "127.0.0.1", port: port)])
        config.retries = Int.max
        config.retryBackoffMs = 20
        config.maxRetryBackoffMs = 50
        var settings = ProducerConfig()
        settings.deliveryTimeoutMs = 500
        let producer = try KafkaProducer(config: config, producerConfig: settings)
        defer { producer.close() }
        let clock = SystemTimeSource()
        let start = clock.monotonicNanos()
        let error = #expect(throws: KafkaClientError.self) { try producer.send(ProducerRecord(topic: "unreachable", value: [1])) }
        #expect(error.map { if case .notReachable = $0 { true } else { false } } == true, "\(String(describing: error))")
        let elapsed = clock.monotonicNanos() - start
        #expect(elapsed >= 400_000_000 && elapsed < 5_000_000_000, "\(elapsed / 1_000_000) ms")
    }

    @Test func recordLargerThanTopicLimitFailsWithMessageTooLarge() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("producer-too-large")
        try Self.createTopic(cluster, topic, partitions: 1, configs: ["max.message.bytes": "2000"])
        let producer = try KafkaProducer(config: cluster.clientConfig())
        defer { producer.close() }

        #expect(try producer.send(ProducerRecord(topic: topic, partition: 0, value: [1])).offset == 0)
        if TestCluster.kind == "tansu" {
            // Tansu 0.6 does not enforce the topic config max.message.bytes: it stores the config
            // but appends the 5000-byte batch (no MESSAGE_TOO_LARGE).
            #expect(try producer.send(ProducerRecord(topic: topic, partition: 0, value: [UInt8](repeating: 7, count: 5_000))).offset == 1)
            #expect(try producer.send(ProducerRecord(topic: topic, partition: 0, value: [2])).offset == 2)
            #expect(try Self.readBack(cluster, topic, 0).map(\.header.baseSequence) == [0, 1, 2])
        } else {
            try Self.expectMessageTooLarge(cluster, producer, topic)
        }

        // Larger than maxRequestSize: refused before it is queued.
        var settings = ProducerConfig()
        settings.maxRequestSize = 1_000
        let small = try KafkaProducer(config: cluster.clientConfig(), producerConfig: settings)
        defer { small.close() }
        let tooLarge = #expect(throws: KafkaClientError.self) { try small.send(ProducerRecord(topic: topic, value: [UInt8](repeating: 1, count: 2_000))) }
        #expect(tooLarge.map { if case .invalidArgument(let reason) = $0 { reason.contains("maxRequestSize") } else { false } } == true)
    }

    /// The broker half of `recordLargerThanTopicLimitFailsWithMessageTooLarge` (after one
    /// 1-byte record at offset 0): a 5000-byte record fails, the next small one gets offset 1.
    static func expectMessageTooLarge(_ cluster: TestCluster, _ producer: KafkaProducer, _ topic: String) throws {
        do throws(KafkaClientError) {
            _ = try producer.send(ProducerRecord(topic: topic, partition: 0, value: [UInt8](repeating: 7, count: 5_000)))
            Issue.record("a 5000-byte record was accepted by a topic with max.message.bytes 2000")
        } catch {
            guard case .broker(let code, let context) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(code == .messageTooLarge)
            #expect(context.contains("\(topic)-0"))
            #expect(error.description.contains("messageTooLarge(10)"))
        }
        // The rejected batch gave its sequence back: the next one follows without a gap.
        #expect(try producer.send(ProducerRecord(topic: topic, partition: 0, value: [2])).offset == 1)
        let batches = try Self.readBack(cluster, topic, 0)
        #expect(batches.map(\.header.baseSequence) == [0, 1])
    }

    @Test func invalidTopicsAndPartitionsFailClearly() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let producer = try KafkaProducer(config: cluster.clientConfig())
        defer { producer.close() }
        for name in ["bad topic!", "", "..", String(repeating: "x", count: 250), "sl/ash"] {
            let error = #expect(throws: KafkaClientError.self) { try producer.send(ProducerRecord(topic: name, value: [1])) }
            #expect(error.map { if case .invalidArgument(let reason) = $0 { reason.contains("invalid topic name") } else { false } } == true)
        }
        let topic = TestCluster.uniqueTopic("producer-partitions")
        try Self.createTopic(cluster, topic, partitions: 2)
        #expect(throws: KafkaClientError.unknownPartition(topic: topic, partition: 5)) {
            try producer.send(ProducerRecord(topic: topic, partition: 5, value: [1]))
        }
        let negative = #expect(throws: KafkaClientError.self) { try producer.send(ProducerRecord(topic: topic, partition: -1, value: [1])) }
        #expect(negative.map { if case .invalidArgument = $0 { true } else { false } } == true)
        // Still usable afterwards.
        #expect(try producer.send(ProducerRecord(topic: topic, partition: 1, value: [1])).partition == 1)
    }

    @Test func autoCreatedTopicReceivesRecords() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("producer-autocreate")
        let producer = try KafkaProducer(config: cluster.clientConfig())
        defer { producer.close() }
        let metadata: RecordMetadata
        do throws(KafkaClientError) {
            metadata = try producer.send(ProducerRecord(topic: topic, key: [1, 2, 3], value: [4]))
        } catch {
            // An external broker may have auto-creation disabled: then the topic stays unknown.
            #expect(cluster.isExternal && error == .unknownTopic(topic), "\(error)")
            return
        }
        #expect(metadata.topic == topic)
        #expect(metadata.offset == 0)
        let stored = try Self.readBack(cluster, topic, metadata.partition).flatMap(\.records)
        #expect(stored.map(\.value) == [[4]])
    }

    @Test func hugeTimeoutsDoNotOverflow() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("producer-huge-timeouts")
        try Self.createTopic(cluster, topic, partitions: 1)
        var config = cluster.clientConfig()
        config.retries = Int.max
        config.retryBackoffMs = Int.max
        config.maxRetryBackoffMs = Int.max
        var settings = ProducerConfig()
        settings.lingerMs = Int.max
        settings.deliveryTimeoutMs = Int.max
        settings.batchSize = Int.max
        settings.maxRequestSize = Int.max
        let producer = try KafkaProducer(config: config, producerConfig: settings)
        #expect(try producer.send(ProducerRecord(topic: topic, value: [1])).offset == 0)
        let reports = ReportCollector()
        producer.send(ProducerRecord(topic: topic, value: [2]), completion: reports.callback(0))
        try producer.flush(timeoutMs: Int.max)
        #expect(try reports.successes(count: 1).map(\.offset) == [1])
        producer.close()
    }

    @Test func configValidation() throws {
        var settings = ProducerConfig()
        settings.batchSize = 0
        #expect(throws: KafkaClientError.self) { try KafkaProducer(config: ClientConfig(bootstrapServers: [HostPort(host: "127.0.0.1", port: 9)]), producerConfig: settings) }
        #expect(throws: KafkaClientError.self) { try KafkaProducer(config: ClientConfig(bootstrapServers: [])) }
        var leader = ProducerConfig()
        leader.acks = .leader
        #expect(!leader.isIdempotent)
        #expect(ProducerConfig().isIdempotent)
        #expect(ProducerConfig().acks == .all)

        // In flight: 1...5 when idempotent (the broker remembers five batches per producer).
        #expect(ProducerConfig().maxInFlightRequestsPerConnection == 5)
        let brokers = ClientConfig(bootstrapServers: [HostPort(host: "127.0.0.1", port: 9)])
        for (inFlight, idempotent, valid) in [(0, true, false), (6, true, false), (1, true, true), (5, true, true),
                                              (0, false, false), (6, false, true), (50, false, true)] {
            var config = ProducerConfig()
            config.enableIdempotence = idempotent
            config.maxInFlightRequestsPerConnection = inFlight
            if valid {
                #expect(throws: Never.self, "\(inFlight) idempotent \(idempotent)") { try config.validate() }
            } else {
                let error = #expect(throws: KafkaClientError.self) { try KafkaProducer(config: brokers, producerConfig: config) }
                #expect(error.map { if case .invalidArgument(let reason) = $0 { reason.contains("maxInFlightRequestsPerConnection") } else { false } } == true)
            }
        }
        var leaderAcks = ProducerConfig()
        leaderAcks.acks = .leader
        leaderAcks.maxInFlightRequestsPerConnection = 10
        #expect(throws: Never.self) { try leaderAcks.validate() }
    }

    // MARK: retries and idempotence (through a fault-injecting proxy)

    @Test func batchWhoseAnswerWasLostIsDeduplicatedOnRetry() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("producer-lost-answer")
        try Self.createTopic(cluster, topic, partitions: 1)
        let proxy = try FaultyProxy(upstream: cluster.bootstrap[0])
        defer { proxy.stop() }
        proxy.inject([.dropAfterForwarding, .dropAfterForwarding])
        let producer = try KafkaProducer(config: proxy.clientConfig(), producerConfig: ProducerConfig())
        defer { producer.close() }

        let reports = ReportCollector()
        for index in 0..<5 { producer.send(ProducerRecord(topic: topic, partition: 0, value: [UInt8(index)]), completion: reports.callback(index)) }
        try producer.flush(timeoutMs: 10_000)
        let offsets = try reports.successes(count: 5).map(\.offset)
        if TestCluster.kind == "tansu" {
            // Tansu 0.6 keeps no metadata of appended batches to answer a retried duplicate with
            // its original offset: it answers DUPLICATE_SEQUENCE_NUMBER with base offset -1, which
            // the producer (like Kafka's) counts as delivered at an unknown offset.
            #expect(offsets == Array(repeating: -1, count: 5))
        } else {
            #expect(offsets == Array(0..<5))
        }
        #expect(proxy.produceRequests == 3, "two lost answers, then the duplicate is acknowledged")
        #expect(try producer.send(ProducerRecord(topic: topic, partition: 0, value: [5])).offset == 5)

        // The broker stored the retried batch once.
        let batches = try Self.readBack(cluster, topic, 0)
        #expect(batches.flatMap(\.records).map(\.value) == (0..<6).map { [UInt8($0)] })
        #expect(batches.map(\.header.baseSequence) == [0, 5])
        #expect(Set(batches.map(\.header.producerId)).count == 1)
    }

    @Test func requestLostBeforeTheBrokerIsRetried() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("producer-lost-request")
        try Self.createTopic(cluster, topic, partitions: 1)
        let proxy = try FaultyProxy(upstream: cluster.bootstrap[0])
        defer { proxy.stop() }
        proxy.inject([.dropBeforeForwarding, .answer(.notLeaderOrFollower, delayMs: 0), .answer(.kafkaStorageError, delayMs: 0)])
        let producer = try KafkaProducer(config: proxy.clientConfig())
        defer { producer.close() }
        #expect(try producer.send(ProducerRecord(topic: topic, partition: 0, value: [1])).offset == 0)
        #expect(proxy.produceRequests == 4)
        let batches = try Self.readBack(cluster, topic, 0)
        #expect(batches.map(\.header.baseSequence) == [0])
    }

    @Test func retriesAreLimitedByClientConfig() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("producer-retry-limit")
        try Self.createTopic(cluster, topic, partitions: 1)
        let proxy = try FaultyProxy(upstream: cluster.bootstrap[0])
        defer { proxy.stop() }
        proxy.inject(Array(repeating: .answer(.kafkaStorageError, delayMs: 0), count: 10))
        var config = proxy.clientConfig()
        config.retries = 2
        let producer = try KafkaProducer(config: config)
        defer { producer.close() }
        #expect(throws: KafkaClientError.self) { try producer.send(ProducerRecord(topic: topic, partition: 0, value: [1])) }
        #expect(proxy.produceRequests == 3, "one attempt and two retries")
        // The failed batch was definitely rejected, so its sequence is reused without a gap.
        proxy.inject([])
        #expect(try producer.send(ProducerRecord(topic: topic, partition: 0, value: [2])).offset == 0)
        #expect(try Self.readBack(cluster, topic, 0).map(\.header.baseSequence) == [0])
    }

    @Test func sequenceErrorFailsTheLaterBatchesOfThePartitionThenRecovers() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("producer-out-of-order")
        try Self.createTopic(cluster, topic, partitions: 1)
        let proxy = try FaultyProxy(upstream: cluster.bootstrap[0])
        defer { proxy.stop() }
        proxy.inject([.answer(.outOfOrderSequenceNumber, delayMs: 300)])
        var settings = ProducerConfig()
        settings.lingerMs = 0
        // One request in flight, so the later records wait in the queue (the pipelined case is
        // `sequenceErrorFailsPipelinedBatchesOnceThenRecovers`).
        settings.maxInFlightRequestsPerConnection = 1
        let producer = try KafkaProducer(config: proxy.clientConfig(), producerConfig: settings)
        defer { producer.close() }

        let reports = ReportCollector()
        producer.send(ProducerRecord(topic: topic, partition: 0, value: [0]), completion: reports.callback(0))
        #expect(proxy.waitForProduceRequests(1, timeoutMs: 10_000))
        // The first batch is in flight (its answer is held back): these queue behind it.
        producer.send(ProducerRecord(topic: topic, partition: 0, value: [1]), completion: reports.callback(1))
        producer.send(ProducerRecord(topic: topic, partition: 0, value: [2]), completion: reports.callback(2))
        try producer.flush(timeoutMs: 10_000)
        for index in 0..<3 {
            let result = try #require(reports.result(index))
            guard case .failure(.broker(let code, _)) = result else {
                Issue.record("record \(index): \(result)")
                continue
            }
            #expect(code == .outOfOrderSequenceNumber)
        }
        // A new producer id, sequences from 0: the partition works again.
        #expect(try producer.send(ProducerRecord(topic: topic, partition: 0, value: [3])).offset == 0)
        let batches = try Self.readBack(cluster, topic, 0)
        #expect(batches.map(\.header.baseSequence) == [0])
        #expect(batches.flatMap(\.records).map(\.value) == [[3]])
    }

    @Test func deliveryTimeoutFailsWithTheLastError() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("producer-timeout")
        try Self.createTopic(cluster, topic, partitions: 1)
        let proxy = try FaultyProxy(upstream: cluster.bootstrap[0])
        defer { proxy.stop() }
        proxy.inject(Array(repeating: .answer(.notLeaderOrFollower, delayMs: 0), count: 1_000))
        var config = proxy.clientConfig()
        config.retries = Int.max
        config.retryBackoffMs = 20
        config.maxRetryBackoffMs = 40
        var settings = ProducerConfig()
        settings.deliveryTimeoutMs = 400
        let producer = try KafkaProducer(config: config, producerConfig: settings)
        defer { producer.close() }
        let error = #expect(throws: KafkaClientError.self) { try producer.send(ProducerRecord(topic: topic, partition: 0, value: [1])) }
        #expect(error.map { if case .broker(.notLeaderOrFollower, let context) = $0 { context.contains("\(topic)-0") } else { false } } == true,
                "\(String(describing: error))")
        #expect(proxy.produceRequests > 3)
    }

    // MARK: helpers

    /// One stored batch and its records.
    struct StoredBatch {
        let header: RecordBatchHeader
        let records: [Record]
    }

    /// Creates `topic` with raw CreateTopics at the controller.
    static func createTopic(_ cluster: TestCluster, _ topic: String, partitions: Int32, configs: [String: String] = [:]) throws {
        let client = KafkaCluster(config: cluster.clientConfig("producer-test-admin"))
        defer { client.close() }
        try client.refreshMetadata(topics: [])
        let controller = try client.connection(node: client.controllerId, purpose: "admin")
        let request = CreateTopicsRequest(topics: [
            CreateTopicsRequest.CreatableTopic(name: topic, numPartitions: partitions, replicationFactor: -1,
                                               configs: configs.map { CreateTopicsRequest.CreatableTopicConfig(name: $0.key, value: $0.value) }),
        ], timeoutMs: 10_000)
        let response = try controller.send(request).0
        let result = try #require(response.topics.first)
        try #require(result.errorCode == .none, "CreateTopics \(topic): \(result.errorCode) \(result.errorMessage ?? "")")
        // Wait until the topic's leaders are known (external clusters create asynchronously).
        for _ in 0..<50 {
            if let info = try? client.topic(topic, refresh: true), info.partitionCount == partitions, info.leaders.allSatisfy({ $0 >= 0 }) { return }
            let pause = ConditionSignal()
            pause.wait(after: pause.generation, timeoutNanos: 100_000_000)
        }
    }

    /// Every batch of a partition, read with raw Fetch requests from offset 0 to the high
    /// watermark (waiting up to 10 s for `expecting` records when given).
    static func readBack(_ cluster: TestCluster, _ topic: String, _ partition: Int32, expecting: Int? = nil) throws -> [StoredBatch] {
        let client = KafkaCluster(config: cluster.clientConfig("producer-test-reader"))
        defer { client.close() }
        let connection = try client.leader(topic: topic, partition: partition, purpose: "fetch")
        var batches: [StoredBatch] = []
        var offset: Int64 = 0
        var rounds = 0
        while rounds < 200 {
            rounds += 1
            // Not max_wait_ms 0: Tansu 0.6 answers such a Fetch with no topics at all (an empty
            // `responses` array). With min_bytes 0, brokers answer at once when there is data.
            let request = FetchRequest(maxWaitMs: expecting == nil ? 10 : 100, minBytes: 0, maxBytes: 8 << 20, topics: [
                FetchRequest.FetchTopic(topic: topic, partitions: [FetchRequest.FetchPartition(partition: partition, fetchOffset: offset, partitionMaxBytes: 8 << 20)]),
            ])
            let response = try connection.send(request).0
            let data = try #require(response.responses.first?.partitions.first)
            try #require(data.errorCode == .none, "fetch \(topic)-\(partition): \(data.errorCode)")
            let bytes = data.records?.bytes ?? []
            for (header, range) in try RecordBatchIterator.batches(in: bytes, verifyCRC: true) {
                let end = header.baseOffset + Int64(header.lastOffsetDelta) + 1
                guard end > offset else { continue }
                batches.append(StoredBatch(header: header, records: try RecordBatchRecords.decode(bytes, at: range.lowerBound)))
                offset = end
            }
            let count = batches.map(\.records.count).reduce(0, +)
            if offset >= data.highWatermark && (expecting.map { count >= $0 } ?? true) { break }
            if offset >= data.highWatermark {
                let pause = ConditionSignal()
                pause.wait(after: pause.generation, timeoutNanos: 50_000_000)
            }
        }
        return batches
    }
}
