import Broker
import KafkaProtocol
import LogStorage
import Testing

/// DescribeConfigs for topics, this broker ("0" and "" for the cluster defaults) and groups,
/// against Kafka 4's answers: effective values with their sources and synonyms, filters, and
/// each error.
@Suite struct DescribeConfigsTests {
    typealias Synonym = DescribeConfigsResponse.DescribeConfigsSynonym

    static let listedTopicConfigs = Set(TopicConfigDefinitions.all.filter { !$0.definition.isInternal }.map(\.name))

    // MARK: topics

    @Test func aTopicListsEveryTopicConfigWithItsDefault() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t")
        let result = try harness.describe(Resource.topic, "t")
        #expect(result.errorCode == .none)
        #expect(result.errorMessage == nil)
        #expect(Set(result.configs.map(\.name)) == Self.listedTopicConfigs)
        #expect(result.configs.count == Self.listedTopicConfigs.count)
        for entry in result.configs {
            let definition = try #require(TopicConfigDefinitions.definition(entry.name)).definition
            #expect(entry.value == definition.defaultValue, "\(entry.name)")
            #expect(entry.configSource == 5, "\(entry.name)")
            #expect(entry.configType == definition.type.rawValue, "\(entry.name)")
            #expect(!entry.readOnly)
            #expect(!entry.isSensitive)
            #expect(entry.documentation == nil)
        }
    }

    @Test func aValueSetOnTheTopicHasSourceOneAndComesFirstInItsSynonyms() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t", ["retention.ms": "5000", "cleanup.policy": "compact, delete"])
        let retention = try #require(try harness.describedEntry(Resource.topic, "t", "retention.ms"))
        #expect(retention.value == "5000")
        #expect(retention.configSource == 1)
        #expect(retention.configType == 5)
        #expect(retention.synonyms == [Synonym(name: "retention.ms", value: "5000", source: 1),
                                       Synonym(name: "log.retention.ms", value: "604800000", source: 5)])
        let policy = try #require(try harness.describedEntry(Resource.topic, "t", "cleanup.policy"))
        #expect(policy.value == "compact,delete")
        #expect(policy.configType == 7)
    }

    @Test func aStaticBrokerSynonymIsConvertedToTheTopicsUnitWithSourceFour() throws {
        var harness = try BrokerHarness(configure: { $0.staticConfigs = ["log.retention.hours": "2", "log.segment.bytes": "2097152"] })
        try harness.createTopic("t")
        let retention = try #require(try harness.describedEntry(Resource.topic, "t", "retention.ms"))
        #expect(retention.value == "7200000")
        #expect(retention.configSource == 4)
        #expect(retention.synonyms == [Synonym(name: "log.retention.hours", value: "2", source: 4),
                                       Synonym(name: "log.retention.ms", value: "604800000", source: 5)])
        let segment = try #require(try harness.describedEntry(Resource.topic, "t", "segment.bytes"))
        #expect(segment.value == "2097152")
        #expect(segment.synonyms == [Synonym(name: "log.segment.bytes", value: "2097152", source: 4),
                                     Synonym(name: "log.segment.bytes", value: "1073741824", source: 5)])
        #expect(try harness.logConfig("t").retentionMillis == 7_200_000)
    }

    @Test func configurationKeysFilterTheEntriesAndUnknownKeysAreIgnored() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t")
        let some = try harness.describe(Resource.topic, "t", keys: ["retention.ms", "no.such.key", "segment.bytes"])
        #expect(Set(some.configs.map(\.name)) == ["retention.ms", "segment.bytes"])
        #expect(try harness.describe(Resource.topic, "t", keys: ["no.such.key"]).configs.isEmpty)
        #expect(try harness.describe(Resource.topic, "t", keys: []).configs.count == Self.listedTopicConfigs.count, "empty means all")
    }

    @Test func withoutSynonymsTheListIsEmptyButTheSourceStillCounts() throws {
        var harness = try BrokerHarness(configure: { $0.staticConfigs = ["log.retention.bytes": "100"] })
        try harness.createTopic("t")
        let entry = try #require(try harness.describe(Resource.topic, "t", keys: ["retention.bytes"], synonyms: false).configs.first)
        #expect(entry.value == "100")
        #expect(entry.configSource == 4)
        #expect(entry.synonyms.isEmpty)
    }

    @Test func documentationIsSentOnlyWhenAsked() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t")
        let documented = try #require(try harness.describe(Resource.topic, "t", keys: ["retention.ms"], documentation: true).configs.first)
        #expect(documented.documentation == TopicConfigDefinitions.definition("retention.ms")?.definition.documentation)
        #expect(documented.documentation?.isEmpty == false)
        let plain = try #require(try harness.describe(Resource.topic, "t", keys: ["retention.ms"], documentation: false).configs.first)
        #expect(plain.documentation == nil)
    }

    @Test func internalSegmentBytesIsListedOnlyWhenSet() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("plain")
        try harness.createTopic("small", ["internal.segment.bytes": "4096"])
        #expect(!(try harness.describe(Resource.topic, "plain").configs.contains { $0.name == "internal.segment.bytes" }))
        let entry = try #require(try harness.describedEntry(Resource.topic, "small", "internal.segment.bytes"))
        #expect(entry.value == "4096")
        #expect(entry.configSource == 1)
        #expect(try harness.logConfig("small").segmentBytes == 4096)
    }

    @Test func anUnknownTopicIsUnknownTopicOrPartitionWithoutMessage() throws {
        var harness = try BrokerHarness(configure: { $0.autoCreateTopics = true })
        let result = try harness.describe(Resource.topic, "missing")
        #expect(result.errorCode == .unknownTopicOrPartition)
        #expect(result.errorMessage == nil)
        #expect(result.configs.isEmpty)
        #expect(harness.store.topic("missing") == nil, "describing creates nothing")
    }

    @Test(arguments: [
        ("", "Topic name is invalid: the empty string is not allowed"),
        (".", "Topic name is invalid: '.' is not allowed"),
        ("..", "Topic name is invalid: '..' is not allowed"),
        ("bad name", "Topic name is invalid: 'bad name' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"),
        (String(repeating: "x", count: 250), "Topic name is invalid: the length of '\(String(repeating: "x", count: 250))' is longer than the max allowed length 249"),
    ])
    func anInvalidTopicNameGetsKafkasMessage(name: String, message: String) throws {
        try expectRefused(Resource.topic, name, .invalidTopicException, message)
    }

    /// Expects DescribeConfigs of one resource to fail with `code` and `message`, listing nothing.
    func expectRefused(_ type: Int8, _ name: String, _ code: ErrorCode, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        var harness = try BrokerHarness()
        let result = try harness.describe(type, name)
        #expect(result.errorCode == code, sourceLocation: sourceLocation)
        #expect(result.errorMessage == message, sourceLocation: sourceLocation)
        #expect(result.configs.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func eachResourceIsAnsweredOnItsOwn() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t")
        let response = try harness.send(DescribeConfigsRequest(resources: [
            .init(resourceType: Resource.topic, resourceName: "missing"),
            .init(resourceType: Resource.topic, resourceName: "t", configurationKeys: ["retention.ms"]),
            .init(resourceType: Resource.broker, resourceName: "9"),
            .init(resourceType: Resource.group, resourceName: "g", configurationKeys: ["consumer.session.timeout.ms"]),
        ]), version: 4)
        #expect(response.results.map(\.errorCode) == [.unknownTopicOrPartition, .none, .invalidRequest, .none])
        #expect(response.results.map(\.resourceName) == ["missing", "t", "9", "g"])
        #expect(response.results.map(\.resourceType) == [2, 2, 4, 32])
        #expect(response.results.map(\.configs.count) == [0, 1, 0, 1])
    }

    @Test(arguments: [Int8(0), 8, 16, 99])
    func anUnsupportedResourceTypeFailsEveryResourceOfTheRequest(type: Int8) throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t")
        let response = try harness.send(DescribeConfigsRequest(resources: [
            .init(resourceType: Resource.topic, resourceName: "t"),
            .init(resourceType: type, resourceName: "0"),
        ]), version: 4)
        let text = "This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details."
        #expect(response.results == [
            .init(errorCode: .invalidRequest, errorMessage: text, resourceType: Resource.topic, resourceName: "t"),
            .init(errorCode: .invalidRequest, errorMessage: text, resourceType: type, resourceName: "0"),
        ])
    }

    @Test(arguments: Int16(0)...4)
    func everyVersionCarriesWhatItCan(version: Int16) throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t", ["retention.ms": "5000"])
        let result = try harness.describe(Resource.topic, "t", keys: ["retention.ms", "segment.ms"], documentation: true, version: version)
        let retention = try #require(result.configs.first { $0.name == "retention.ms" })
        let segment = try #require(result.configs.first { $0.name == "segment.ms" })
        #expect(retention.value == "5000")
        if version == 0 {
            #expect(!retention.isDefault)
            #expect(segment.isDefault)
        } else {
            #expect(retention.configSource == 1)
            #expect(segment.configSource == 5)
            #expect(retention.synonyms.first == Synonym(name: "retention.ms", value: "5000", source: 1))
        }
        #expect(retention.configType == (version >= 3 ? 5 : 0))
        #expect((retention.documentation != nil) == (version >= 3))
    }

    // MARK: this broker

    @Test func thisBrokerListsItsConfigsWithReadOnlyFlagsAndSources() throws {
        var harness = try BrokerHarness(configure: { $0.nodeId = 0; $0.defaultPartitions = 3; $0.dataDirectory = "/data" })
        let result = try harness.describe(Resource.broker, "0")
        #expect(result.errorCode == .none)
        #expect(Set(result.configs.map(\.name)) == Set(BrokerConfigDefinitions.all.map(\.name)))
        let byName = Dictionary(uniqueKeysWithValues: result.configs.map { ($0.name, $0) })
        // Dynamic log defaults are writable; their less specific synonyms are not.
        #expect(byName["log.retention.ms"]?.readOnly == false)
        #expect(byName["log.retention.ms"]?.value == nil, "Kafka's log.retention.ms has no default")
        #expect(byName["log.retention.ms"]?.configSource == 5)
        #expect(byName["log.retention.hours"]?.readOnly == true)
        #expect(byName["log.retention.hours"]?.value == "168")
        #expect(byName["log.cleanup.policy"]?.value == "delete")
        #expect(byName["log.cleanup.policy"]?.configType == 7)
        #expect(byName["log.cleaner.backoff.ms"]?.readOnly == false)
        #expect(byName["log.cleaner.enable"]?.readOnly == true)
        // Values the running broker derives from its flags are static.
        #expect(byName["broker.id"]?.value == "0")
        #expect(byName["broker.id"]?.configSource == 4)
        #expect(byName["broker.id"]?.synonyms == [Synonym(name: "broker.id", value: "0", source: 4), Synonym(name: "broker.id", value: "-1", source: 5)])
        #expect(byName["num.partitions"]?.value == "3")
        #expect(byName["num.partitions"]?.configSource == 4)
        #expect(byName["log.dirs"]?.value == "/data")
        #expect(byName["advertised.listeners"]?.value == "PLAINTEXT://broker.test:19092")
        #expect(byName["default.replication.factor"]?.configSource == 5)
        #expect(result.configs.allSatisfy { !$0.isSensitive })
    }

    @Test func aStaticBrokerConfigShowsWithSourceFour() throws {
        var harness = try BrokerHarness(configure: { $0.staticConfigs = ["log.retention.hours": "24", "log.cleaner.io.max.bytes.per.second": "1.0E7"] })
        let hours = try #require(try harness.describedEntry(Resource.broker, "0", "log.retention.hours"))
        #expect(hours.value == "24")
        #expect(hours.configSource == 4)
        #expect(hours.synonyms == [Synonym(name: "log.retention.hours", value: "24", source: 4), Synonym(name: "log.retention.hours", value: "168", source: 5)])
        #expect(try harness.describedEntry(Resource.broker, "0", "log.cleaner.io.max.bytes.per.second")?.value == "1.0E7")
    }

    @Test func theClusterDefaultResourceListsOnlyTheDynamicDefaults() throws {
        var harness = try BrokerHarness()
        let empty = try harness.describe(Resource.broker, "")
        #expect(empty.errorCode == .none)
        #expect(empty.configs.isEmpty)
        #expect(try harness.incrementalAlter(Resource.broker, "", [("log.retention.ms", Op.set, "3600000")]) == .ok)
        #expect(try harness.incrementalAlter(Resource.broker, "0", [("log.cleaner.backoff.ms", Op.set, "1000")]) == .ok)
        let set = try harness.describe(Resource.broker, "")
        #expect(set.configs == [.init(name: "log.retention.ms", value: "3600000", readOnly: false, isDefault: false, configSource: 3, isSensitive: false,
                                      synonyms: [Synonym(name: "log.retention.ms", value: "3600000", source: 3)], configType: 5, documentation: nil)])
    }

    @Test func thisBrokersEntryShowsTheMostSpecificDynamicLayer() throws {
        var harness = try BrokerHarness(configure: { $0.staticConfigs = ["log.retention.ms": "1"] })
        #expect(try harness.incrementalAlter([(Resource.broker, "", [("log.retention.ms", Op.set, "2")]),
                                              (Resource.broker, "0", [("log.retention.ms", Op.set, "3")])]) == [.ok, .ok])
        let entry = try #require(try harness.describedEntry(Resource.broker, "0", "log.retention.ms"))
        #expect(entry.value == "3")
        #expect(entry.configSource == 2)
        #expect(entry.synonyms == [Synonym(name: "log.retention.ms", value: "3", source: 2), Synonym(name: "log.retention.ms", value: "2", source: 3),
                                   Synonym(name: "log.retention.ms", value: "1", source: 4)])
    }

    @Test(arguments: [
        ("7", "Unexpected broker id, expected 0 or empty string, but received 7"),
        ("-1", "Unexpected broker id, expected 0 or empty string, but received -1"),
        ("x", "Broker id must be an integer, but it is: x"),
        (" 0", "Broker id must be an integer, but it is:  0"),
    ])
    func anotherBrokerIdIsAnInvalidRequest(name: String, message: String) throws {
        try expectRefused(Resource.broker, name, .invalidRequest, message)
    }

    @Test func aBrokerWithAnotherNodeIdAnswersToItsOwnId() throws {
        var harness = try BrokerHarness(configure: { $0.nodeId = 3 })
        #expect(try harness.describe(Resource.broker, "3").errorCode == .none)
        #expect(try harness.describedEntry(Resource.broker, "3", "broker.id")?.value == "3")
        #expect(try harness.describe(Resource.broker, "0").errorMessage == "Unexpected broker id, expected 3 or empty string, but received 0")
    }

    // MARK: groups

    @Test func anUnknownGroupGetsEveryGroupConfigWithItsDefault() throws {
        var harness = try BrokerHarness()
        let result = try harness.describe(Resource.group, "never-seen")
        #expect(result.errorCode == .none)
        let values = Dictionary(uniqueKeysWithValues: result.configs.map { ($0.name, $0.value) })
        #expect(values == [
            "consumer.session.timeout.ms": "45000", "consumer.heartbeat.interval.ms": "5000",
            "share.session.timeout.ms": "45000", "share.heartbeat.interval.ms": "5000", "share.record.lock.duration.ms": "30000",
            "share.auto.offset.reset": "latest", "share.isolation.level": "read_uncommitted",
            "streams.session.timeout.ms": "45000", "streams.heartbeat.interval.ms": "5000", "streams.num.standby.replicas": "0",
            "streams.initial.rebalance.delay.ms": "3000",
        ])
        for entry in result.configs {
            #expect(entry.configSource == 5)
            #expect(entry.synonyms == [Synonym(name: entry.name, value: entry.value, source: 5)])
            #expect(!entry.readOnly)
            #expect(entry.configType == (entry.name.hasPrefix("share.auto") || entry.name.hasPrefix("share.isolation") ? 2 : 3))
        }
    }

    @Test func aGroupValueSetAtRunTimeHasSourceEight() throws {
        var harness = try BrokerHarness()
        #expect(try harness.incrementalAlter(Resource.group, "g", [("consumer.session.timeout.ms", Op.set, "50000")]) == .ok)
        let entry = try #require(try harness.describedEntry(Resource.group, "g", "consumer.session.timeout.ms"))
        #expect(entry.value == "50000")
        #expect(entry.configSource == 8)
        #expect(entry.synonyms == [Synonym(name: "consumer.session.timeout.ms", value: "50000", source: 8)])
        #expect(try harness.describedEntry(Resource.group, "other", "consumer.session.timeout.ms")?.value == "45000", "other groups keep the default")
        #expect(harness.broker.groupConfig("g")["consumer.session.timeout.ms"] == "50000")
    }

    @Test func groupDefaultsFollowTheBrokersGroupSettings() throws {
        var harness = try BrokerHarness(configure: {
            $0.staticConfigs = ["group.consumer.session.timeout.ms": "50000", "group.share.record.lock.duration.ms": "20000",
                                "group.streams.max.session.timeout.ms": "90000"]
        })
        let values = Dictionary(uniqueKeysWithValues: try harness.describe(Resource.group, "g").configs.map { ($0.name, $0.value) })
        #expect(values["consumer.session.timeout.ms"] == "50000")
        #expect(values["share.record.lock.duration.ms"] == "20000")
        #expect(values["streams.session.timeout.ms"] == "45000", "streams defaults do not follow broker settings (Kafka 4.1)")
        #expect(try harness.describedEntry(Resource.group, "g", "consumer.session.timeout.ms")?.configSource == 5)
    }

    @Test func anEmptyGroupNameIsAnInvalidRequest() throws {
        try expectRefused(Resource.group, "", .invalidRequest, "Group name must not be empty")
    }
}
