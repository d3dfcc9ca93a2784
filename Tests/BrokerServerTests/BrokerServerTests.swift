import Broker
import BrokerServer
import KafkaProtocol
import KafkaRecords
import LogStorage
import Net
import SystemIO
import Testing

/// The server over real TCP on loopback: framing, in-order pipelined responses, sendfile.
@Suite struct BrokerServerTests {
    /// Reads one whole frame (without its length prefix).
    func readFrame(_ connection: TCPConnection, _ decoder: inout FrameDecoder) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let frame = try decoder.nextFrame() { return frame }
            let n = try buffer.withUnsafeMutableBytes { try connection.read(into: $0) }
            guard n > 0 else { throw SystemError(code: 104, operation: "peer closed") }
            decoder.append(buffer[0..<n])
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrderAndDataSurvivesARestart() throws {
        let dir = try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-server-")
        defer { try? FileSystemCalls.removeTree(dir) }
        var config = ServerConfig()
        config.listen = HostPort(host: "127.0.0.1", port: 0)
        config.dataDirectory = dir
        var server = try BrokerServer(config: config, logger: .silent)
        try server.start()
        let address = HostPort(host: "127.0.0.1", port: server.port)
        var connection = try TCPConnection.connect(to: address)
        var decoder = FrameDecoder()

        // Pipeline: metadata (auto-creates), three produces, one fetch, all written before reading.
        var frames: [UInt8] = FrameCodec.encodeRequest(MetadataRequest(topics: [MetadataRequest.Topic(name: "t")], allowAutoTopicCreation: true), version: 12, correlationId: 1, clientId: "test")
        for i in 0..<3 {
            var builder = RecordBatchBuilder()
            builder.append(RecordInput(value: Array("value-\(i)".utf8), timestamp: 1_700_000_000_000))
            let produce = ProduceRequest(acks: -1, timeoutMs: 1000, topicData: [ProduceRequest.TopicProduceData(name: "t", partitionData: [
                ProduceRequest.PartitionProduceData(index: 0, records: .inline(builder.build())),
            ])])
            frames += FrameCodec.encodeRequest(produce, version: 9, correlationId: Int32(2 + i), clientId: "test")
        }
        let fetch = FetchRequest(maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, topics: [FetchRequest.FetchTopic(topic: "t", partitions: [
            FetchRequest.FetchPartition(partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20),
        ])])
        frames += FrameCodec.encodeRequest(fetch, version: 12, correlationId: 5, clientId: "test")
        try connection.writeAll(frames)

        let (c1, metadata) = try FrameCodec.decodeResponse(try readFrame(connection, &decoder), as: MetadataResponse.self, apiKey: .metadata, version: 12)
        #expect(c1 == 1)
        #expect(metadata.brokers.first?.port == Int32(server.port))
        for i in 0..<3 {
            let (correlation, produced) = try FrameCodec.decodeResponse(try readFrame(connection, &decoder), as: ProduceResponse.self, apiKey: .produce, version: 9)
            #expect(correlation == Int32(2 + i))
            #expect(produced.responses.first?.partitionResponses.first?.baseOffset == Int64(i))
        }
        let (c5, fetched) = try FrameCodec.decodeResponse(try readFrame(connection, &decoder), as: FetchResponse.self, apiKey: .fetch, version: 12)
        #expect(c5 == 5)
        let bytes = fetched.responses.first?.partitions.first?.records?.bytes ?? []
        let values = try RecordBatchIterator.batches(in: bytes, range: 0..<bytes.count, verifyCRC: true).flatMap {
            try RecordBatchRecords.decode(Array(bytes[$0.range]), at: 0).map { String(decoding: $0.value ?? [], as: UTF8.self) }
        }
        #expect(values == ["value-0", "value-1", "value-2"], "data sent with sendfile arrives intact")

        connection.close()
        try server.shutdown()
        let checkpoint = try LogStore.open(dataDirectory: dir, logger: .silent)
        #expect(try checkpoint.partition("t", 0).offsets.logEndOffset == 3)
        try checkpoint.close()

        server = try BrokerServer(config: config, logger: .silent)
        try server.start()
        connection = try TCPConnection.connect(to: HostPort(host: "127.0.0.1", port: server.port))
        decoder = FrameDecoder()
        try connection.writeAll(FrameCodec.encodeRequest(ApiVersionsRequest(), version: 9, correlationId: 9, clientId: nil))
        let (c9, versions) = try FrameCodec.decodeResponse(try readFrame(connection, &decoder), as: ApiVersionsResponse.self, apiKey: .apiVersions, version: 0)
        #expect(c9 == 9 && versions.errorCode == .unsupportedVersion)
        // A huge length field closes the connection instead of allocating.
        try connection.writeAll([0x7F, 0xFF, 0xFF, 0xFF, 0, 1, 2])
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(try buffer.withUnsafeMutableBytes { try connection.read(into: $0) } == 0)
        connection.close()
        try server.shutdown()
    }
}
