import KafkaClient
import KafkaProtocol
import KafkaRecords
import SystemIO
import Testing

// TEMPORARY probe (to be deleted).
@Suite struct ZTansuProbe {
    @Test(.enabled(if: Environment.get("PROBE") == "1")) func probe() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let topic = TestCluster.uniqueTopic("probe")
        try ProducerTests.createTopic(cluster, topic, partitions: 2)
        let producer = try KafkaProducer(config: cluster.clientConfig("probe"))
        defer { producer.close() }
        for i in 0..<3 { print("sent", try producer.send(ProducerRecord(topic: topic, partition: 0, value: [UInt8(i)]))) }
        let client = KafkaCluster(config: cluster.clientConfig("probe-reader"))
        defer { client.close() }
        let connection = try client.leader(topic: topic, partition: 0, purpose: "fetch")
        for (wait, mb) in [(Int32(0), Int32(0)), (Int32(100), Int32(0)), (Int32(100), Int32(1))] {
            let request = FetchRequest(maxWaitMs: wait, minBytes: mb, maxBytes: 8 << 20, topics: [
                FetchRequest.FetchTopic(topic: topic, partitions: [FetchRequest.FetchPartition(partition: 0, fetchOffset: 0, partitionMaxBytes: 8 << 20)]),
            ])
            let (response, version) = try connection.send(request)
            print("FETCH wait=\(wait) minBytes=\(mb) v\(version):", response)
        }
    }
}
