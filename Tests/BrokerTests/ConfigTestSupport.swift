import Broker
import KafkaProtocol
import LogStorage
import Testing

/// Config resource types and IncrementalAlterConfigs operations by their Kafka numbers.
enum Resource {
    static let topic: Int8 = 2
    static let broker: Int8 = 4
    static let brokerLogger: Int8 = 8
    static let clientMetrics: Int8 = 16
    static let group: Int8 = 32
}

enum Op {
    static let set: Int8 = 0
    static let delete: Int8 = 1
    static let append: Int8 = 2
    static let subtract: Int8 = 3
}

/// One config change of an IncrementalAlterConfigs resource: (name, operation, value).
typealias Change = (name: String, op: Int8, value: String?)

/// An error code and message as an alter response reports them for one resource.
struct Outcome: Equatable, CustomStringConvertible {
    var code: ErrorCode
    var message: String?
    static let ok = Outcome(code: .none, message: nil)
    var description: String { "\(code) \(message ?? "null")" }
}

extension BrokerHarness {
    /// Creates a topic directly in the store with the given topic-level configs.
    @discardableResult
    func createTopic(_ name: String, partitions: Int32 = 1, _ configs: [String: String] = [:]) throws -> TopicMetadata {
        var config = TopicConfig(partitionCount: partitions)
        for (key, value) in configs { try config.set(key, value) }
        return try store.createTopic(name, config: config)
    }

    /// IncrementalAlterConfigs over `resources` (type, name, changes); one outcome per resource.
    mutating func incrementalAlter(_ resources: [(Int8, String, [Change])], validateOnly: Bool = false, version: Int16 = 1) throws -> [Outcome] {
        let request = IncrementalAlterConfigsRequest(resources: resources.map { type, name, changes in
            IncrementalAlterConfigsRequest.AlterConfigsResource(resourceType: type, resourceName: name, configs: changes.map {
                IncrementalAlterConfigsRequest.AlterableConfig(name: $0.name, configOperation: $0.op, value: $0.value)
            })
        }, validateOnly: validateOnly)
        let response = try send(request, version: version)
        #expect(response.responses.map(\.resourceType) == resources.map(\.0))
        #expect(response.responses.map(\.resourceName) == resources.map(\.1))
        return response.responses.map { Outcome(code: $0.errorCode, message: $0.errorMessage) }
    }

    /// IncrementalAlterConfigs of one resource.
    mutating func incrementalAlter(_ type: Int8, _ name: String, _ changes: [Change], validateOnly: Bool = false) throws -> Outcome {
        try #require(try incrementalAlter([(type, name, changes)], validateOnly: validateOnly).first)
    }

    /// Legacy AlterConfigs over `resources` (type, name, configs); one outcome per resource.
    mutating func legacyAlter(_ resources: [(Int8, String, [(String, String?)])], validateOnly: Bool = false, version: Int16 = 2) throws -> [Outcome] {
        let request = AlterConfigsRequest(resources: resources.map { type, name, configs in
            AlterConfigsRequest.AlterConfigsResource(resourceType: type, resourceName: name, configs: configs.map {
                AlterConfigsRequest.AlterableConfig(name: $0.0, value: $0.1)
            })
        }, validateOnly: validateOnly)
        let response = try send(request, version: version)
        #expect(response.responses.map(\.resourceName) == resources.map(\.1))
        return response.responses.map { Outcome(code: $0.errorCode, message: $0.errorMessage) }
    }

    /// DescribeConfigs of one resource.
    mutating func describe(_ type: Int8, _ name: String, keys: [String]? = nil, synonyms: Bool = true, documentation: Bool = false,
                           version: Int16 = 4) throws -> DescribeConfigsResponse.DescribeConfigsResult {
        let response = try send(DescribeConfigsRequest(resources: [.init(resourceType: type, resourceName: name, configurationKeys: keys)],
                                                       includeSynonyms: synonyms, includeDocumentation: documentation), version: version)
        return try #require(response.results.first)
    }

    /// One described config entry of a resource (nil when not listed).
    mutating func describedEntry(_ type: Int8, _ name: String, _ key: String) throws -> DescribeConfigsResponse.DescribeConfigsResourceResult? {
        try describe(type, name, keys: [key]).configs.first
    }

    /// The topic-level configs stored for `topic`.
    func topicOverrides(_ topic: String) -> [String: String]? {
        store.topic(topic)?.config.overrides
    }

    /// The storage settings partition 0 of `topic` runs with now.
    func logConfig(_ topic: String) throws -> LogConfig {
        try store.partition(topic, 0).config
    }

    /// The persisted run-time configs file, as text (nil when never written).
    func dynamicConfigsFile() throws -> String? {
        try store.readInternalFile("dynamic-configs").map { String(decoding: $0, as: UTF8.self) }
    }

    /// Closes this broker and its store and opens both again over the same files.
    func restarted(configure: @escaping (inout BrokerConfig) -> Void = { _ in }) throws -> BrokerHarness {
        try broker.close()
        try store.close()
        return try BrokerHarness(configure: configure, fileSystem: fileSystem)
    }
}
