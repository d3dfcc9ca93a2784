import Broker
import KafkaProtocol
import KafkaRecords
import LogStorage
import Testing

@Suite struct ProduceTests {
    @Test(arguments: Int16(3)...9)
    func produceAppendsAndReportsOffsets(version: Int16) throws {
        var harness = try BrokerHarness()
        let first = try #require(try harness.produce("t", BrokerHarness.batch(values: ["a", "b", "c"]), version: version))
        #expect(first.errorCode == .none)
        #expect(first.baseOffset == 0)
        let second = try #require(try harness.produce("t", BrokerHarness.batch(values: ["d"]), version: version))
        #expect(second.baseOffset == 3)
        if version >= 2 { #expect(second.logAppendTimeMs == -1) }
        if version >= 5 { #expect(second.logStartOffset == 0) }
        #expect(try harness.store.partition("t", 0).offsets.logEndOffset == 4)
    }

    @Test func acksZeroSendsNothingButAppends() throws {
        let harness = try BrokerHarness()
        let request = ProduceRequest(acks: 0, timeoutMs: 100, topicData: [ProduceRequest.TopicProduceData(name: "t", partitionData: [
            ProduceRequest.PartitionProduceData(index: 0, records: .inline(BrokerHarness.batch(values: ["x"]))),
        ])])
        guard case .noResponse = harness.broker.handle(frame: harness.frame(request, version: 7, correlationId: 1)) else {
            Issue.record("acks=0 must not be answered")
            return
        }
        #expect(try harness.store.partition("t", 0).offsets.logEndOffset == 1)
    }

    @Test func badBatchesGetKafkasErrorCodesAndAppendNothing() throws {
        var harness = try BrokerHarness()
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 1))
        let good = BrokerHarness.batch(values: ["v"])
        var badCRC = good
        badCRC[badCRC.count - 1] ^= 0xFF
        var magic1 = good
        magic1[16] = 1
        #expect(try harness.produce("t", badCRC)?.errorCode == .corruptMessage)
        #expect(try harness.produce("t", magic1)?.errorCode == .invalidRecord)
        #expect(try harness.produce("t", good + good)?.errorCode == .invalidRecord, "exactly one batch per partition")
        #expect(try harness.produce("t", Array(good.dropLast(5)))?.errorCode == .corruptMessage)
        #expect(try harness.produce("t", [])?.errorCode == .corruptMessage)
        #expect(try harness.produce("t", good, acks: 2)?.errorCode == .invalidRequiredAcks)
        #expect(try harness.produce("t", partition: 5, good)?.errorCode == .unknownTopicOrPartition)
        #expect(try harness.produce("t", good, version: 2)?.errorCode == .unsupportedVersion)
        #expect(try harness.produce("bad name", good)?.errorCode == .invalidTopicException)
        #expect(try harness.store.partition("t", 0).offsets.logEndOffset == 0)
    }

    @Test func oversizedAndZstdBelowV7AreRejected() throws {
        var harness = try BrokerHarness()
        var config = TopicConfig(partitionCount: 1)
        try config.set("max.message.bytes", "200")
        try harness.store.createTopic("small", config: config)
        let big = BrokerHarness.batch(values: [String(repeating: "x", count: 300)])
        #expect(try harness.produce("small", big)?.errorCode == .messageTooLarge)
        // Mark a batch as zstd (attributes bits 0-2 = 4) and fix its CRC: the broker never
        // decompresses, so the payload does not matter.
        var zstd = BrokerHarness.batch(values: ["z"])
        zstd[22] = (zstd[22] & 0xF8) | 4
        let crc = zstd[21...].withUnsafeBytes { CRC32C.checksum($0) }
        zstd.replaceSubrange(17..<21, with: [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)])
        #expect(try harness.produce("z", zstd, version: 6)?.errorCode == .unsupportedCompressionType)
        #expect(try harness.produce("z", zstd, version: 7)?.errorCode == ErrorCode.none)
    }
}
