@testable import KafkaRecords
import Testing

@Suite struct TransactionMarkerTests {
    @Test(arguments: [true, false])
    func aMarkerBatchHasKafkasLayoutAndParsesBack(commit: Bool) throws {
        let marker = TransactionMarker(isCommit: commit, coordinatorEpoch: 0x0102_0304)
        let batch = marker.controlBatch(producerId: 77, producerEpoch: 5, timestamp: 1_234)
        let header = try RecordBatchHeader.validate(batch)
        #expect(header.isControl && header.isTransactional)
        #expect(header.attributes == 0x30)
        #expect(header.producerId == 77 && header.producerEpoch == 5 && header.baseSequence == -1)
        #expect(header.recordCount == 1 && header.lastOffsetDelta == 0)
        #expect(header.baseTimestamp == 1_234 && header.maxTimestamp == 1_234)
        let record = try #require(try RecordBatchRecords.decode(batch).first)
        #expect(record.key == [0, 0, 0, commit ? 1 : 0])
        #expect(record.value == [0, 0, 1, 2, 3, 4])
        #expect(TransactionMarker(controlBatch: batch) == marker)
        #expect(try ValidatedBatches(validating: batch, allowControl: true).batchCount == 1)
    }

    @Test func aDataBatchOrUnknownControlTypeIsNoMarker() {
        var builder = RecordBatchBuilder()
        builder.append(RecordInput(key: [0, 0, 0, 1], value: [0, 0, 0, 0, 0, 0], timestamp: 1))
        #expect(TransactionMarker(controlBatch: builder.build()) == nil)
        var records = ByteWriter()
        RecordBatchBuilder.encode(RecordInput(key: [0, 0, 0, 9], value: nil, timestamp: 1), offsetDelta: 0, timestampDelta: 0, into: &records)
        let unknown = RecordBatchBuilder.assemble(attributes: 0x30, lastOffsetDelta: 0, baseTimestamp: 1, maxTimestamp: 1, producerId: 1,
                                                  producerEpoch: 0, baseSequence: -1, recordCount: 1, records: records.bytes)
        #expect(TransactionMarker(controlBatch: unknown) == nil)
    }
}
