@testable import KafkaClient
import KafkaProtocol
import KafkaRecords
import Synchronization
import Testing

/// The transaction state machine, the error dispositions and the read_committed filter,
/// without sockets.
@Suite struct TransactionUnitTests {
    // MARK: state machine

    @Test func happyPathCommitAndAbort() throws {
        let manager = TransactionManager(transactionalId: "t1")
        #expect(manager.phase == .uninitialized)
        #expect(throws: KafkaClientError.self) { try manager.begin() }
        #expect(manager.sendError() != nil, "no sends before initTransactions")
        try manager.beginInit()
        manager.initialized(producerId: 7, producerEpoch: 3)
        #expect(manager.phase == .ready)
        #expect(manager.identity == (7, 3))
        #expect(throws: KafkaClientError.illegalState("initTransactions() was already called (state ready)")) { try manager.beginInit() }
        #expect(throws: KafkaClientError.self) { try manager.beginCommit() }
        #expect(throws: KafkaClientError.self) { try manager.beginAbort() }

        try manager.begin()
        #expect(manager.phase == .inTransaction)
        #expect(manager.sendError() == nil)
        #expect(!manager.transactionStarted)
        #expect(throws: KafkaClientError.self) { try manager.begin() }
        let a = ProducerPartition(topic: "a", partition: 0)
        let b = ProducerPartition(topic: "b", partition: 1)
        #expect(manager.partitionsToAdd([b, a], now: 0) == [a, b])
        manager.partitionsWereAdded([a])
        #expect(manager.partitionsToAdd([a, b], now: 0) == [b])
        #expect(manager.transactionStarted)
        #expect(manager.addedPartitions == [a])
        try manager.beginCommit()
        #expect(manager.phase == .committing)
        #expect(manager.sendError() != nil, "no sends while committing")
        #expect(manager.partitionsToAdd([b], now: 0) == [b], "batches sent before the commit still get their partitions added")
        #expect(manager.errorAfterFlush() == nil)
        manager.completed()
        #expect(manager.phase == .ready)
        #expect(manager.addedPartitions.isEmpty)

        try manager.begin()
        manager.offsetsWereAdded()
        #expect(manager.transactionStarted)
        try manager.beginAbort()
        #expect(manager.dropsUnsentBatches)
        #expect(manager.partitionsToAdd([a], now: 0).isEmpty, "nothing is added while aborting")
        manager.completed()
        #expect(manager.phase == .ready)
        #expect(!manager.transactionStarted)
    }

    @Test func failedBatchMakesTheTransactionAbortable() throws {
        let manager = try Self.openTransaction()
        manager.batchFailed(.broker(.messageTooLarge, context: "produce to t-0"))
        #expect(manager.phase == .abortableError)
        #expect(manager.dropsUnsentBatches)
        guard case .transactionAbortable? = manager.sendError() else {
            Issue.record("sends fail with the abortable error, got \(String(describing: manager.sendError()))")
            return
        }
        #expect(throws: KafkaClientError.self) { try manager.beginCommit() }
        #expect(throws: KafkaClientError.self) { try manager.begin() }
        // The first error is kept; a later one does not replace it.
        manager.batchFailed(.broker(.invalidTxnState, context: "produce to t-1"))
        #expect(manager.dropError.description.contains("produce to t-0"))
        try manager.beginAbort()
        manager.batchFailed(.transactionAbortable("dropped on purpose"))
        #expect(manager.phase == .aborting, "failures caused by the abort itself change nothing")
        manager.completed()
        #expect(manager.phase == .ready)
        try manager.begin()
        #expect(manager.sendError() == nil)
    }

    @Test func fencingIsFatalInEveryState() throws {
        for code in [ErrorCode.producerFenced, .invalidProducerEpoch] {
            let manager = try Self.openTransaction()
            manager.batchFailed(.broker(code, context: "produce to t-0"))
            #expect(manager.phase == .fatalError)
            guard case .producerFenced? = manager.sendError() else {
                Issue.record("\(code): sends fail with producerFenced")
                continue
            }
            #expect(throws: KafkaClientError.self) { try manager.beginAbort() }
            #expect(throws: KafkaClientError.self) { try manager.beginCommit() }
            #expect(throws: KafkaClientError.self) { try manager.begin() }
            #expect(manager.dropsUnsentBatches)
        }
        let aborting = try Self.openTransaction()
        try aborting.beginAbort()
        aborting.fail(.producerFenced("EndTxn: PRODUCER_FENCED"))
        #expect(aborting.phase == .fatalError)
    }

    @Test func addPartitionsBackoffDelaysTheNextAttempt() throws {
        let manager = try Self.openTransaction()
        let partition = ProducerPartition(topic: "t", partition: 0)
        manager.addPartitionsBackOff(until: 1_000)
        #expect(manager.addAttempts == 1)
        #expect(manager.addRetryAtNanos == 1_000)
        #expect(manager.partitionsToAdd([partition], now: 999).isEmpty)
        #expect(manager.partitionsToAdd([partition], now: 1_000) == [partition])
        manager.partitionsWereAdded([partition])
        #expect(manager.addAttempts == 0)
        #expect(manager.addRetryAtNanos == 0)
    }

    @Test func errorDispositionsFollowKafka() {
        #expect(TransactionErrorDisposition.of(.concurrentTransactions, in: .addPartitions) == .retry(findCoordinator: false, short: true))
        #expect(TransactionErrorDisposition.of(.coordinatorLoadInProgress, in: .endTxn) == .retry(findCoordinator: false, short: false))
        #expect(TransactionErrorDisposition.of(.notCoordinator, in: .initProducerId) == .retry(findCoordinator: true, short: false))
        #expect(TransactionErrorDisposition.of(.coordinatorNotAvailable, in: .addOffsets) == .retry(findCoordinator: true, short: false))
        #expect(TransactionErrorDisposition.of(.producerFenced, in: .endTxn) == .fenced)
        #expect(TransactionErrorDisposition.of(.invalidProducerEpoch, in: .produce) == .fenced)
        #expect(TransactionErrorDisposition.of(.transactionAbortable, in: .addPartitions) == .abortable)
        #expect(TransactionErrorDisposition.of(.invalidTxnState, in: .produce) == .abortable)
        #expect(TransactionErrorDisposition.of(.invalidTxnState, in: .endTxn) == .fatal)
        #expect(TransactionErrorDisposition.of(.transactionalIdAuthorizationFailed, in: .initProducerId) == .fatal)
        #expect(TransactionErrorDisposition.of(.illegalGeneration, in: .txnOffsetCommit) == .abortable)
        #expect(TransactionErrorDisposition.of(.unknownTopicOrPartition, in: .txnOffsetCommit) == .retry(findCoordinator: false, short: false))
        #expect(TransactionErrorDisposition.of(.unknownTopicOrPartition, in: .addPartitions) == .abortable)
    }

    @Test func configValidation() {
        var config = ProducerConfig()
        config.transactionalId = "tx"
        #expect(config.isTransactional)
        #expect(throws: Never.self) { try config.validate() }
        config.acks = .leader
        #expect(throws: KafkaClientError.self) { try config.validate() }
        config.acks = .all
        config.enableIdempotence = false
        #expect(throws: KafkaClientError.self) { try config.validate() }
        config.enableIdempotence = true
        config.transactionalId = ""
        #expect(throws: KafkaClientError.self) { try config.validate() }
        config.transactionalId = "tx"
        config.transactionTimeoutMs = 0
        #expect(throws: KafkaClientError.self) { try config.validate() }
    }

    @Test func nonTransactionalProducerRejectsTransactionCalls() throws {
        let producer = try KafkaProducer(config: ClientConfig(bootstrapServers: [.init(host: "127.0.0.1", port: 1)]))
        defer { producer.close() }
        #expect(producer.transactionState == nil)
        #expect(throws: KafkaClientError.self) { try producer.beginTransaction() }
        #expect(throws: KafkaClientError.self) { try producer.commitTransaction() }
    }

    @Test func transactionalBatchesCarryTheAttribute() throws {
        var batch = ProducerBatch(id: 1, partition: ProducerPartition(topic: "t", partition: 0), createdNanos: 0, deadlineNanos: .max)
        let input = RecordInput(key: nil, value: [1, 2], timestamp: 5)
        batch.append(input, ProducerPendingRecord(callback: { _ in }, timestamp: 5, flushEpoch: 0, deadlineNanos: .max))
        batch.encode(producerId: 9, producerEpoch: 2, baseSequence: 0, transactional: true)
        let wire = batch.wire
        let bytes = wire.header() + wire.records
        let header = try RecordBatchHeader(parsing: bytes, at: 0)
        #expect(header.isTransactional)
        #expect(!header.isControl)
        #expect(header.producerId == 9)
        #expect(try RecordBatchHeader.validate(bytes, at: 0).isTransactional, "the CRC covers the attribute")
    }

    // MARK: accumulator

    @Test func accumulatorDrainsOnlyAddedPartitionsAndFailsUnsentOnAbort() throws {
        var settings = ProducerAccumulator.Settings(
            lingerNanos: 0, batchSize: 1 << 20, maxRequestSize: 1 << 20, deliveryTimeoutMs: 60_000,
            retry: ProducerRetryPolicy(ClientConfig(bootstrapServers: [])), idempotent: true, maxInFlight: 5, maxBuffered: 1_000)
        settings.transactional = true
        let accumulator = ProducerAccumulator(settings: settings)
        let info = KafkaCluster.TopicInfo(name: "t", id: [], leaders: [1, 1])
        _ = accumulator.applyMetadata(["t": .success(info)], now: 0)
        let failures = Mutex<[KafkaClientError]>([])
        for partition: Int32 in [0, 1] {
            let result = accumulator.add(ProducerRecord(topic: "t", partition: partition, value: [1]), timestamp: 1,
                                         callback: { result in if case .failure(let error) = result { failures.withLock { $0.append(error) } } },
                                         urgent: true, now: 0)
            guard case .queued = result else { Issue.record("record for partition \(partition) not queued"); return }
        }
        #expect(!accumulator.producerIdNeeded(now: 0), "a transactional producer's id comes from initTransactions, never the sender")
        #expect(accumulator.drain(now: 1).isEmpty, "nothing is sent before the producer id is known")
        accumulator.setTransactionalProducerId(42, epoch: 3, now: 1)
        let p0 = ProducerPartition(topic: "t", partition: 0)
        #expect(Set(accumulator.partitionsWithUnsentBatches()) == [p0, ProducerPartition(topic: "t", partition: 1)])

        let requests = accumulator.drain(now: 2, allowed: [p0])
        let batches = requests.flatMap(\.batches)
        #expect(batches.map(\.partition) == [p0], "only partitions of the transaction are drained")
        let wire = try #require(batches.first).wire
        #expect(wire.isTransactional)
        #expect(wire.producerId == 42)
        #expect(wire.producerEpoch == 3)
        #expect(accumulator.partitionsWithUnsentBatches() == [ProducerPartition(topic: "t", partition: 1)])

        let reports = accumulator.failUnsent(.transactionAbortable("aborted"))
        #expect(reports.count == 1, "the unsent batch fails; the one in flight waits for its answer")
        for report in reports { report.callback(report.result) }
        #expect(failures.withLock { $0 } == [.transactionAbortable("aborted")])
        #expect(accumulator.partitionsWithUnsentBatches().isEmpty)
        #expect(!accumulator.producerIdIsStale)
    }

    // MARK: read_committed filter

    @Test func abortedTransactionsAreDroppedAndMarkersSkipped() throws {
        // Offsets: 0-1 producer 1 (txn, later aborted), 2-3 producer 2 (txn, later committed),
        // 4 abort marker of 1, 5 commit marker of 2, 6 producer 1 again (new txn, committed),
        // 7 a non-transactional record, 8 commit marker of 1.
        var log: [UInt8] = []
        log += Self.data(base: 0, producer: 1, values: [[0], [1]])
        log += Self.data(base: 2, producer: 2, values: [[2], [3]])
        log += Self.marker(base: 4, producer: 1, commit: false)
        log += Self.marker(base: 5, producer: 2, commit: true)
        log += Self.data(base: 6, producer: 1, values: [[6]])
        log += Self.data(base: 7, producer: -1, values: [[7]], transactional: false)
        log += Self.marker(base: 8, producer: 1, commit: true)

        let committed = try FetchedRecordsDecoder.decode(log, topic: "t", partition: 0, fetchOffset: 0, abortedTransactions: [(1, 0)])
        #expect(committed.records.map(\.offset) == [2, 3, 6, 7])
        #expect(committed.nextOffset == 9, "the position moves past the trailing marker")

        let uncommitted = try FetchedRecordsDecoder.decode(log, topic: "t", partition: 0, fetchOffset: 0)
        #expect(uncommitted.records.map(\.offset) == [0, 1, 2, 3, 6, 7], "read_uncommitted keeps aborted records, never markers")
        #expect(uncommitted.nextOffset == 9)

        // From the middle of the aborted transaction: still dropped.
        let middle = try FetchedRecordsDecoder.decode(log, topic: "t", partition: 0, fetchOffset: 1, abortedTransactions: [(1, 0)])
        #expect(middle.records.map(\.offset) == [2, 3, 6, 7])
        // An empty list (read_committed, nothing aborted) drops nothing but markers.
        let none = try FetchedRecordsDecoder.decode(log, topic: "t", partition: 0, fetchOffset: 0, abortedTransactions: [])
        #expect(none.records.map(\.offset) == [0, 1, 2, 3, 6, 7])
    }

    @Test func filterTracksTwoAbortedTransactionsOfOneProducer() {
        var filter = AbortedTransactionFilter([(producerId: 5, firstOffset: 10), (producerId: 5, firstOffset: 0)])
        func header(_ base: Int64, _ last: Int64, producer: Int64, control: Bool = false) -> RecordBatchHeader {
            RecordBatchHeader(baseOffset: base, batchLength: 0, partitionLeaderEpoch: -1, magic: 2, crc: 0,
                              attributes: control ? 0x30 : 0x10, lastOffsetDelta: Int32(last - base), baseTimestamp: 0, maxTimestamp: 0,
                              producerId: producer, producerEpoch: 0, baseSequence: 0, recordCount: 1)
        }
        let skip1 = filter.skips(header(0, 4, producer: 5), controlType: nil)
        #expect(skip1)
        let skip2 = filter.skips(header(5, 5, producer: 6), controlType: nil)
        #expect(!skip2, "another producer is not affected")
        let skip3 = filter.skips(header(6, 6, producer: 5, control: true), controlType: AbortedTransactionFilter.abortMarkerType)
        #expect(skip3)
        let skip4 = filter.skips(header(7, 9, producer: 5), controlType: nil)
        #expect(!skip4, "between its aborted transactions the producer's records count")
        let skip5 = filter.skips(header(10, 12, producer: 5), controlType: nil)
        #expect(skip5, "its second aborted transaction starts at 10")
        let skip6 = filter.skips(header(13, 13, producer: 5, control: true), controlType: AbortedTransactionFilter.abortMarkerType)
        #expect(skip6)
        let skip7 = filter.skips(header(14, 14, producer: 5), controlType: nil)
        #expect(!skip7)
        #expect(AbortedTransactionFilter.controlType(ofKey: TransactionMarker(isCommit: false, coordinatorEpoch: 0).key) == 0)
        #expect(AbortedTransactionFilter.controlType(ofKey: TransactionMarker(isCommit: true, coordinatorEpoch: 0).key) == 1)
        #expect(AbortedTransactionFilter.controlType(ofKey: [0]) == nil)
    }

    // MARK: helpers

    static func openTransaction() throws -> TransactionManager {
        let manager = TransactionManager(transactionalId: "t")
        try manager.beginInit()
        manager.initialized(producerId: 1, producerEpoch: 0)
        try manager.begin()
        return manager
    }

    static func data(base: Int64, producer: Int64, values: [[UInt8]], transactional: Bool = true) -> [UInt8] {
        var builder = RecordBatchBuilder(baseOffset: base, producerId: producer, producerEpoch: producer >= 0 ? 0 : -1,
                                         baseSequence: producer >= 0 ? 0 : -1, isTransactional: transactional)
        for value in values { builder.append(RecordInput(value: value, timestamp: 1)) }
        return builder.build()
    }

    static func marker(base: Int64, producer: Int64, commit: Bool) -> [UInt8] {
        var bytes = TransactionMarker(isCommit: commit, coordinatorEpoch: 0).controlBatch(producerId: producer, producerEpoch: 0, timestamp: 1)
        // The base offset is outside the CRC.
        for index in 0..<8 { bytes[index] = UInt8(truncatingIfNeeded: base >> (8 * (7 - index))) }
        return bytes
    }
}
