import KafkaRecords
@testable import LogStorage
import SystemIO
import Testing

@Suite struct TransactionTests {
    let fs = MemoryFileSystem()
    let clock = ManualTimeSource()
    let dir = "/txn"

    func open(_ config: LogConfig = smallConfig(durability: .always, segmentBytes: 4096)) throws -> PartitionLog {
        try PartitionLog.open(directory: dir, config: config, fileSystem: fs, time: clock, logger: .silent)
    }

    /// A batch of `records` keyed records from `producer` (transactional by default).
    func batch(producer: Int64, epoch: Int16 = 0, sequence: Int32, records: Int = 2, transactional: Bool = true,
               key: String = "k") throws -> ValidatedBatches {
        var builder = RecordBatchBuilder(producerId: producer, producerEpoch: epoch, baseSequence: sequence, isTransactional: transactional)
        for i in 0..<records {
            builder.append(RecordInput(key: Array("\(key)\(i)".utf8), value: Array("p\(producer)-s\(sequence)-\(i)".utf8), timestamp: 1_000))
        }
        return try ValidatedBatches(validating: builder.build())
    }

    func marker(_ log: PartitionLog, producer: Int64, epoch: Int16 = 0, commit: Bool, coordinatorEpoch: Int32 = 0) throws -> AppendResult {
        try log.appendTransactionMarker(producerId: producer, producerEpoch: epoch, commit: commit,
                                        coordinatorEpoch: coordinatorEpoch, timestamp: 2_000, syncing: true)
    }

    /// Reads read_committed from the log start to the LSO as a consumer does and returns every
    /// aborted transaction reported (once each, in the order first seen).
    func abortedSeenByAConsumer(_ log: PartitionLog, maxBytes: Int = 1 << 20) throws -> [AbortedTransaction] {
        var seen: [AbortedTransaction] = []
        var next = log.offsets.logStartOffset
        while true {
            let read = try log.read(from: next, maxBytes: maxBytes, isolation: .readCommitted)
            guard let region = read.region else { break }
            for txn in read.abortedTransactions where !seen.contains(txn) { seen.append(txn) }
            let bytes = try region.readBytes()
            let batches = try RecordBatchIterator.batches(in: bytes, range: 0..<bytes.count, verifyCRC: true)
            next = (batches.last?.header.lastOffset ?? next) + 1
        }
        return seen
    }

    var txnIndexPath: String { "\(dir)/00000000000000000000.txnindex" }

    // MARK: LSO

    @Test func anOpenTransactionHoldsTheLastStableOffsetUntilItsMarker() throws {
        let log = try open()
        _ = try log.append(try batch(producer: 1, sequence: 0, transactional: false))  // 0-1: idempotent only
        #expect(log.offsets.lastStableOffset == 2)
        _ = try log.append(try batch(producer: 2, sequence: 0))  // 2-3 opens a transaction
        _ = try log.append(try batch(producer: 2, sequence: 2))  // 4-5 same transaction
        #expect(log.offsets.lastStableOffset == 2)
        #expect(log.offsets.highWatermark == 6)
        let commit = try marker(log, producer: 2, commit: true)
        #expect(commit.baseOffset == 6 && commit.lastOffset == 6)
        #expect(log.offsets.lastStableOffset == 7)
        #expect(log.offsets == LogOffsets(logStartOffset: 0, highWatermark: 7, logEndOffset: 7, lastStableOffset: 7))
        // A new transaction of the same producer opens at its first batch.
        _ = try log.append(try batch(producer: 2, sequence: 4))
        #expect(log.offsets.lastStableOffset == 7)
        _ = try marker(log, producer: 2, commit: false)
        #expect(log.offsets.lastStableOffset == 10)
    }

    @Test func interleavedProducersHoldTheLastStableOffsetAtTheEarliestOpenTransaction() throws {
        let log = try open()
        _ = try log.append(try batch(producer: 1, sequence: 0))  // 0-1
        _ = try log.append(try batch(producer: 2, sequence: 0))  // 2-3
        _ = try log.append(try batch(producer: 1, sequence: 2))  // 4-5
        #expect(log.offsets.lastStableOffset == 0)
        _ = try marker(log, producer: 2, commit: true)  // 6
        #expect(log.offsets.lastStableOffset == 0, "producer 1 still holds it")
        _ = try log.append(try batch(producer: 3, sequence: 0))  // 7-8
        _ = try marker(log, producer: 1, commit: false)  // 9
        #expect(log.offsets.lastStableOffset == 7, "now producer 3's transaction holds it")
        _ = try marker(log, producer: 3, commit: true)  // 10
        #expect(log.offsets.lastStableOffset == 11)
    }

    @Test func aMarkerNotYetSyncedHoldsTheLastStableOffset() throws {
        let log = try open()
        _ = try log.append(try batch(producer: 5, sequence: 0))
        let written = try log.appendTransactionMarker(producerId: 5, producerEpoch: 0, commit: true, coordinatorEpoch: 0,
                                                      timestamp: nil, syncing: false)
        #expect(written.syncThrough == 3)
        #expect(log.offsets.lastStableOffset == 0, "the marker is above the high watermark")
        try log.sync(through: 3)
        #expect(log.offsets.lastStableOffset == 3)
    }

    // MARK: refusals

    @Test func aNonTransactionalBatchDuringAnOpenTransactionIsRefused() throws {
        let log = try open()
        _ = try log.append(try batch(producer: 1, sequence: 0))
        #expect(throws: LogStorageError.self) { try log.append(try batch(producer: 1, sequence: 2, transactional: false)) }
        do {
            _ = try log.append(try batch(producer: 1, sequence: 2, transactional: false))
        } catch let error as LogStorageError {
            guard case .invalidTxnState = error else { Issue.record("expected invalidTxnState, got \(error)"); return }
        }
        #expect(log.offsets.logEndOffset == 2)
        _ = try marker(log, producer: 1, commit: true)
        #expect(try log.append(try batch(producer: 1, sequence: 2, transactional: false)).baseOffset == 3, "allowed once the transaction ended")
    }

    @Test func staleEpochsAndFencedCoordinatorsAreRefused() throws {
        let log = try open()
        _ = try log.append(try batch(producer: 1, epoch: 3, sequence: 0))
        #expect(throws: LogStorageError.invalidProducerEpoch(producerId: 1, current: 3, got: 2)) {
            try log.append(try batch(producer: 1, epoch: 2, sequence: 2))
        }
        #expect(throws: LogStorageError.invalidProducerEpoch(producerId: 1, current: 3, got: 2)) {
            try marker(log, producer: 1, epoch: 2, commit: false)
        }
        _ = try marker(log, producer: 1, epoch: 3, commit: true, coordinatorEpoch: 7)
        #expect(throws: LogStorageError.transactionCoordinatorFenced(producerId: 1, current: 7, got: 6)) {
            try marker(log, producer: 1, epoch: 3, commit: true, coordinatorEpoch: 6)
        }
        // A marker may bump the epoch; the old epoch is then stale.
        _ = try marker(log, producer: 1, epoch: 4, commit: false, coordinatorEpoch: 7)
        #expect(throws: LogStorageError.invalidProducerEpoch(producerId: 1, current: 4, got: 3)) {
            try log.append(try batch(producer: 1, epoch: 3, sequence: 2))
        }
        #expect(log.offsets.logEndOffset == 4)
    }

    // MARK: read_committed

    @Test func readCommittedStopsAtTheLastStableOffsetAndListsAbortedTransactions() throws {
        let log = try open()
        _ = try log.append(try batch(producer: 1, sequence: 0))  // 0-1 aborted
        _ = try log.append(try batch(producer: 2, sequence: 0))  // 2-3 committed
        _ = try marker(log, producer: 1, commit: false)  // 4
        _ = try marker(log, producer: 2, commit: true)  // 5
        _ = try log.append(try batch(producer: 3, sequence: 0))  // 6-7 open
        #expect(log.offsets.lastStableOffset == 6)

        let committed = try log.read(from: 0, maxBytes: 1 << 20, isolation: .readCommitted)
        let bytes = try #require(committed.region).readBytes()
        let batches = try RecordBatchIterator.batches(in: bytes, range: 0..<bytes.count, verifyCRC: true)
        #expect(batches.last?.header.lastOffset == 5, "nothing at or above the LSO")
        #expect(committed.abortedTransactions == [AbortedTransaction(producerId: 1, firstOffset: 0)])
        // read_uncommitted sees everything and lists nothing.
        let uncommitted = try log.read(from: 0, maxBytes: 1 << 20)
        #expect(try #require(uncommitted.region).length > bytes.count)
        #expect(uncommitted.abortedTransactions.isEmpty)
        // Between the LSO and the high watermark: nothing yet, no error.
        #expect(try log.read(from: 6, maxBytes: 1 << 20, isolation: .readCommitted).region == nil)
        // A range after the aborted transaction's marker does not list it.
        let later = try log.read(from: 5, maxBytes: 1 << 20, isolation: .readCommitted)
        #expect(later.region != nil && later.abortedTransactions.isEmpty)
        // A small read that stops before the aborted transaction's first offset... starts at it here;
        // one that starts at the committed batch still overlaps the aborted one (its marker is later).
        let middle = try log.read(from: 2, maxBytes: 1, isolation: .readCommitted)
        #expect(middle.abortedTransactions == [AbortedTransaction(producerId: 1, firstOffset: 0)])
    }

    @Test func abortedTransactionsAreFoundAcrossSegments() throws {
        let log = try open(smallConfig(durability: .always, segmentBytes: 600))
        _ = try log.append(try batch(producer: 1, sequence: 0, records: 3))
        var sequence: Int32 = 0
        for _ in 0..<10 {  // another producer's committed data rolls a few segments
            _ = try log.append(try batch(producer: 2, sequence: sequence, records: 3, transactional: false))
            sequence += 3
        }
        let abort = try marker(log, producer: 1, commit: false)
        #expect(log.segmentCount > 2)
        let read = try log.read(from: 0, maxBytes: 100, isolation: .readCommitted)
        #expect(read.region != nil)
        #expect(read.abortedTransactions == [AbortedTransaction(producerId: 1, firstOffset: 0)])
        #expect(try log.read(from: abort.lastOffset + 1, maxBytes: 100, isolation: .readCommitted).abortedTransactions.isEmpty)
    }

    // MARK: transaction index

    @Test func abortMarkersWriteKafkasTransactionIndexEntries() throws {
        let log = try open()
        _ = try log.append(try batch(producer: 1, sequence: 0))  // 0-1
        _ = try log.append(try batch(producer: 2, sequence: 0))  // 2-3
        _ = try marker(log, producer: 1, commit: false)  // 4: LSO after it is producer 2's first offset
        _ = try marker(log, producer: 2, commit: true)  // 5: commit, no entry
        _ = try marker(log, producer: 7, commit: false)  // 6: no open transaction: written, no entry
        #expect(log.offsets.logEndOffset == 7)
        var expected: [UInt8] = []
        for value: Int64 in [1, 0, 4, 2] { appendBigEndian(value, to: &expected) }
        expected.insert(contentsOf: [0, 0], at: 0)
        #expect(fs.contents(of: txnIndexPath) == expected)
    }

    @Test(arguments: [false, true])
    func theTransactionIndexIsRebuiltWhenMissing(crash: Bool) throws {
        var log = try open(smallConfig(durability: .always, segmentBytes: 600))
        _ = try log.append(try batch(producer: 1, sequence: 0, records: 3))
        var sequence: Int32 = 0
        for _ in 0..<6 {
            _ = try log.append(try batch(producer: 2, sequence: sequence, records: 3, transactional: false))
            sequence += 3
        }
        _ = try marker(log, producer: 1, commit: false)
        _ = try log.append(try batch(producer: 3, sequence: 0))
        _ = try marker(log, producer: 3, commit: false)
        let before = try abortedSeenByAConsumer(log)
        #expect(before == [AbortedTransaction(producerId: 1, firstOffset: 0), AbortedTransaction(producerId: 3, firstOffset: log.offsets.logEndOffset - 3)])
        let txnIndexes = try fs.listDirectory(dir).filter { $0.hasSuffix(".txnindex") }
        #expect(txnIndexes.count == log.segmentCount - 1 || txnIndexes.count == log.segmentCount, "sealed segments have one each")
        if crash {
            var random = SplitMix64(seed: 11)
            fs.crash(using: &random)
        } else {
            try log.close()
        }
        for name in txnIndexes { try fs.removeFile("\(dir)/\(name)") }
        log = try open(smallConfig(durability: .always, segmentBytes: 600))
        #expect(try abortedSeenByAConsumer(log) == before)
        #expect(log.offsets.lastStableOffset == log.offsets.highWatermark)
    }

    // MARK: restart

    @Test(arguments: [false, true])
    func anOpenTransactionSurvivesRestarts(crash: Bool) throws {
        var log = try open()
        _ = try log.append(try batch(producer: 1, sequence: 0))  // 0-1 committed
        _ = try marker(log, producer: 1, commit: true, coordinatorEpoch: 4)  // 2
        _ = try log.append(try batch(producer: 2, sequence: 0))  // 3-4 open
        _ = try log.append(try batch(producer: 1, sequence: 2))  // 5-6 open
        if crash {
            var random = SplitMix64(seed: 3)
            fs.crash(using: &random)  // all acknowledged under `always`
        } else {
            try log.close()
        }
        log = try open()
        #expect(log.offsets.lastStableOffset == 3)
        #expect(log.activeProducers == [
            ActiveProducer(producerId: 1, producerEpoch: 0, lastSequence: 3, lastTimestamp: 1_000, coordinatorEpoch: 4, currentTxnStartOffset: 5),
            ActiveProducer(producerId: 2, producerEpoch: 0, lastSequence: 1, lastTimestamp: 1_000, coordinatorEpoch: -1, currentTxnStartOffset: 3),
        ])
        #expect(throws: LogStorageError.self) { try log.append(try batch(producer: 2, sequence: 2, transactional: false)) }
        _ = try marker(log, producer: 2, commit: false)
        #expect(log.offsets.lastStableOffset == 5)
        #expect(throws: LogStorageError.transactionCoordinatorFenced(producerId: 1, current: 4, got: 3)) {
            try marker(log, producer: 1, commit: true, coordinatorEpoch: 3)
        }
    }

    @Test func aVersionOneSnapshotStillLoads() throws {
        var log = try open()
        _ = try log.append(try batch(producer: 42, sequence: 0, records: 3, transactional: false))
        try log.close()
        // Version 1: INT64 offset, INT32 count, per producer INT64 id, INT16 epoch, INT64
        // lastOffset, INT8 n, n batches; CRC-32C.
        var writer = ByteWriter()
        writer.writeInt64(3)
        writer.writeInt32(1)
        writer.writeInt64(42)
        writer.writeInt16(0)
        writer.writeInt64(2)
        writer.writeInt8(1)
        writer.writeInt32(0)
        writer.writeInt32(2)
        writer.writeInt64(0)
        writer.writeInt64(2)
        writer.writeUInt32(CRC32C.checksum(writer.bytes))
        let parsed = try #require(ProducerStateTable.parse(writer.bytes))
        #expect(parsed.offset == 3)
        #expect(parsed.table.producers[42]?.batches.count == 1)
        #expect(parsed.table.producers[42]?.currentTxnFirstOffset == nil)
        fs.setContents(writer.bytes, of: "\(dir)/producer.snapshot")
        log = try open()
        #expect(try log.append(try batch(producer: 42, sequence: 0, records: 3, transactional: false)).isDuplicate)
        // And a version-2 snapshot round-trips the transaction fields.
        var table = ProducerStateTable()
        table.record(RecordBatchHeader(baseOffset: 10, batchLength: 49, partitionLeaderEpoch: 0, crc: 0, attributes: 0x10,
                                       lastOffsetDelta: 1, baseTimestamp: 5, maxTimestamp: 6, producerId: 8, producerEpoch: 2,
                                       baseSequence: 0, recordCount: 2))
        let round = try #require(ProducerStateTable.parse(table.serialized(upTo: 12)))
        #expect(round.table == table && round.table.firstOpenOffset == 10 && round.table.producers[8]?.lastTimestamp == 6)
    }

    // MARK: compaction and retention

    @Test func compactionRemovesAbortedRecordsAndKeepsCommittedOnesAndMarkers() throws {
        var config = compactedConfig(segmentBytes: 1024)
        config.minCleanableDirtyRatio = 0.01
        let log = try open(config)
        _ = try log.append(try batch(producer: 1, sequence: 0, records: 2, key: "a"))  // 0-1 aborted
        _ = try log.append(try batch(producer: 2, sequence: 0, records: 2, key: "b"))  // 2-3 committed
        _ = try marker(log, producer: 1, commit: false)  // 4
        _ = try marker(log, producer: 2, commit: true)  // 5
        _ = try log.append(try batch(producer: 3, sequence: 0, records: 2, key: "c"))  // 6-7 open: above the LSO
        for i in 0..<20 { _ = try log.append(try keyedBatch([KeyedRecord(key: "z\(i)", value: "v")])) }
        try log.flush()
        #expect(log.segmentCount > 1)
        // Only segments wholly below the LSO (6) may be cleaned.
        _ = try log.compact(force: true)
        var records = try readAllRecords(log)
        #expect(records.contains { $0.key == "c0" }, "the open transaction is not touched")
        _ = try marker(log, producer: 3, commit: true)
        for i in 0..<20 { _ = try log.append(try keyedBatch([KeyedRecord(key: "y\(i)", value: "v")])) }
        _ = try log.compact(force: true)
        records = try readAllRecords(log)
        #expect(!records.contains { $0.key?.hasPrefix("a") == true }, "aborted records are removed")
        #expect(records.filter { $0.key?.hasPrefix("b") == true }.count == 2, "committed ones stay")
        #expect(records.contains { $0.key == "c0" })
        // Markers stay, so read_committed still learns of the abort.
        var controls = 0
        var next = log.offsets.logStartOffset
        while let region = try log.read(from: next, maxBytes: 1 << 20).region {
            let bytes = try region.readBytes()
            let batches = try RecordBatchIterator.batches(in: bytes, range: 0..<bytes.count, verifyCRC: true)
            controls += batches.filter { $0.header.isControl }.count
            next = (batches.last?.header.lastOffset ?? next) + 1
        }
        #expect(controls == 3)
        #expect(try log.read(from: 0, maxBytes: 1 << 20, isolation: .readCommitted).abortedTransactions
                == [AbortedTransaction(producerId: 1, firstOffset: 0)])
    }

    @Test func retentionNeverLetsTheLastStableOffsetFallBelowTheLogStart() throws {
        var config = smallConfig(durability: .always, segmentBytes: 600)
        config.retentionBytes = 700
        let log = try open(config)
        _ = try log.append(try batch(producer: 1, sequence: 0, records: 3))  // open transaction at 0
        var sequence: Int32 = 0
        for _ in 0..<12 {
            _ = try log.append(try batch(producer: 2, sequence: sequence, records: 3, transactional: false))
            sequence += 3
        }
        #expect(try log.applyRetention() > 0)
        let offsets = log.offsets
        #expect(offsets.logStartOffset > 0)
        #expect(offsets.lastStableOffset == offsets.logStartOffset, "the open transaction's start is gone; the LSO stops at the log start")
        #expect(log.activeProducers.first { $0.producerId == 1 }?.currentTxnStartOffset == 0)
        _ = try marker(log, producer: 1, commit: false)
        #expect(log.offsets.lastStableOffset == log.offsets.highWatermark)
    }
}
