import Broker
import KafkaProtocol
import KafkaRecords
import LogStorage
import SystemIO
import Testing

/// Transactions through the broker's request handlers (encoded frames, no sockets): the whole
/// protocol flow, read_committed fetches and ListOffsets, the tooling APIs, and Kafka's error
/// codes for bad input.
@Suite struct TransactionBrokerTests {
    struct Producer {
        var id: Int64
        var epoch: Int16
        var sequence: Int32 = 0
    }

    static func transactionalBatch(_ producer: Producer, values: [String]) -> [UInt8] {
        var builder = RecordBatchBuilder(producerId: producer.id, producerEpoch: producer.epoch, baseSequence: producer.sequence, isTransactional: true)
        for (i, value) in values.enumerated() {
            builder.append(RecordInput(key: nil, value: Array(value.utf8), timestamp: 1_700_000_000_000 + Int64(i)))
        }
        return builder.build()
    }

    static func produce(_ harness: inout BrokerHarness, _ producer: inout Producer, transactionalId: String?, topic: String = "t",
                        partition: Int32 = 0, values: [String], version: Int16 = 9) throws -> ProduceResponse.PartitionProduceResponse? {
        let request = ProduceRequest(transactionalId: transactionalId, acks: -1, timeoutMs: 1000, topicData: [
            ProduceRequest.TopicProduceData(name: topic, partitionData: [
                ProduceRequest.PartitionProduceData(index: partition, records: .inline(transactionalBatch(producer, values: values))),
            ]),
        ])
        let response = try harness.send(request, version: version).responses.first?.partitionResponses.first
        if response?.errorCode == ErrorCode.none { producer.sequence += Int32(values.count) }
        return response
    }

    static func initProducer(_ harness: inout BrokerHarness, _ id: String, timeoutMs: Int32 = 60_000, version: Int16 = 4) throws -> InitProducerIdResponse {
        try harness.send(InitProducerIdRequest(transactionalId: id, transactionTimeoutMs: timeoutMs), version: version)
    }

    static func addPartitions(_ harness: inout BrokerHarness, _ id: String, _ producer: Producer, topic: String = "t", partitions: [Int32] = [0],
                              version: Int16 = 3) throws -> [ErrorCode] {
        let request = AddPartitionsToTxnRequest(v3AndBelowTransactionalId: id, v3AndBelowProducerId: producer.id, v3AndBelowProducerEpoch: producer.epoch,
                                                v3AndBelowTopics: [.init(name: topic, partitions: partitions)])
        return try harness.send(request, version: version).resultsByTopicV3AndBelow.flatMap { $0.resultsByPartition.map(\.partitionErrorCode) }
    }

    static func endTxn(_ harness: inout BrokerHarness, _ id: String, _ producer: Producer, commit: Bool, version: Int16 = 3) throws -> ErrorCode {
        try harness.send(EndTxnRequest(transactionalId: id, producerId: producer.id, producerEpoch: producer.epoch, committed: commit), version: version).errorCode
    }

    static func fetch(_ harness: inout BrokerHarness, committed: Bool, topic: String = "t") throws -> FetchResponse.PartitionData? {
        var request = BrokerHarness.fetch(topic, offset: 0)
        request.isolationLevel = committed ? 1 : 0
        return try harness.send(request, version: 12).responses.first?.partitions.first
    }

    /// The values of the data records fetched (control batches skipped, as a consumer does).
    static func values(_ data: FetchResponse.PartitionData?) throws -> [String] {
        let bytes = data?.records?.bytes ?? []
        var values: [String] = []
        for (header, range) in try RecordBatchIterator.batches(in: bytes, range: 0..<bytes.count, verifyCRC: true) where !header.isControl {
            values += try RecordBatchRecords.decode(Array(bytes[range]), at: 0).compactMap { $0.value.map { String(decoding: $0, as: UTF8.self) } }
        }
        return values
    }

    static func latest(_ harness: inout BrokerHarness, committed: Bool) throws -> Int64? {
        let request = ListOffsetsRequest(replicaId: -1, isolationLevel: committed ? 1 : 0, topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 0, timestamp: -1)]),
        ])
        return try harness.send(request, version: 7).topics.first?.partitions.first?.offset
    }

    @Test func commitAndAbortThroughTheHandlers() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t", partitions: 1)
        let coordinator = try harness.send(FindCoordinatorRequest(key: "tx", keyType: 1), version: 3)
        #expect(coordinator.errorCode == .none)
        #expect(coordinator.nodeId == 0)
        let initialised = try Self.initProducer(&harness, "tx")
        #expect(initialised.errorCode == .none)
        var producer = Producer(id: initialised.producerId, epoch: initialised.producerEpoch)

        // An aborted transaction, then a committed one.
        #expect(try Self.addPartitions(&harness, "tx", producer) == [.none])
        #expect(try Self.produce(&harness, &producer, transactionalId: "tx", values: ["a1", "a2"])?.errorCode == ErrorCode.none)
        // Open: read_committed sees nothing and "latest" is the last stable offset.
        #expect(try Self.values(Self.fetch(&harness, committed: true)).isEmpty)
        #expect(try Self.fetch(&harness, committed: true)?.lastStableOffset == 0)
        #expect(try Self.latest(&harness, committed: true) == 0)
        #expect(try Self.latest(&harness, committed: false) == 2)
        #expect(try Self.endTxn(&harness, "tx", producer, commit: false) == .none)
        #expect(try Self.addPartitions(&harness, "tx", producer) == [.none])
        #expect(try Self.produce(&harness, &producer, transactionalId: "tx", values: ["c1"])?.errorCode == ErrorCode.none)
        #expect(try Self.endTxn(&harness, "tx", producer, commit: true) == .none)

        // Log: a1 a2 ABORT c1 COMMIT.
        let committed = try Self.fetch(&harness, committed: true)
        #expect(committed?.lastStableOffset == 5)
        #expect(committed?.abortedTransactions == [FetchResponse.AbortedTransaction(producerId: producer.id, firstOffset: 0)])
        // The reader drops the aborted records itself (it gets the list); the data is all there.
        #expect(try Self.values(committed) == ["a1", "a2", "c1"])
        let uncommitted = try Self.fetch(&harness, committed: false)
        #expect(uncommitted?.abortedTransactions == [])
        #expect(try Self.latest(&harness, committed: true) == 5)

        // The tooling view.
        let described = try harness.send(DescribeTransactionsRequest(transactionalIds: ["tx", "nope"]), version: 0).transactionStates
        #expect(described.map(\.transactionState) == ["CompleteCommit", ""])
        #expect(described.map(\.errorCode) == [.none, .transactionalIdNotFound])
        let listed = try harness.send(ListTransactionsRequest(stateFilters: ["CompleteCommit", "Bogus"]), version: 1)
        #expect(listed.transactionStates.map(\.transactionalId) == ["tx"])
        #expect(listed.unknownStateFilters == ["Bogus"])
        let none = try harness.send(ListTransactionsRequest(stateFilters: ["Ongoing"]), version: 1)
        #expect(none.transactionStates.isEmpty)
        let producers = try harness.send(DescribeProducersRequest(topics: [.init(name: "t", partitionIndexes: [0, 7])]), version: 0)
        let partitions = producers.topics.first?.partitions ?? []
        #expect(partitions.map(\.errorCode) == [.none, .unknownTopicOrPartition])
        #expect(partitions.first?.activeProducers.map(\.producerId) == [producer.id])
        #expect(partitions.first?.activeProducers.first?.currentTxnStartOffset == -1)
    }

    @Test func transactionalOffsetsBecomeVisibleOnlyOnCommit() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t", partitions: 1)
        let initialised = try Self.initProducer(&harness, "tx")
        let producer = Producer(id: initialised.producerId, epoch: initialised.producerEpoch)
        func commitOffset(_ offset: Int64, version: Int16 = 3) throws -> ErrorCode? {
            let request = TxnOffsetCommitRequest(transactionalId: "tx", groupId: "g", producerId: producer.id, producerEpoch: producer.epoch,
                                                 topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: offset)])])
            return try harness.send(request, version: version).topics.first?.partitions.first?.errorCode
        }
        func fetchOffset(requireStable: Bool) throws -> OffsetFetchResponse.Partition? {
            let request = OffsetFetchRequest(groupId: "g", topics: [.init(name: "t", partitionIndexes: [0])], requireStable: requireStable)
            return try harness.send(request, version: 7).topics.first?.partitions.first
        }
        // Not added with AddOffsetsToTxn yet.
        #expect(try commitOffset(5) == .invalidTxnState)
        let add = AddOffsetsToTxnRequest(transactionalId: "tx", producerId: producer.id, producerEpoch: producer.epoch, groupId: "g")
        #expect(try harness.send(add, version: 3).errorCode == .none)
        #expect(try commitOffset(5) == ErrorCode.none)
        #expect(try fetchOffset(requireStable: false)?.committedOffset == -1)
        #expect(try fetchOffset(requireStable: true)?.errorCode == .unstableOffsetCommit)
        #expect(try Self.endTxn(&harness, "tx", producer, commit: true) == .none)
        #expect(try fetchOffset(requireStable: true)?.committedOffset == 5)

        // Aborted offsets never show.
        #expect(try harness.send(add, version: 3).errorCode == .none)
        #expect(try commitOffset(9) == ErrorCode.none)
        #expect(try Self.endTxn(&harness, "tx", producer, commit: false) == .none)
        #expect(try fetchOffset(requireStable: true)?.committedOffset == 5)
    }

    @Test func badTransactionalRequestsGetKafkasErrors() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t", partitions: 2)
        // An id too long for the transaction log; an unknown coordinator key type; bad timeouts.
        let long = String(repeating: "x", count: 40_000)
        #expect(try Self.initProducer(&harness, long).errorCode == .invalidRequest)
        #expect(try harness.send(FindCoordinatorRequest(key: "tx", keyType: 7), version: 3).errorCode == .invalidRequest)
        #expect(try Self.initProducer(&harness, "tx", timeoutMs: 900_001).errorCode == .invalidTransactionTimeout)

        let initialised = try Self.initProducer(&harness, "tx")
        var producer = Producer(id: initialised.producerId, epoch: initialised.producerEpoch)
        // Writing to a partition not added: INVALID_TXN_STATE, nothing written.
        #expect(try Self.produce(&harness, &producer, transactionalId: "tx", values: ["x"])?.errorCode == .invalidTxnState)
        // Transactional records without a transactional id in the request.
        #expect(try Self.produce(&harness, &producer, transactionalId: nil, values: ["x"])?.errorCode == .invalidTxnState)
        #expect(try Self.latest(&harness, committed: false) == 0)
        // EndTxn with nothing open; unknown partitions in AddPartitionsToTxn (nothing added).
        #expect(try Self.endTxn(&harness, "tx", producer, commit: true) == .invalidTxnState)
        #expect(try Self.addPartitions(&harness, "tx", producer, partitions: [0, 9]) == [.operationNotAttempted, .unknownTopicOrPartition])
        #expect(try Self.produce(&harness, &producer, transactionalId: "tx", values: ["x"])?.errorCode == .invalidTxnState)
        // A wrong producer id; a wrong epoch (PRODUCER_FENCED from v2, INVALID_PRODUCER_EPOCH before).
        #expect(try Self.addPartitions(&harness, "tx", Producer(id: producer.id + 50, epoch: 0)) == [.invalidProducerIdMapping])
        #expect(try Self.addPartitions(&harness, "tx", Producer(id: producer.id, epoch: 5), version: 2) == [.producerFenced])
        #expect(try Self.addPartitions(&harness, "tx", Producer(id: producer.id, epoch: 5), version: 1) == [.invalidProducerEpoch])

        // A real transaction, ended twice: the same outcome again is fine, the other is refused.
        #expect(try Self.addPartitions(&harness, "tx", producer) == [.none])
        #expect(try Self.produce(&harness, &producer, transactionalId: "tx", values: ["ok"])?.errorCode == ErrorCode.none)
        #expect(try Self.endTxn(&harness, "tx", producer, commit: true) == .none)
        #expect(try Self.endTxn(&harness, "tx", producer, commit: true) == .none)
        #expect(try Self.endTxn(&harness, "tx", producer, commit: false) == .invalidTxnState)
        // After the commit, writing without adding the partition again is refused.
        #expect(try Self.produce(&harness, &producer, transactionalId: "tx", values: ["late"])?.errorCode == .invalidTxnState)
        #expect(try Self.values(Self.fetch(&harness, committed: true)) == ["ok"])
    }

    @Test func aNewProducerFencesTheOldOneWhoseDataStaysAborted() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t", partitions: 1)
        let first = try Self.initProducer(&harness, "tx")
        var zombie = Producer(id: first.producerId, epoch: first.producerEpoch)
        #expect(try Self.addPartitions(&harness, "tx", zombie) == [.none])
        #expect(try Self.produce(&harness, &zombie, transactionalId: "tx", values: ["zombie"])?.errorCode == ErrorCode.none)
        let second = try Self.initProducer(&harness, "tx")
        #expect(second.producerEpoch == first.producerEpoch + 2)
        // The zombie's writes and its EndTxn are refused; InitProducerId v3 answers the old code.
        #expect(try Self.produce(&harness, &zombie, transactionalId: "tx", values: ["more"])?.errorCode == .invalidProducerEpoch)
        #expect(try Self.endTxn(&harness, "tx", zombie, commit: true, version: 1) == .invalidProducerEpoch)
        #expect(try Self.endTxn(&harness, "tx", zombie, commit: true, version: 3) == .producerFenced)
        // Its open data was aborted: the LSO moved past it and it is listed as aborted.
        let committed = try Self.fetch(&harness, committed: true)
        #expect(committed?.lastStableOffset == 2)
        #expect(committed?.abortedTransactions?.map(\.producerId) == [first.producerId])
    }

    @Test func writeTxnMarkersAbortsAHangingTransaction() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t", partitions: 1)
        let initialised = try Self.initProducer(&harness, "tx")
        var producer = Producer(id: initialised.producerId, epoch: initialised.producerEpoch)
        #expect(try Self.addPartitions(&harness, "tx", producer) == [.none])
        #expect(try Self.produce(&harness, &producer, transactionalId: "tx", values: ["hanging"])?.errorCode == ErrorCode.none)
        let described = try harness.send(DescribeProducersRequest(topics: [.init(name: "t", partitionIndexes: [0])]), version: 0)
        let active = try #require(described.topics.first?.partitions.first?.activeProducers.first)
        #expect(active.currentTxnStartOffset == 0)
        let markers = WriteTxnMarkersRequest(markers: [.init(producerId: active.producerId, producerEpoch: Int16(active.producerEpoch), transactionResult: false,
                                                              topics: [.init(name: "t", partitionIndexes: [0, 3])], coordinatorEpoch: 0)])
        let answer = try harness.send(markers, version: 1)
        #expect(answer.markers.first?.topics.first?.partitions.map(\.errorCode) == [.none, .unknownTopicOrPartition])
        #expect(try Self.fetch(&harness, committed: true)?.lastStableOffset == 2)
        #expect(try Self.latest(&harness, committed: true) == 2)
    }

    @Test func anExpiredTransactionIsAbortedByTheBrokersTick() throws {
        let clock = ManualTimeSource()
        var harness = try BrokerHarness(time: clock)
        try harness.createTopic("t", partitions: 1)
        let initialised = try Self.initProducer(&harness, "tx", timeoutMs: 5_000)
        var producer = Producer(id: initialised.producerId, epoch: initialised.producerEpoch)
        #expect(try Self.addPartitions(&harness, "tx", producer) == [.none])
        #expect(try Self.produce(&harness, &producer, transactionalId: "tx", values: ["slow"])?.errorCode == ErrorCode.none)
        clock.advance(millis: 16_000)
        harness.broker.tick()
        #expect(try Self.latest(&harness, committed: true) == 2)
        #expect(try Self.endTxn(&harness, "tx", producer, commit: true) == .producerFenced)
    }

    @Test func stateSurvivesACrashRestart() throws {
        let fileSystem = MemoryFileSystem()
        var harness = try BrokerHarness(fileSystem: fileSystem)
        try harness.createTopic("t", partitions: 1)
        let initialised = try Self.initProducer(&harness, "tx")
        var producer = Producer(id: initialised.producerId, epoch: initialised.producerEpoch)
        #expect(try Self.addPartitions(&harness, "tx", producer) == [.none])
        #expect(try Self.produce(&harness, &producer, transactionalId: "tx", values: ["open"])?.errorCode == ErrorCode.none)
        try harness.store.allPartitions.forEach { try $0.log.flush() }
        var random = SplitMix64(seed: 5)
        fileSystem.crash(using: &random)
        fileSystem.restartProcess()
        var restarted = try BrokerHarness(fileSystem: fileSystem)
        // The transaction is still open after the restart and can be committed.
        #expect(try Self.latest(&restarted, committed: true) == 0)
        #expect(try Self.endTxn(&restarted, "tx", producer, commit: true) == .none)
        #expect(try Self.values(Self.fetch(&restarted, committed: true)) == ["open"])
        #expect(try Self.fetch(&restarted, committed: true)?.lastStableOffset == 2)
    }
}
