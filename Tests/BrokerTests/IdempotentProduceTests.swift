import Broker
import KafkaProtocol
import KafkaRecords
import LogStorage
import SystemIO
import Testing

@Suite struct IdempotentProduceTests {
    func idempotentBatch(producer: Int64, sequence: Int32) -> [UInt8] {
        var builder = RecordBatchBuilder(producerId: producer, producerEpoch: 0, baseSequence: sequence)
        builder.append(RecordInput(value: Array("seq-\(sequence)".utf8), timestamp: 1_000))
        return builder.build()
    }

    @Test func producerIdsAreUniqueAcrossRestarts() throws {
        let fs = MemoryFileSystem()
        var harness = try BrokerHarness(fileSystem: fs)
        var seen = Set<Int64>()
        for version in Int16(0)...4 {
            let response = try harness.send(InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: 60_000), version: version)
            #expect(response.errorCode == .none)
            #expect(response.producerEpoch == 0)
            #expect(seen.insert(response.producerId).inserted)
        }
        // Transactional ids draw from the same allocator.
        let transactional = try harness.send(InitProducerIdRequest(transactionalId: "tx", transactionTimeoutMs: 60_000), version: 4)
        #expect(transactional.errorCode == .none)
        #expect(seen.insert(transactional.producerId).inserted)
        var random = SplitMix64(seed: 2)
        fs.crash(using: &random)
        var restarted = try BrokerHarness(fileSystem: fs)
        for _ in 0..<5 {
            let id = try restarted.send(InitProducerIdRequest(), version: 4).producerId
            #expect(seen.insert(id).inserted, "producer id \(id) handed out twice")
        }
    }

    @Test func retriedProduceIsNotDuplicatedEvenAfterACrash() throws {
        let fs = MemoryFileSystem()
        var harness = try BrokerHarness(fileSystem: fs)
        var config = TopicConfig(partitionCount: 1)
        try config.set("durability", "always")
        try harness.store.createTopic("t", config: config)
        let id = try harness.send(InitProducerIdRequest(), version: 4).producerId
        #expect(try harness.produce("t", idempotentBatch(producer: id, sequence: 0))?.baseOffset == 0)
        #expect(try harness.produce("t", idempotentBatch(producer: id, sequence: 1))?.baseOffset == 1)
        let retry = try #require(try harness.produce("t", idempotentBatch(producer: id, sequence: 1)))
        #expect(retry.errorCode == .none)
        #expect(retry.baseOffset == 1, "a retry gets the original offset")
        #expect(try harness.produce("t", idempotentBatch(producer: id, sequence: 5))?.errorCode == .outOfOrderSequenceNumber)
        var random = SplitMix64(seed: 9)
        fs.crash(using: &random)
        var restarted = try BrokerHarness(fileSystem: fs)
        #expect(try restarted.produce("t", idempotentBatch(producer: id, sequence: 1))?.baseOffset == 1)
        #expect(try restarted.produce("t", idempotentBatch(producer: id, sequence: 2))?.baseOffset == 2)
        #expect(try restarted.store.partition("t", 0).offsets.logEndOffset == 3)
    }
}
