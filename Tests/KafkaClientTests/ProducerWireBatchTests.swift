@testable import KafkaClient
import KafkaRecords
import Testing

/// The producer frames a batch as its own 61-byte header plus the builder's records area; the
/// bytes must be exactly what `RecordBatchBuilder.build()` makes of the same batch.
@Suite struct ProducerWireBatchTests {
    static func batch(_ inputs: [RecordInput]) -> ProducerBatch {
        var batch = ProducerBatch(id: 1, partition: ProducerPartition(topic: "t", partition: 0), createdNanos: 0, deadlineNanos: .max)
        for input in inputs {
            batch.append(input, ProducerPendingRecord(callback: { _ in }, timestamp: input.timestamp, flushEpoch: 0, deadlineNanos: .max))
        }
        return batch
    }

    static func reference(_ inputs: [RecordInput], producerId: Int64, epoch: Int16, sequence: Int32) -> [UInt8] {
        var builder = RecordBatchBuilder(producerId: producerId, producerEpoch: epoch, baseSequence: sequence)
        for input in inputs { builder.append(input) }
        return builder.build()
    }

    @Test(arguments: [(Int64(-1), Int16(-1), Int32(-1)), (4_711, 3, 0), (9, 0, Int32.max - 2)])
    func headerAndRecordsAreWhatTheBuilderBuilds(producerId: Int64, epoch: Int16, sequence: Int32) throws {
        let inputs = [
            RecordInput(key: [1, 2], value: [3], headers: [RecordHeader(key: "h", value: [9]), RecordHeader(key: "n", value: nil)], timestamp: 1_700_000_000_500),
            RecordInput(key: nil, value: nil, headers: [], timestamp: 1_700_000_000_100),  // older than the first
            RecordInput(key: [], value: [UInt8](repeating: 7, count: 70_000), headers: [], timestamp: 1_700_000_000_900),
            RecordInput(key: [5], value: [6], headers: [], timestamp: 1_700_000_000_200),
        ]
        for count in [1, 2, inputs.count] {
            var batch = Self.batch(Array(inputs.prefix(count)))
            batch.encode(producerId: producerId, producerEpoch: epoch, baseSequence: sequence)
            let wire = batch.wire
            let header = wire.header()
            #expect(header.count == RecordBatchHeader.size)
            #expect(wire.size == batch.size)
            #expect(header + wire.records == Self.reference(Array(inputs.prefix(count)), producerId: producerId, epoch: epoch, sequence: sequence),
                    "\(count) record(s)")
            let parsed = try RecordBatchHeader(parsing: header + wire.records, at: 0)
            #expect(parsed.recordCount == Int32(count))
            #expect(parsed.baseSequence == sequence)
        }
    }
}
