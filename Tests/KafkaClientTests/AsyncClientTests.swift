@testable import KafkaClient
import Net
import SystemIO
import Synchronization
import Testing

/// The async API (producer `send`/`flush`, consumer and share-consumer record sequences, admin
/// calls) against an in-process kaffeed. Serialized: the poll-thread gauge is process-wide.
@Suite(.serialized) struct AsyncClientTests {
    static let live = TestCluster.kind == "kaffeed"

    @Test func sendAwaitsOneRecordAndABatchOfAHundredInOrder() async throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("async-send")
        let admin = KafkaAdmin(config: cluster.clientConfig("async-admin"))
        defer { admin.close() }
        try await admin.createTopic(name: topic, partitions: 1)
        #expect(try await admin.listTopics().contains(topic))
        #expect(try await admin.describeTopic(name: topic).partitions.count == 1)
        let configs = try await admin.describeConfigs(.topic(topic))
        // Tansu 0.6 answers DescribeConfigs for a topic with no entries; kaffeed with all of them.
        if TestCluster.kind != "tansu" { #expect(!configs.isEmpty) }

        let producer = try KafkaProducer(config: cluster.clientConfig("async-producer"))
        defer { producer.close() }
        let first = try await producer.send(ProducerRecord(topic: topic, value: [0]))
        #expect(first.topic == topic && first.partition == 0 && first.offset == 0)

        let batch = (1...100).map { ProducerRecord(topic: topic, partition: 0, value: [UInt8($0)]) }
        let metadata = try await producer.send(batch)
        #expect(metadata.count == 100)
        #expect(metadata.map(\.offset) == Array(1...100))
        try await producer.flush()

        let settled = try await producer.sendSettled([ProducerRecord(topic: topic, partition: 0, value: [1]),
                                                      ProducerRecord(topic: topic, partition: -1, value: [2])])
        #expect(try settled[0].get().offset == 101)
        #expect(throws: KafkaClientError.self) { try settled[1].get() }
    }

    @Test func cancellingTheLoopCommitsWhatItReceivedAndTheNextMemberResumesAfterIt() async throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = try await Self.topic(cluster, "async-cancel", records: 50)
        let group = TestCluster.uniqueTopic("async-group")
        let partition = TopicPartition(topic: topic, partition: 0)

        let consumer = try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: Self.config(group: group))
        try consumer.subscribe([topic])
        let seen = Mutex(0)
        let loop = Task { () throws(KafkaClientError) -> [ConsumerRecord] in
            var received: [ConsumerRecord] = []
            for try await record in consumer.records(bufferCapacity: 8) {
                received.append(record)
                seen.withLock { $0 = received.count }
                if received.count == 20 {
                    // Park "processing" until the test cancels the task.
                    try? await Task.sleep(for: .seconds(60))
                }
            }
            return received
        }
        try await Self.waitUntil("20 records received") { seen.withLock { $0 } >= 20 }
        loop.cancel()
        let received = try await loop.value
        #expect(received.map(\.offset) == Array(0..<20))
        #expect(try consumer.committed([partition]) == [partition: 20])
        try await Self.waitUntil("the poll thread exits") { PollThreadGauge.live.load(ordering: .sequentiallyConsistent) == 0 }
        consumer.close()

        let next = try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: Self.config(group: group))
        defer { next.close() }
        try next.subscribe([topic])
        var resumed: [Int64] = []
        let records = next.records
        for try await record in records {
            resumed.append(record.offset)
            if resumed.count == 30 { break }
        }
        await records.waitForEnd()
        #expect(resumed == Array(20..<50))
        #expect(try next.committed([partition]) == [partition: 50])
    }

    @Test func aSlowLoopNeverLetsTheBufferGrowBeyondItsBound() async throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = try await Self.topic(cluster, "async-backpressure", records: 60)
        let consumer = try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: Self.config(group: nil))
        defer { consumer.close() }
        try consumer.assign([TopicPartition(topic: topic, partition: 0)])
        let records = consumer.records(bufferCapacity: 4)
        var offsets: [Int64] = []
        var mostBuffered = 0
        for try await record in records {
            offsets.append(record.offset)
            mostBuffered = max(mostBuffered, records.pump.buffered)
            if offsets.count == 60 { break }
            // The slow part of the loop: the poll thread must wait for space meanwhile.
            try await Task.sleep(for: .milliseconds(3))
        }
        await records.waitForEnd()
        #expect(offsets == Array(0..<60))
        #expect(mostBuffered <= 4)
        // The whole topic arrives in one poll, so the buffer filled up to its bound and no further.
        #expect(records.pump.highWaterMark == 4)
        #expect(PollThreadGauge.live.load(ordering: .sequentiallyConsistent) == 0)
        // Positions were rewound to the first unreceived record: a later iteration resumes there.
        #expect(try consumer.position(TopicPartition(topic: topic, partition: 0)) == 60)
    }

    @Test func closedClientsThrowTypedErrors() async throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = try await Self.topic(cluster, "async-closed", records: 1)
        let producer = try KafkaProducer(config: cluster.clientConfig())
        producer.close()
        await #expect(throws: KafkaClientError.closed) { try await producer.send(ProducerRecord(topic: topic, value: [1])) }

        let consumer = try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: Self.config(group: nil))
        try consumer.assign([TopicPartition(topic: topic, partition: 0)])
        consumer.close()
        await #expect(throws: KafkaClientError.closed) {
            for try await _ in consumer.records {}
        }

        let admin = KafkaAdmin(config: cluster.clientConfig())
        admin.close()
        await #expect(throws: KafkaClientError.closed) { try await admin.listTopics() }

        // One sequence value is single-pass.
        let again = try KafkaConsumer(config: cluster.clientConfig(), consumerConfig: Self.config(group: nil))
        defer { again.close() }
        try again.assign([TopicPartition(topic: topic, partition: 0)])
        let records = again.records
        var first = records.makeAsyncIterator()
        #expect(try await first.next()?.offset == 0)
        var second = records.makeAsyncIterator()
        await #expect(throws: KafkaClientError.self) { try await second.next() }
    }

    @Test(.enabled(if: live, "stops the in-process broker"))
    func awaitsEndWithTypedErrorsWhenTheBrokerStops() async throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = try await Self.topic(cluster, "async-broker-down", records: 5)
        var client = cluster.clientConfig("async-down")
        client.requestTimeoutMs = 1_000
        client.retries = 1
        let (producer, admin) = try Self.clients(client, deliveryTimeoutMs: 3_000)
        defer { producer.close(); admin.close() }
        let consumer = try KafkaConsumer(config: client, consumerConfig: Self.config(group: nil))
        try consumer.assign([TopicPartition(topic: topic, partition: 0)])
        let seen = Mutex(0)
        let loop = Task { () throws(KafkaClientError) -> Int in
            var count = 0
            for try await _ in consumer.records {
                count += 1
                seen.withLock { $0 = count }
            }
            return count
        }
        try await Self.waitUntil("the loop runs") { seen.withLock { $0 } == 5 }
        #expect(PollThreadGauge.live.load(ordering: .sequentiallyConsistent) == 1)

        cluster.stop()
        let send = Task { try await producer.send(ProducerRecord(topic: topic, partition: 0, value: [9])) }
        let list = Task { try await admin.listTopics() }
        let sendOutcome = await Self.outcome(of: send, within: 20)
        let listOutcome = await Self.outcome(of: list, within: 20)
        #expect(sendOutcome is KafkaClientError, "send: \(String(describing: sendOutcome))")
        #expect(listOutcome is KafkaClientError, "listTopics: \(String(describing: listOutcome))")

        // poll retries a down broker (the loop waits); closing the consumer ends it with `.closed`.
        consumer.close()
        let loopOutcome = await Self.outcome(of: loop, within: 20)
        #expect(loopOutcome as? KafkaClientError == .closed, "loop: \(String(describing: loopOutcome))")
        try await Self.waitUntil("the poll thread exits") { PollThreadGauge.live.load(ordering: .sequentiallyConsistent) == 0 }
    }

    @Test func cancellingAnAwaitEndsItPromptlyWithCancellationError() async throws {
        // A port nobody listens on, and timeouts (about 4 s) well beyond the 1 s deadline.
        let listener = try TCPListener.listen(on: HostPort(host: "127.0.0.1", port: 0))
        let port = listener.port
        listener.close()
        var client = ClientConfig(bootstrapServers: [HostPort(host: "127.0.0.1", port: port)])
        client.retries = Int.max  // retry forever: only cancellation ends the await
        client.retryBackoffMs = 50
        client.maxRetryBackoffMs = 100
        let (producer, admin) = try Self.clients(client, deliveryTimeoutMs: 4_000)
        defer { producer.close(); admin.close() }

        let send = Task { try await producer.send(ProducerRecord(topic: "nowhere", value: [1])) }
        let list = Task { try await admin.listTopics() }
        try await Task.sleep(for: .milliseconds(100))
        send.cancel()
        list.cancel()
        #expect(await Self.outcome(of: send, within: 1) is CancellationError)
        #expect(await Self.outcome(of: list, within: 1) is CancellationError)
        // A task cancelled before the call sends nothing and fails at once.
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await producer.send(ProducerRecord(topic: "nowhere", value: [2]))
        }
        #expect(await Self.outcome(of: early, within: 1) is CancellationError)
    }

    @Test(.enabled(if: live, "share groups need kaffeed"))
    func aCancelledShareLoopAcceptsWhatItReceivedAndReleasesTheRest() async throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let (topic, group) = try ShareConsumerTests.queue(cluster, batches: 1, perBatch: 10)
        let first = try ShareConsumerTests.consumer(cluster, group: group, topic: topic)
        let seen = Mutex(0)
        let loop = Task { () throws(KafkaClientError) -> [Int64] in
            var offsets: [Int64] = []
            for try await record in first.records {
                offsets.append(record.offset)
                seen.withLock { $0 = offsets.count }
                if offsets.count == 4 { try? await Task.sleep(for: .seconds(60)) }
            }
            return offsets
        }
        try await Self.waitUntil("4 records received") { seen.withLock { $0 } >= 4 }
        loop.cancel()
        #expect(try await loop.value == [0, 1, 2, 3])

        let second = try ShareConsumerTests.consumer(cluster, group: group, topic: topic)
        defer { second.close() }
        let rest = try ShareConsumerTests.poll(second, until: 6)
        #expect(rest.map(\.offset).sorted() == Array(4..<10))
        first.close()
        #expect(try second.poll(timeoutMs: 300).isEmpty)
    }

    // MARK: helpers

    /// A 1-partition topic holding `records` records (offsets 0..<records), made with the async API.
    static func topic(_ cluster: TestCluster, _ prefix: String, records: Int) async throws -> String {
        let topic = TestCluster.uniqueTopic(prefix)
        let admin = KafkaAdmin(config: cluster.clientConfig("async-admin"))
        defer { admin.close() }
        try await admin.createTopic(name: topic, partitions: 1)
        let producer = try KafkaProducer(config: cluster.clientConfig("async-producer"))
        defer { producer.close() }
        _ = try await producer.send((0..<records).map { ProducerRecord(topic: topic, partition: 0, value: [UInt8($0 % 256)]) })
        return topic
    }

    /// A producer (with `deliveryTimeoutMs`) and an admin client for `client`.
    static func clients(_ client: ClientConfig, deliveryTimeoutMs: Int) throws -> (KafkaProducer, KafkaAdmin) {
        var settings = ProducerConfig()
        settings.deliveryTimeoutMs = deliveryTimeoutMs
        return (try KafkaProducer(config: client, producerConfig: settings), KafkaAdmin(config: client))
    }

    static func config(group: String?) -> ConsumerConfig {
        var config = ConsumerConfig(groupId: group)
        config.autoOffsetReset = .earliest
        config.enableAutoCommit = false
        config.sessionTimeoutMs = 6_000
        config.heartbeatIntervalMs = 100
        config.rebalanceTimeoutMs = 5_000
        config.fetchMaxWaitMs = 100
        return config
    }

    /// Polls `condition` every 10 ms until it holds; fails after 15 s.
    static func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
        let clock = SystemTimeSource()
        let deadline = clock.monotonicNanos() + 15_000_000_000
        while !condition() {
            guard clock.monotonicNanos() < deadline else {
                Issue.record("timed out waiting until \(what)")
                throw KafkaClientError.timedOut(operation: what, milliseconds: 15_000)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The error `task` ends with (nil when it succeeded), or a timeout marker when it has not
    /// ended within `seconds` (the task is then cancelled).
    static func outcome<T: Sendable, E: Error>(of task: Task<T, E>, within seconds: Int) async -> (any Error)? {
        let result = Mutex<Result<T, any Error>?>(nil)
        let watcher = Task {
            let ended = await task.result
            result.withLock { $0 = ended.mapError { $0 } }
        }
        let clock = SystemTimeSource()
        let deadline = clock.monotonicNanos() + UInt64(seconds) * 1_000_000_000
        while clock.monotonicNanos() < deadline {
            if let ended = result.withLock({ $0 }) {
                if case .failure(let error) = ended { return error }
                return nil
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        task.cancel()
        watcher.cancel()
        return Waited.tooLong
    }

    enum Waited: Error { case tooLong }
}
