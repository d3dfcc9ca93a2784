import Broker
import BrokerServer
import LogStorage
import SystemIO
import Testing

@Suite struct TopicDeclarationsTests {
    func write(_ text: String, to path: String) throws {
        let fd = try FileDescriptor.open(path, [.writeOnly, .create, .truncate])
        defer { try? fd.close() }
        try Array(text.utf8).withUnsafeBytes { try fd.write($0, at: 0) }
    }

    @Test func applyCreatesThenUpdatesIdempotently() throws {
        let dir = try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-topics-")
        defer { try? FileSystemCalls.removeTree(dir) }
        try FileSystemCalls.createDirectories(dir + "/orders")
        try FileSystemCalls.createDirectories(dir + "/notes")  // no topic.json: ignored
        try write(#"{"name": "orders", "partitions": 3, "config": {"retention.ms": 3600000, "cleanup.policy": "delete"}, "key": "orderId"}"#, to: dir + "/orders/topic.json")
        let store = try LogStore.open(dataDirectory: "/d", fileSystem: MemoryFileSystem(), logger: .silent)
        try TopicDeclarations.apply(directory: dir, to: store, defaults: BrokerConfig(), logger: .silent)
        let created = try #require(store.topic("orders"))
        #expect(created.config.partitionCount == 3)
        #expect(try store.partition("orders", 0).config.retentionMillis == 3_600_000)
        try TopicDeclarations.apply(directory: dir, to: store, defaults: BrokerConfig(), logger: .silent)
        #expect(store.topic("orders") == created, "applying again changes nothing")
        try write(#"{"name": "orders", "partitions": 4, "config": {"retention.ms": "60000"}}"#, to: dir + "/orders/topic.json")
        try TopicDeclarations.apply(directory: dir, to: store, defaults: BrokerConfig(), logger: .silent)
        #expect(store.topic("orders")?.config.partitionCount == 4)
        #expect(try store.partition("orders", 3).config.retentionMillis == 60_000)
        #expect(store.topic("orders")?.id == created.id)
    }

    @Test func badDeclarationsAreClearErrors() throws {
        let dir = try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-topics-")
        defer { try? FileSystemCalls.removeTree(dir) }
        try FileSystemCalls.createDirectories(dir + "/t")
        let store = try LogStore.open(dataDirectory: "/d", fileSystem: MemoryFileSystem(), logger: .silent)
        for (json, fragment) in [("{not json", "not a valid topic declaration"), (#"{"name": "t"}"#, "not a valid"),
                                 (#"{"name": "bad name", "partitions": 1}"#, "invalid topic name"),
                                 (#"{"name": "t", "partitions": 0}"#, "partitions must be positive"),
                                 (#"{"name": "t", "partitions": 1, "config": {"no.such": "1"}}"#, "Unknown topic config name: no.such")] {
            try write(json, to: dir + "/t/topic.json")
            do {
                try TopicDeclarations.apply(directory: dir, to: store, defaults: BrokerConfig(), logger: .silent)
                Issue.record("\(json) must fail")
            } catch {
                #expect("\(error)".contains(fragment), "\(error)")
                #expect("\(error)".contains("topic.json"))
            }
        }
        #expect(store.topics.isEmpty)
    }
}
