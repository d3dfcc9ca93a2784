import Broker
import KafkaProtocol
import KafkaRecords
import LogStorage
import SystemIO
import Testing

/// CreateTopics and Metadata at scale: absurd partition counts are refused before anything is
/// allocated, with Kafka's error code, and the other clients carry on; a topic whose creation
/// fails half-way does not exist afterwards; Metadata lists every partition of a large topic.
@Suite struct ManyPartitionsBrokerTests {
    func create(_ name: String, partitions: Int32) -> CreateTopicsRequest.CreatableTopic {
        CreateTopicsRequest.CreatableTopic(name: name, numPartitions: partitions, replicationFactor: -1, assignments: [], configs: [])
    }

    @Test(arguments: [false, true])
    func aMillionPartitionsAreRefusedWithInvalidPartitions(validateOnly: Bool) throws {
        var harness = try BrokerHarness()
        let response = try harness.send(CreateTopicsRequest(topics: [create("huge", partitions: 1_000_000), create("fine", partitions: 3)],
                                                            timeoutMs: 1000, validateOnly: validateOnly), version: 7)
        let huge = try #require(response.topics.first { $0.name == "huge" })
        #expect(huge.errorCode == .invalidPartitions)
        #expect(huge.errorMessage == "Number of partitions 1000000 is above the maximum of 100000 per topic.")
        #expect(huge.numPartitions == -1)
        #expect(harness.store.topic("huge") == nil)
        #expect(!harness.fileSystem.directoryExists("/data/topics/huge"), "nothing was made for it")
        // The same request's other topic, and other clients, are served as usual.
        #expect(response.topics.first { $0.name == "fine" }?.errorCode == ErrorCode.none)
        if !validateOnly {
            let produced = try harness.produce("fine", partition: 2, BrokerHarness.batch(values: ["still here"]))
            #expect(produced?.errorCode == ErrorCode.none)
        }
    }

    @Test func nonPositiveCountsGetKafkasMessage() throws {
        var harness = try BrokerHarness()
        let response = try harness.send(CreateTopicsRequest(topics: [create("none", partitions: 0), create("negative", partitions: -5)],
                                                            timeoutMs: 1000), version: 7)
        for topic in response.topics {
            #expect(topic.errorCode == .invalidPartitions)
            #expect(topic.errorMessage == "Number of partitions was set to an invalid non-positive value.")
        }
    }

    @Test func aCreationThatFailsHalfWayLeavesNoTopicAndSaysWhy() throws {
        var harness = try BrokerHarness()
        harness.fileSystem.failOpens { $0.hasPrefix("/data/topics/half/1500/") }
        let response = try harness.send(CreateTopicsRequest(topics: [create("half", partitions: 2000)], timeoutMs: 1000), version: 7)
        let result = try #require(response.topics.first)
        #expect(result.errorCode == .kafkaStorageError)
        #expect(result.errorMessage?.contains("topic half not created (nothing kept): creating partition 1500 of 2000") == true)
        #expect(result.errorMessage?.contains("Too many open files") == true)
        #expect(harness.store.topic("half") == nil)
        let metadata = try harness.send(MetadataRequest(topics: [MetadataRequest.Topic(name: "half")], allowAutoTopicCreation: false), version: 9)
        #expect(metadata.topics.first?.errorCode == .unknownTopicOrPartition)
        #expect(try harness.fileSystem.listDirectory("/data/topics").isEmpty)
        // Once the cause is gone the same request succeeds.
        harness.fileSystem.failOpens(where: nil)
        let again = try harness.send(CreateTopicsRequest(topics: [create("half", partitions: 2000)], timeoutMs: 1000), version: 7)
        #expect(again.topics.first?.errorCode == ErrorCode.none)
    }

    @Test func metadataListsEveryPartitionOfALargeTopic() throws {
        var harness = try BrokerHarness()
        let created = try harness.send(CreateTopicsRequest(topics: [create("wide", partitions: 20_000), create("narrow", partitions: 1)],
                                                           timeoutMs: 30_000), version: 7)
        #expect(created.topics.allSatisfy { $0.errorCode == ErrorCode.none })
        for version: Int16 in [1, 9, 12] {
            let metadata = try harness.send(MetadataRequest(topics: nil), version: version)
            #expect(metadata.topics.map(\.name) == ["narrow", "wide"])
            let wide = try #require(metadata.topics.last)
            #expect(wide.partitions.map(\.partitionIndex) == Array(0..<20_000))
            #expect(wide.partitions.allSatisfy { $0.errorCode == ErrorCode.none && $0.leaderId == 0 })
        }
        #expect(harness.fileSystem.openFileCount == 0, "a created topic holds no file open")
        let produced = try harness.produce("wide", partition: 19_999, BrokerHarness.batch(values: ["last"]))
        #expect(produced?.errorCode == ErrorCode.none)
    }
}
