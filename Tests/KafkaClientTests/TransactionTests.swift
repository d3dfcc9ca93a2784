import KafkaClient
import KafkaProtocol
import SystemIO
import Synchronization
import Testing

/// Transactions end to end: the transactional `KafkaProducer`, read_committed `KafkaConsumer`
/// and the transaction admin calls against the in-process broker.
///
/// Every test runs only against kaffeed (`TestCluster.kind == "kaffeed"`): Tansu's transactions
/// are partial — its read_committed fetch returns aborted records and a fenced producer's data
/// stays visible — so these expectations do not hold there.
@Suite struct TransactionTests {
    static var supported: Bool { TestCluster.kind == "kaffeed" }

    @Test func committedTransactionIsVisibleToReadCommitted() throws {
        guard Self.supported else { return }  // see the suite's comment: Tansu's transactions are partial
        let fixture = try Fixture("txn-commit", partitions: 2)
        defer { fixture.stop() }
        let (cluster, admin, topic) = (fixture.cluster, fixture.admin, fixture.topic)
        let producer = try Self.producer(cluster, id: "txn-commit-\(topic)")
        defer { producer.close() }

        try producer.initTransactions()
        #expect(producer.transactionState == .ready)
        try producer.beginTransaction()
        let reports = ProducerTests.ReportCollector()
        for index in 0..<6 {
            producer.send(ProducerRecord(topic: topic, partition: Int32(index % 2), value: [UInt8(index)]), completion: reports.callback(index))
        }
        try producer.commitTransaction()
        #expect(producer.transactionState == .ready)
        let delivered = try reports.successes(count: 6)
        #expect(delivered.allSatisfy { $0.offset >= 0 })

        let partitions = [TopicPartition(topic: topic, partition: 0), TopicPartition(topic: topic, partition: 1)]
        let committed = try Self.read(cluster, partitions, isolation: .readCommitted, expecting: 6)
        #expect(committed.map { $0.value?.first ?? 255 }.sorted() == [0, 1, 2, 3, 4, 5])
        // The commit marker follows each partition's three records: the end (and LSO) is 4.
        let ends = try admin.listOffsets(partitions, spec: .latest, isolation: .readCommitted)
        #expect(ends.values.map(\.offset) == [4, 4])

        let listed = try admin.listTransactions()
        #expect(listed.contains { $0.transactionalId == "txn-commit-\(topic)" })
        let described = try #require(try admin.describeTransactions(["txn-commit-\(topic)"]).first)
        #expect(described.state == "CompleteCommit" || described.state == "Empty")
        #expect(described.partitions.isEmpty)
    }

    @Test func abortedTransactionIsInvisibleToReadCommittedOnly() throws {
        guard Self.supported else { return }  // see the suite's comment: Tansu's transactions are partial
        let fixture = try Fixture("txn-abort", partitions: 1)
        defer { fixture.stop() }
        let (cluster, topic) = (fixture.cluster, fixture.topic)
        let producer = try Self.producer(cluster, id: "txn-abort-\(topic)")
        defer { producer.close() }
        try producer.initTransactions()

        try producer.beginTransaction()
        for value in [UInt8(1), 2, 3] { _ = try producer.send(ProducerRecord(topic: topic, partition: 0, value: [value])) }
        try producer.abortTransaction()
        #expect(producer.transactionState == .ready)

        try producer.beginTransaction()
        for value in [UInt8(4), 5] { producer.send(ProducerRecord(topic: topic, partition: 0, value: [value])) { _ in } }
        try producer.commitTransaction()

        let partition = [TopicPartition(topic: topic, partition: 0)]
        let committed = try Self.read(cluster, partition, isolation: .readCommitted, expecting: 2)
        #expect(committed.map { $0.value ?? [] } == [[4], [5]])
        #expect(committed.map(\.offset) == [4, 5], "offsets 0-2 aborted records, 3 the abort marker")
        let everything = try Self.read(cluster, partition, isolation: .readUncommitted, expecting: 5)
        #expect(everything.map { $0.value ?? [] } == [[1], [2], [3], [4], [5]])
    }

    @Test func unsentRecordsFailWhenAborting() throws {
        guard Self.supported else { return }  // see the suite's comment: Tansu's transactions are partial
        let fixture = try Fixture("txn-abort-unsent", partitions: 1)
        defer { fixture.stop() }
        let (cluster, topic) = (fixture.cluster, fixture.topic)
        var settings = ProducerConfig()
        settings.transactionalId = "txn-unsent-\(topic)"
        settings.lingerMs = 60_000  // nothing leaves before the abort
        let producer = try KafkaProducer(config: cluster.clientConfig("txn-producer"), producerConfig: settings)
        defer { producer.close() }
        try producer.initTransactions()
        try producer.beginTransaction()
        let reports = ProducerTests.ReportCollector()
        for index in 0..<3 { producer.send(ProducerRecord(topic: topic, partition: 0, value: [UInt8(index)]), completion: reports.callback(index)) }
        try producer.abortTransaction()
        for index in 0..<3 {
            guard case .failure(.transactionAbortable)? = reports.result(index) else {
                Issue.record("record \(index): expected transactionAbortable, got \(String(describing: reports.result(index)))")
                continue
            }
        }
        // Outside a transaction records are refused.
        let refused = caught { () throws(KafkaClientError) in try producer.send(ProducerRecord(topic: topic, value: [9])) }
        guard case .illegalState? = refused else {
            Issue.record("a send outside a transaction fails with illegalState, got \(String(describing: refused))")
            return
        }
        #expect(try Self.commitOne([7], producer, cluster, topic) == [[7]])
    }

    /// A second producer with the same transactional id fences the first: its commit (or, when
    /// `sendFirst`, the next record it sends) fails, the producer turns unusable with
    /// `producerFenced`, and its open transaction is aborted.
    @Test(arguments: [false, true]) func secondProducerWithTheSameIdFencesTheFirst(sendFirst: Bool) throws {
        guard Self.supported else { return }  // see the suite's comment: Tansu's transactions are partial
        let fixture = try Fixture("txn-fence", partitions: 1)
        defer { fixture.stop() }
        let (cluster, topic) = (fixture.cluster, fixture.topic)
        let id = "txn-fence-\(topic)"
        let first = try Self.producer(cluster, id: id)
        defer { first.close() }
        try first.initTransactions()
        try first.beginTransaction()
        _ = try first.send(ProducerRecord(topic: topic, partition: 0, value: [1]))

        let second = try Self.producer(cluster, id: id)
        defer { second.close() }
        try second.initTransactions()  // bumps the epoch and aborts the first one's transaction

        if sendFirst {
            // The partition is already in the first producer's transaction, so the batch goes
            // straight to the leader with the old epoch.
            let sendError = caught { () throws(KafkaClientError) in try first.send(ProducerRecord(topic: topic, partition: 0, value: [3])) }
            #expect(sendError != nil, "a fenced producer's record fails")
            #expect(first.transactionState == .fatalError, "after \(String(describing: sendError))")
        }
        let commitError = caught { () throws(KafkaClientError) in try first.commitTransaction() }
        guard case .producerFenced? = commitError else {
            Issue.record("the fenced producer's commit fails with producerFenced, got \(String(describing: commitError))")
            return
        }
        #expect(first.transactionState == .fatalError)
        guard case .producerFenced? = caught({ () throws(KafkaClientError) in try first.beginTransaction() }) else {
            Issue.record("every later call fails with producerFenced")
            return
        }

        #expect(try Self.commitOne([2], second, cluster, topic) == [[2]], "the fenced producer's records were aborted")
    }

    @Test func offsetsSentToTheTransactionMoveOnlyOnCommit() throws {
        guard Self.supported else { return }  // see the suite's comment: Tansu's transactions are partial
        let fixture = try Fixture("txn-offsets", partitions: 1)
        defer { fixture.stop() }
        let (cluster, admin, topic) = (fixture.cluster, fixture.admin, fixture.topic)
        let group = "txn-group-\(topic)"
        let partition = TopicPartition(topic: topic, partition: 0)
        let producer = try Self.producer(cluster, id: "txn-offsets-\(topic)")
        defer { producer.close() }
        try producer.initTransactions()

        try producer.beginTransaction()
        try producer.sendOffsetsToTransaction([partition: 5], groupId: group)
        try producer.abortTransaction()
        #expect(try admin.committedOffsets(group: group)[partition] == nil, "aborted offsets are never committed")

        try producer.beginTransaction()
        _ = try producer.send(ProducerRecord(topic: topic, partition: 0, value: [1]))
        try producer.sendOffsetsToTransaction([partition: 7], groupMetadata: ConsumerGroupMetadata(groupId: group))
        #expect(try admin.committedOffsets(group: group)[partition] == nil, "not before the commit")
        try producer.commitTransaction()
        #expect(try Self.eventually { try admin.committedOffsets(group: group)[partition] == 7 })
    }

    @Test func hangingTransactionIsFoundAndAbortedByAdmin() throws {
        guard Self.supported else { return }  // see the suite's comment: Tansu's transactions are partial
        let fixture = try Fixture("txn-hanging", partitions: 1)
        defer { fixture.stop() }
        let (cluster, admin, topic) = (fixture.cluster, fixture.admin, fixture.topic)
        let partition = TopicPartition(topic: topic, partition: 0)
        let id = "txn-hanging-\(topic)"
        let producer = try Self.producer(cluster, id: id)
        defer { producer.close() }
        try producer.initTransactions()
        try producer.beginTransaction()
        _ = try producer.send(ProducerRecord(topic: topic, partition: 0, value: [1]))

        let ongoing = try admin.listTransactions(states: ["Ongoing"])
        #expect(ongoing.map(\.transactionalId).contains(id))
        let described = try #require(try admin.describeTransactions([id]).first)
        #expect(described.state == "Ongoing")
        #expect(described.partitions == [partition])
        #expect(described.transactionStartTimeMs != nil)

        let producers = try admin.describeProducers([partition])[partition] ?? []
        let open = try #require(producers.first { $0.currentTransactionStartOffset == 0 })
        #expect(open.producerId == described.producerId)
        #expect(try admin.listOffsets([partition], spec: .latest, isolation: .readCommitted)[partition]?.offset == 0, "the open transaction holds the LSO")

        try admin.abortTransaction(topic: topic, partition: 0, producerId: open.producerId, producerEpoch: Int16(open.producerEpoch),
                                   coordinatorEpoch: max(0, open.coordinatorEpoch))
        #expect(try admin.listOffsets([partition], spec: .latest, isolation: .readCommitted)[partition]?.offset == 2, "record and abort marker")
        let after = try admin.describeProducers([partition])[partition] ?? []
        #expect(after.allSatisfy { $0.currentTransactionStartOffset == nil })
        let unknown = caught { () throws(KafkaClientError) in try admin.describeTransactions(["no-such-\(topic)"]) }
        guard case .broker(.transactionalIdNotFound, _)? = unknown else {
            Issue.record("an unknown transactional id: got \(String(describing: unknown))")
            return
        }
    }

    // MARK: helpers

    /// A broker, an admin client and a new topic (``stop()`` when done).
    final class Fixture {
        let cluster: TestCluster
        let admin: KafkaAdmin
        let topic: String

        init(_ prefix: String, partitions: Int32) throws {
            cluster = try TestCluster()
            admin = KafkaAdmin(config: cluster.clientConfig("txn-admin"))
            topic = TestCluster.uniqueTopic(prefix)
            try admin.createTopic(name: topic, partitions: partitions)
        }

        func stop() {
            admin.close()
            cluster.stop()
        }
    }

    static func producer(_ cluster: TestCluster, id: String) throws -> KafkaProducer {
        var settings = ProducerConfig()
        settings.transactionalId = id
        settings.maxBlockMs = 20_000
        return try KafkaProducer(config: cluster.clientConfig("txn-producer"), producerConfig: settings)
    }

    /// Sends `value` to partition 0 of `topic` in a transaction of its own, commits it, and
    /// returns the values a read_committed consumer reads from that partition.
    static func commitOne(_ value: [UInt8], _ producer: KafkaProducer, _ cluster: TestCluster, _ topic: String) throws -> [[UInt8]] {
        try producer.beginTransaction()
        _ = try producer.send(ProducerRecord(topic: topic, partition: 0, value: value))
        try producer.commitTransaction()
        return try read(cluster, [TopicPartition(topic: topic, partition: 0)], isolation: .readCommitted, expecting: 1).map { $0.value ?? [] }
    }

    /// Reads `partitions` from the beginning with `isolation` until `expecting` records came
    /// (or 10 s passed), then polls once more to catch any extra record.
    static func read(_ cluster: TestCluster, _ partitions: [TopicPartition], isolation: ConsumerConfig.IsolationLevel,
                     expecting: Int) throws -> [ConsumerRecord] {
        var settings = ConsumerConfig()
        settings.isolationLevel = isolation
        settings.enableAutoCommit = false
        settings.fetchMaxWaitMs = 100
        let consumer = try KafkaConsumer(config: cluster.clientConfig("txn-consumer"), consumerConfig: settings)
        defer { consumer.close() }
        try consumer.assign(partitions)
        try consumer.seekToBeginning(partitions)
        let clock = SystemTimeSource()
        let deadline = clock.monotonicNanos() + 10_000_000_000
        var records: [ConsumerRecord] = []
        while records.count < expecting && clock.monotonicNanos() < deadline {
            records += try consumer.poll(timeoutMs: 200)
        }
        records += try consumer.poll(timeoutMs: 300)
        return records
    }

    /// Whether `condition` holds within 5 s.
    static func eventually(_ condition: () throws -> Bool) throws -> Bool {
        let clock = SystemTimeSource()
        let deadline = clock.monotonicNanos() + 5_000_000_000
        while clock.monotonicNanos() < deadline {
            if try condition() { return true }
            KafkaClusterSleep.milliseconds(50)
        }
        return try condition()
    }
}

/// A short sleep for polling loops in tests.
enum KafkaClusterSleep {
    static func milliseconds(_ ms: Int) {
        let signal = ConditionSignal()
        signal.wait(after: signal.generation, timeoutNanos: UInt64(ms) * 1_000_000)
    }
}
