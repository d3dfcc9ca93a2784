import Broker
import KafkaProtocol
import KafkaRecords
import LogStorage
import SystemIO
import Testing

/// The topic configs a produced batch must satisfy (min.insync.replicas with acks=all,
/// message.timestamp.before/after.max.ms, keys on compacted topics) with Kafka 4's codes,
/// messages and record_errors, and message.timestamp.type=LogAppendTime stamping batches.
/// A refused batch appends nothing and uses no offset.
@Suite struct ProduceRulesTests {
    typealias RecordError = ProduceResponse.BatchIndexAndErrorMessage

    let clock = ManualTimeSource()
    var now: Int64 { clock.wallMillis() }

    func harness(_ configure: @escaping (inout BrokerConfig) -> Void = { _ in }) throws -> BrokerHarness {
        try BrokerHarness(configure: configure, time: clock)
    }

    /// A batch with one record per timestamp (keyed `k<i>` unless `keys` says otherwise).
    static func batch(timestamps: [Int64], keys: [String?]? = nil, baseOffset: Int64 = 0) -> [UInt8] {
        var builder = RecordBatchBuilder()
        builder.baseOffset = baseOffset
        for (i, timestamp) in timestamps.enumerated() {
            let key = keys.map { $0[i] } ?? "k\(i)"
            builder.append(RecordInput(key: key.map { Array($0.utf8) }, value: Array("v\(i)".utf8), timestamp: timestamp))
        }
        return builder.build()
    }

    /// The same records as `batch`, snappy-compressed (raw snappy: one literal), as producers
    /// usually send them.
    static func snappyBatch(timestamps: [Int64], keys: [String?]) -> [UInt8] {
        var builder = RecordBatchBuilder()
        for (i, timestamp) in timestamps.enumerated() {
            builder.append(RecordInput(key: keys[i].map { Array($0.utf8) }, value: Array("v\(i)".utf8), timestamp: timestamp))
        }
        let records = builder.encodedRecords
        precondition(records.count > 60 && records.count <= 256, "one 1-byte-length literal")
        var snappy: [UInt8] = []
        var length = records.count
        while length >= 0x80 { snappy.append(UInt8(length & 0x7F) | 0x80); length >>= 7 }
        snappy.append(UInt8(length))
        snappy += [60 << 2, UInt8(records.count - 1)] + records
        return RecordBatchBuilder.assemble(attributes: 2, lastOffsetDelta: Int32(timestamps.count - 1), baseTimestamp: timestamps[0],
                                           maxTimestamp: timestamps.max() ?? -1, producerId: -1, producerEpoch: -1, baseSequence: -1,
                                           recordCount: Int32(timestamps.count), records: snappy)
    }

    /// Expects a refusal that appended nothing: base offset -1, no append time, the log start
    /// offset, and the log end offset as it was.
    func expectNothingAppended(_ response: ProduceResponse.PartitionProduceResponse, _ harness: BrokerHarness, topic: String, logEnd: Int64,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.baseOffset == -1, sourceLocation: sourceLocation)
        #expect(response.logAppendTimeMs == -1, sourceLocation: sourceLocation)
        #expect(response.logStartOffset == 0, sourceLocation: sourceLocation)
        #expect(try harness.store.partition(topic, 0).offsets.logEndOffset == logEnd, sourceLocation: sourceLocation)
    }

    // MARK: min.insync.replicas

    @Test func minInsyncReplicasAboveOneRefusesAcksAll() throws {
        var harness = try harness()
        try harness.createTopic("t", ["min.insync.replicas": "2"])
        let response = try #require(try harness.produce("t", Self.batch(timestamps: [now]), acks: -1))
        #expect(response.errorCode == .notEnoughReplicas)
        #expect(response.errorMessage == "The size of the current ISR : 1 is insufficient to satisfy the min.isr requirement of 2 for partition t-0, live replica(s) broker.id are : [0]")
        #expect(response.recordErrors.isEmpty)
        try expectNothingAppended(response, harness, topic: "t", logEnd: 0)
    }

    @Test func minInsyncReplicasDoesNotConcernAcksOneOrZero() throws {
        var harness = try harness()
        try harness.createTopic("t", ["min.insync.replicas": "3"])
        let one = try #require(try harness.produce("t", Self.batch(timestamps: [now]), acks: 1))
        #expect(one.errorCode == .none)
        #expect(one.baseOffset == 0)
        let request = ProduceRequest(acks: 0, timeoutMs: 100, topicData: [.init(name: "t", partitionData: [.init(index: 0, records: .inline(Self.batch(timestamps: [now])))])])
        guard case .noResponse = harness.broker.handle(frame: harness.frame(request, version: 9, correlationId: 99)) else {
            Issue.record("acks=0 must not be answered")
            return
        }
        #expect(try harness.store.partition("t", 0).offsets.logEndOffset == 2)
    }

    @Test func minInsyncReplicasOfOneAcceptsAcksAll() throws {
        var harness = try harness()
        try harness.createTopic("t", ["min.insync.replicas": "1"])
        #expect(try harness.produce("t", Self.batch(timestamps: [now]), acks: -1)?.errorCode == ErrorCode.none)
    }

    @Test func aDynamicBrokerMinInsyncReplicasAppliesAtOnce() throws {
        var harness = try harness()
        try harness.createTopic("t")
        try harness.createTopic("own", ["min.insync.replicas": "1"])
        #expect(try harness.incrementalAlter(Resource.broker, "", [("min.insync.replicas", Op.set, "2")]) == .ok)
        #expect(try harness.produce("t", Self.batch(timestamps: [now]))?.errorCode == .notEnoughReplicas)
        #expect(try harness.produce("own", Self.batch(timestamps: [now]))?.errorCode == ErrorCode.none)
    }

    @Test func notEnoughReplicasComesBeforeRecordChecks() throws {
        var harness = try harness()
        try harness.createTopic("t", ["min.insync.replicas": "2", "cleanup.policy": "compact", "message.timestamp.before.max.ms": "0"])
        let response = try #require(try harness.produce("t", Self.batch(timestamps: [0], keys: [nil])))
        #expect(response.errorCode == .notEnoughReplicas)
        #expect(response.recordErrors.isEmpty)
    }

    // MARK: timestamps

    @Test func recordsOlderThanBeforeMaxAreRefusedEachNamed() throws {
        var harness = try harness()
        try harness.createTopic("t", ["message.timestamp.before.max.ms": "1000"])
        let response = try #require(try harness.produce("t", Self.batch(timestamps: [now, now - 1001, now - 1000, now - 5000])))
        #expect(response.errorCode == .invalidTimestamp)
        #expect(response.errorMessage == "One or more records have been rejected due to invalid timestamp")
        let bounds = "[\(now - 1000), \(now + 3_600_000)]"
        #expect(response.recordErrors == [
            RecordError(batchIndex: 1, batchIndexErrorMessage: "Timestamp \(now - 1001) of message with offset 1 is out of range. The timestamp should be within \(bounds)"),
            RecordError(batchIndex: 3, batchIndexErrorMessage: "Timestamp \(now - 5000) of message with offset 3 is out of range. The timestamp should be within \(bounds)"),
        ])
        try expectNothingAppended(response, harness, topic: "t", logEnd: 0)
        // No offset was used: the next good batch starts at 0.
        #expect(try harness.produce("t", Self.batch(timestamps: [now - 1000, now]))?.baseOffset == 0)
    }

    @Test func recordsTooFarAheadAreRefusedByTheDefaultAfterMax() throws {
        var harness = try harness()
        try harness.createTopic("t")
        let response = try #require(try harness.produce("t", Self.batch(timestamps: [now + 3_600_001])))
        #expect(response.errorCode == .invalidTimestamp)
        // before.max.ms is Long.MAX: the lower bound is Java's wrapped now - Long.MAX.
        #expect(response.recordErrors == [RecordError(batchIndex: 0, batchIndexErrorMessage:
            "Timestamp \(now + 3_600_001) of message with offset 0 is out of range. The timestamp should be within [\(now &- Int64.max), \(now + 3_600_000)]")])
        try expectNothingAppended(response, harness, topic: "t", logEnd: 0)
        #expect(try harness.produce("t", Self.batch(timestamps: [now + 3_600_000]))?.errorCode == ErrorCode.none, "the bound itself is fine")
    }

    @Test func theAfterBoundIsCheckedPerRecordNotJustTheBatchMaximum() throws {
        var harness = try harness()
        try harness.createTopic("t", ["message.timestamp.after.max.ms": "10", "message.timestamp.before.max.ms": "100000"])
        let response = try #require(try harness.produce("t", Self.batch(timestamps: [now + 11, now, now + 50])))
        #expect(response.recordErrors.map(\.batchIndex) == [0, 2])
    }

    @Test func theOffsetInTheMessageIsTheOneTheProducerSent() throws {
        var harness = try harness()
        try harness.createTopic("t", ["message.timestamp.before.max.ms": "0"])
        let response = try #require(try harness.produce("t", Self.batch(timestamps: [now, now - 1], baseOffset: 40)))
        #expect(response.recordErrors.first?.batchIndexErrorMessage?.hasPrefix("Timestamp \(now - 1) of message with offset 41 is out of range.") == true)
        #expect(response.recordErrors.map(\.batchIndex) == [1])
    }

    @Test func recordsWithoutTimestampAreNotChecked() throws {
        var harness = try harness()
        try harness.createTopic("t", ["message.timestamp.before.max.ms": "0", "message.timestamp.after.max.ms": "0"])
        let response = try #require(try harness.produce("t", Self.batch(timestamps: [-1, -1, now])))
        #expect(response.errorCode == .none)
        #expect(response.baseOffset == 0)
    }

    @Test(arguments: [Int64.min, Int64.min + 1, -2, Int64.max])
    func extremeTimestampsAreRefusedWithoutTrapping(timestamp: Int64) throws {
        var harness = try harness()
        try harness.createTopic("t", ["message.timestamp.before.max.ms": "1000"])
        let response = try #require(try harness.produce("t", Self.batch(timestamps: [timestamp])))
        #expect(response.errorCode == .invalidTimestamp)
        #expect(response.recordErrors == [RecordError(batchIndex: 0, batchIndexErrorMessage:
            "Timestamp \(timestamp) of message with offset 0 is out of range. The timestamp should be within [\(now - 1000), \(now + 3_600_000)]")])
        try expectNothingAppended(response, harness, topic: "t", logEnd: 0)
    }

    @Test func aLogAppendTimeTopicDoesNotCheckTimestamps() throws {
        var harness = try harness()
        try harness.createTopic("t", ["message.timestamp.type": "LogAppendTime", "message.timestamp.before.max.ms": "0", "message.timestamp.after.max.ms": "0"])
        let response = try #require(try harness.produce("t", Self.batch(timestamps: [0, now + 86_400_000])))
        #expect(response.errorCode == .none)
        #expect(response.baseOffset == 0)
    }

    @Test func timestampBoundsChangedAtRunTimeApplyToTheNextBatch() throws {
        var harness = try harness()
        try harness.createTopic("t")
        #expect(try harness.produce("t", Self.batch(timestamps: [now - 10_000]))?.errorCode == ErrorCode.none)
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("message.timestamp.before.max.ms", Op.set, "5000")]) == .ok)
        #expect(try harness.produce("t", Self.batch(timestamps: [now - 10_000]))?.errorCode == .invalidTimestamp)
        #expect(try harness.incrementalAlter(Resource.broker, "", [("log.message.timestamp.after.max.ms", Op.set, "0")]) == .ok)
        #expect(try harness.produce("t", Self.batch(timestamps: [now + 1]))?.errorCode == .invalidTimestamp)
        #expect(try harness.produce("t", Self.batch(timestamps: [now]))?.baseOffset == 1)
    }

    @Test func producesBeforeV8GetTheCodeWithoutRecordErrors() throws {
        var harness = try harness()
        try harness.createTopic("t", ["message.timestamp.before.max.ms": "0"])
        let response = try #require(try harness.produce("t", Self.batch(timestamps: [now - 1]), version: 7))
        #expect(response.errorCode == .invalidTimestamp)
        #expect(response.recordErrors.isEmpty)
        #expect(response.errorMessage == nil)
        #expect(try harness.store.partition("t", 0).offsets.logEndOffset == 0)
    }

    // MARK: keys on compacted topics

    @Test(arguments: ["compact", "compact,delete", "delete,compact"])
    func aCompactedTopicRefusesRecordsWithoutKey(policy: String) throws {
        var harness = try harness()
        try harness.createTopic("t", ["cleanup.policy": policy])
        let response = try #require(try harness.produce("t", Self.batch(timestamps: Array(repeating: now, count: 6), keys: ["a", nil, "b", nil, nil, nil])))
        let message = "Compacted topic cannot accept message without key in topic partition t-0"
        #expect(response.errorCode == .invalidRecord)
        #expect(response.recordErrors == [1, 3, 4, 5].map { RecordError(batchIndex: $0, batchIndexErrorMessage: message) })
        #expect(response.errorMessage == "One or more records have been rejected due to 4 record errors in total, and only showing the first three errors at most: [RecordError(batchIndex=1, message='\(message)'), RecordError(batchIndex=3, message='\(message)'), RecordError(batchIndex=4, message='\(message)')]")
        try expectNothingAppended(response, harness, topic: "t", logEnd: 0)
    }

    @Test func theMessageNamesThePartition() throws {
        var harness = try harness()
        try harness.createTopic("orders", partitions: 3, ["cleanup.policy": "compact"])
        let response = try #require(try harness.produce("orders", partition: 2, Self.batch(timestamps: [now], keys: [nil])))
        #expect(response.errorMessage == "One or more records have been rejected due to 1 record errors in total, and only showing the first three errors at most: [RecordError(batchIndex=0, message='Compacted topic cannot accept message without key in topic partition orders-2')]")
        #expect(try harness.store.partition("orders", 2).offsets.logEndOffset == 0)
    }

    @Test func keyedRecordsAndDeleteTopicsAreFine() throws {
        var harness = try harness()
        try harness.createTopic("compacted", ["cleanup.policy": "compact"])
        try harness.createTopic("deleted")
        #expect(try harness.produce("compacted", Self.batch(timestamps: [now, now]))?.baseOffset == 0)
        #expect(try harness.produce("deleted", Self.batch(timestamps: [now], keys: [nil]))?.baseOffset == 0)
    }

    @Test func turningCompactionOnAtRunTimeRefusesTheNextKeylessBatch() throws {
        var harness = try harness()
        try harness.createTopic("t")
        #expect(try harness.produce("t", Self.batch(timestamps: [now], keys: [nil]))?.errorCode == ErrorCode.none)
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("cleanup.policy", Op.append, "compact")]) == .ok)
        #expect(try harness.produce("t", Self.batch(timestamps: [now], keys: [nil]))?.errorCode == .invalidRecord)
    }

    @Test func aBatchWithBothKindsOfErrorIsInvalidTimestampAndListsBoth() throws {
        var harness = try harness()
        try harness.createTopic("t", ["cleanup.policy": "compact", "message.timestamp.before.max.ms": "1000"])
        let response = try #require(try harness.produce("t", Self.batch(timestamps: [now, now - 2000, now - 2000], keys: [nil, "k", nil])))
        #expect(response.errorCode == .invalidTimestamp)
        #expect(response.errorMessage == "One or more records have been rejected due to invalid timestamp")
        // Per record the missing key is reported first, as Kafka's LogValidator does.
        #expect(response.recordErrors == [
            RecordError(batchIndex: 0, batchIndexErrorMessage: "Compacted topic cannot accept message without key in topic partition t-0"),
            RecordError(batchIndex: 1, batchIndexErrorMessage: "Timestamp \(now - 2000) of message with offset 1 is out of range. The timestamp should be within [\(now - 1000), \(now + 3_600_000)]"),
            RecordError(batchIndex: 2, batchIndexErrorMessage: "Compacted topic cannot accept message without key in topic partition t-0"),
        ])
        try expectNothingAppended(response, harness, topic: "t", logEnd: 0)
    }

    @Test func aKeylessRecordWithABadTimestampIsOnlyAKeyError() throws {
        var harness = try harness()
        try harness.createTopic("t", ["cleanup.policy": "compact", "message.timestamp.before.max.ms": "1000"])
        let response = try #require(try harness.produce("t", Self.batch(timestamps: [now - 2000], keys: [nil])))
        #expect(response.errorCode == .invalidRecord)
        #expect(response.recordErrors == [RecordError(batchIndex: 0, batchIndexErrorMessage: "Compacted topic cannot accept message without key in topic partition t-0")])
    }

    @Test func compressedBatchesAreCheckedRecordByRecord() throws {
        var harness = try harness()
        try harness.createTopic("t", ["cleanup.policy": "compact", "message.timestamp.before.max.ms": "1000"])
        let timestamps = Array(repeating: now, count: 8)
        let keyless = try #require(try harness.produce("t", Self.snappyBatch(timestamps: timestamps, keys: ["a", "b", nil, "c", "d", "e", "f", nil])))
        #expect(keyless.errorCode == .invalidRecord)
        #expect(keyless.recordErrors.map(\.batchIndex) == [2, 7])
        let old = try #require(try harness.produce("t", Self.snappyBatch(timestamps: timestamps.enumerated().map { $0.offset == 5 ? now - 1001 : $0.element },
                                                                         keys: Array(repeating: "k", count: 8))))
        #expect(old.errorCode == .invalidTimestamp)
        #expect(old.recordErrors.map(\.batchIndex) == [5])
        #expect(try harness.store.partition("t", 0).offsets.logEndOffset == 0)
        let good = try #require(try harness.produce("t", Self.snappyBatch(timestamps: timestamps, keys: Array(repeating: "k", count: 8))))
        #expect(good.errorCode == .none)
        #expect(good.baseOffset == 0)
    }

    // MARK: LogAppendTime

    @Test func logAppendTimeStampsTheBatchWithTheBrokersClock() throws {
        var harness = try harness()
        try harness.createTopic("t", ["message.timestamp.type": "LogAppendTime"])
        let sent: [Int64] = [1_000, 3_000, 2_000]
        let first = try #require(try harness.produce("t", Self.batch(timestamps: sent)))
        #expect(first.errorCode == .none)
        #expect(first.logAppendTimeMs == now)
        let firstTime = now
        clock.advance(millis: 5_000)
        let second = try #require(try harness.produce("t", Self.batch(timestamps: [4_000])))
        #expect(second.logAppendTimeMs == firstTime + 5_000)
        #expect(second.baseOffset == 3)

        let fetched = try harness.send(BrokerHarness.fetch("t", offset: 0), version: 12)
        let bytes = try #require(fetched.responses.first?.partitions.first?.records?.bytes)
        let batches = try RecordBatchIterator.batches(in: bytes, range: 0..<bytes.count, verifyCRC: true)
        #expect(batches.count == 2)
        let headers = batches.map(\.0)
        #expect(headers.map(\.timestampType) == [.logAppendTime, .logAppendTime])
        #expect(headers.map { $0.attributes & 0x08 } == [0x08, 0x08])
        #expect(headers.map(\.maxTimestamp) == [firstTime, firstTime + 5_000])
        #expect(headers.map(\.baseTimestamp) == [1_000, 4_000], "the producer's base timestamp is kept")
        let records = try BrokerHarness.records(in: fetched.responses.first?.partitions.first?.records)
        #expect(records.map(\.timestamp) == [firstTime, firstTime, firstTime, firstTime + 5_000])
        #expect(records.map(\.offset) == [0, 1, 2, 3])
    }

    @Test func aCompressedBatchIsStampedWithoutBeingRewritten() throws {
        var harness = try harness()
        try harness.createTopic("t", ["message.timestamp.type": "LogAppendTime"])
        let sent = Self.snappyBatch(timestamps: Array(repeating: 5, count: 8), keys: Array(repeating: "k", count: 8))
        #expect(try harness.produce("t", sent)?.logAppendTimeMs == now)
        let fetched = try harness.send(BrokerHarness.fetch("t", offset: 0), version: 12)
        let bytes = try #require(fetched.responses.first?.partitions.first?.records?.bytes)
        let header = try #require(try RecordBatchIterator.batches(in: bytes, range: 0..<bytes.count, verifyCRC: true).first?.0)
        #expect(header.compression == .snappy)
        #expect(header.timestampType == .logAppendTime)
        #expect(header.maxTimestamp == now)
        #expect(Array(bytes[RecordBatchHeader.size...]) == Array(sent[RecordBatchHeader.size...]), "the compressed records are untouched")
        #expect(try BrokerHarness.records(in: fetched.responses.first?.partitions.first?.records).map(\.timestamp) == Array(repeating: now, count: 8))
    }

    /// A batch the producer marked LogAppendTime itself (attribute bit 3), with this max timestamp.
    static func producerStampedBatch(maxTimestamp: Int64, keys: [String?]) -> [UInt8] {
        var builder = RecordBatchBuilder()
        for (i, key) in keys.enumerated() { builder.append(RecordInput(key: key.map { Array($0.utf8) }, value: Array("v\(i)".utf8), timestamp: 1)) }
        return RecordBatchBuilder.assemble(attributes: 0x08, lastOffsetDelta: Int32(keys.count - 1), baseTimestamp: 1, maxTimestamp: maxTimestamp,
                                           producerId: -1, producerEpoch: -1, baseSequence: -1, recordCount: Int32(keys.count),
                                           records: builder.encodedRecords)
    }

    @Test func aBatchTheProducerMarkedLogAppendTimeIsRefusedOnALogAppendTimeTopic() throws {
        var harness = try harness()
        try harness.createTopic("t", ["message.timestamp.type": "LogAppendTime"])
        let response = try #require(try harness.produce("t", Self.producerStampedBatch(maxTimestamp: now, keys: ["k", nil])))
        #expect(response.errorCode == .invalidTimestamp)
        #expect(response.errorMessage == "One or more records have been rejected due to invalid timestamp")
        #expect(response.recordErrors == [
            RecordError(batchIndex: 0, batchIndexErrorMessage: "Invalid timestamp type in message DefaultRecord(offset=0, timestamp=\(now), key=1 bytes, value=2 bytes). Producer should not set timestamp type to LogAppendTime."),
            RecordError(batchIndex: 1, batchIndexErrorMessage: "Invalid timestamp type in message DefaultRecord(offset=1, timestamp=\(now), key=0 bytes, value=2 bytes). Producer should not set timestamp type to LogAppendTime."),
        ])
        try expectNothingAppended(response, harness, topic: "t", logEnd: 0)
    }

    @Test func aBatchTheProducerMarkedLogAppendTimeIsRangeCheckedOnACreateTimeTopic() throws {
        var harness = try harness()
        try harness.createTopic("t")
        #expect(try harness.produce("t", Self.producerStampedBatch(maxTimestamp: now, keys: ["k"]))?.errorCode == ErrorCode.none)
        #expect(try harness.produce("t", Self.producerStampedBatch(maxTimestamp: now + 3_600_001, keys: ["k"]))?.recordErrors.first?.batchIndexErrorMessage
            == "Timestamp \(now + 3_600_001) of message with offset 0 is out of range. The timestamp should be within [\(now &- Int64.max), \(now + 3_600_000)]")
        let unset = try #require(try harness.produce("t", Self.producerStampedBatch(maxTimestamp: -1, keys: ["k"])))
        #expect(unset.errorCode == .invalidTimestamp)
        #expect(unset.recordErrors == [RecordError(batchIndex: 0, batchIndexErrorMessage: "Invalid timestamp type in message DefaultRecord(offset=0, timestamp=-1, key=1 bytes, value=2 bytes). Producer should not set timestamp type to LogAppendTime.")])
        #expect(try harness.store.partition("t", 0).offsets.logEndOffset == 1)
    }

    @Test func createTimeKeepsTheProducersTimestamps() throws {
        var harness = try harness()
        try harness.createTopic("t")
        let response = try #require(try harness.produce("t", Self.batch(timestamps: [now - 5, now - 7])))
        #expect(response.logAppendTimeMs == -1)
        let fetched = try harness.send(BrokerHarness.fetch("t", offset: 0), version: 12)
        let bytes = try #require(fetched.responses.first?.partitions.first?.records?.bytes)
        let header = try #require(try RecordBatchIterator.batches(in: bytes, range: 0..<bytes.count, verifyCRC: true).first?.0)
        #expect(header.timestampType == .createTime)
        #expect(header.maxTimestamp == now - 5)
        #expect(try BrokerHarness.records(in: fetched.responses.first?.partitions.first?.records).map(\.timestamp) == [now - 5, now - 7])
    }

    @Test func logAppendTimeSwitchedOnAtRunTimeStampsTheNextBatch() throws {
        var harness = try harness()
        try harness.createTopic("t")
        #expect(try harness.produce("t", Self.batch(timestamps: [now - 5]))?.logAppendTimeMs == -1)
        #expect(try harness.incrementalAlter(Resource.broker, "", [("log.message.timestamp.type", Op.set, "LogAppendTime")]) == .ok)
        let stamped = try #require(try harness.produce("t", Self.batch(timestamps: [now - 5])))
        #expect(stamped.logAppendTimeMs == now)
        let records = try BrokerHarness.records(in: try harness.send(BrokerHarness.fetch("t", offset: 0), version: 12).responses.first?.partitions.first?.records)
        #expect(records.map(\.timestamp) == [now - 5, now])
    }

    @Test func aDuplicateBatchIsAnsweredWithItsOriginalOffsetAndNoNewStamp() throws {
        var harness = try harness()
        try harness.createTopic("t", ["message.timestamp.type": "LogAppendTime"])
        var builder = RecordBatchBuilder()
        builder.producerId = 7
        builder.producerEpoch = 0
        builder.baseSequence = 0
        builder.append(RecordInput(key: nil, value: [1], timestamp: now))
        let batch = builder.build()
        #expect(try harness.produce("t", batch)?.baseOffset == 0)
        clock.advance(millis: 10)
        let again = try #require(try harness.produce("t", batch))
        #expect(again.errorCode == .none)
        #expect(again.baseOffset == 0)
        #expect(try harness.store.partition("t", 0).offsets.logEndOffset == 1)
    }
}
