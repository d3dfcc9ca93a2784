import Broker
import Dispatch
import KafkaProtocol
import LogStorage
import SystemIO
import Testing

/// IncrementalAlterConfigs and legacy AlterConfigs on topics, this broker ("0", and "" for the
/// cluster defaults) and groups, against Kafka 4: each operation, each refusal with its exact
/// code and message, all-or-nothing per resource, validateOnly, persistence across restarts, and
/// dynamic broker defaults reaching topics at once.
@Suite struct AlterConfigsTests {
    static func invalidRequest(_ message: String) -> Outcome { Outcome(code: .invalidRequest, message: message) }
    static func invalidConfig(_ message: String) -> Outcome { Outcome(code: .invalidConfig, message: message) }

    @Test func concurrentAlterationsOfDifferentGroupsAreAllKept() throws {
        // Three services set their group's session timeout at the same moment (as the shop's
        // do at start): none of the changes may be lost.
        let harness = try BrokerHarness()
        let broker = harness.broker
        DispatchQueue.concurrentPerform(iterations: 24) { index in
            let request = IncrementalAlterConfigsRequest(resources: [
                .init(resourceType: Resource.group, resourceName: "group-\(index)",
                      configs: [.init(name: "consumer.session.timeout.ms", configOperation: Op.set, value: String(46_000 + index))]),
            ], validateOnly: false)
            let frame = Array(FrameCodec.encodeRequest(request, version: 1, correlationId: Int32(index), clientId: "t").dropFirst(4))
            _ = broker.handle(frame: frame)
        }
        for index in 0..<24 {
            #expect(broker.groupConfig("group-\(index)")["consumer.session.timeout.ms"] == String(46_000 + index), "group-\(index)")
        }
    }

    // MARK: topics: operations

    @Test func setAppliesToTheTopicAtOnce() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t", partitions: 2)
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("retention.ms", Op.set, " 1000 "), ("segment.ms", Op.set, "60000")]) == .ok)
        #expect(harness.topicOverrides("t") == ["retention.ms": "1000", "segment.ms": "60000"])
        for partition in Int32(0)...1 {
            #expect(try harness.store.partition("t", partition).config.retentionMillis == 1000)
            #expect(try harness.store.partition("t", partition).config.segmentMillis == 60_000)
        }
        #expect(try harness.describedEntry(Resource.topic, "t", "retention.ms")?.configSource == 1)
        #expect(harness.store.topic("t")?.config.partitionCount == 2, "the partition count is kept")
    }

    @Test func deleteRestoresTheBrokerValueAndIgnoresUnsetOrUnknownNames() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t", ["retention.ms": "1000", "segment.ms": "60000"])
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("retention.ms", Op.delete, nil), ("flush.messages", Op.delete, nil),
                                                                   ("foo.bar", Op.delete, "ignored")]) == .ok)
        #expect(harness.topicOverrides("t") == ["segment.ms": "60000"])
        #expect(try harness.logConfig("t").retentionMillis == 604_800_000)
        let entry = try #require(try harness.describedEntry(Resource.topic, "t", "retention.ms"))
        #expect(entry.value == "604800000")
        #expect(entry.configSource == 5)
    }

    @Test func appendStartsFromTheDefaultAndAddsOnlyWhatIsMissing() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t")
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("cleanup.policy", Op.append, "compact")]) == .ok)
        #expect(harness.topicOverrides("t")?["cleanup.policy"] == "delete,compact")
        #expect(try harness.logConfig("t").cleanupPolicy == .compactDelete)
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("cleanup.policy", Op.append, "delete,compact")]) == .ok)
        #expect(harness.topicOverrides("t")?["cleanup.policy"] == "delete,compact", "nothing twice")
    }

    @Test func subtractRemovesListedValues() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t", ["cleanup.policy": "compact,delete"])
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("cleanup.policy", Op.subtract, "delete,nothing")]) == .ok)
        #expect(harness.topicOverrides("t")?["cleanup.policy"] == "compact")
        #expect(try harness.logConfig("t").cleanupPolicy == .compact)
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("cleanup.policy", Op.subtract, "compact")]) == .ok)
        #expect(harness.topicOverrides("t")?["cleanup.policy"] == "")
        #expect(try harness.logConfig("t").cleanupPolicy == .keepAll)
    }

    @Test func appendToThrottledReplicasDropsEmptyParts() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t")
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("leader.replication.throttled.replicas", Op.append, "0:0,,1:0")]) == .ok)
        #expect(harness.topicOverrides("t")?["leader.replication.throttled.replicas"] == "0:0,1:0")
    }

    @Test(arguments: [(Op.append, "APPEND"), (Op.subtract, "SUBTRACT")])
    func appendOrSubtractOnANonListOrUnknownKeyIsRefused(op: Int8, verb: String) throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t")
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("retention.ms", op, "1")])
            == Self.invalidConfig("Can't \(verb) to key retention.ms because its type is not LIST."))
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("foo.bar", op, "1")])
            == Self.invalidConfig("Can't \(verb) to key foo.bar because its type is not LIST."))
        // Kafka refuses the operation before it validates any name or value.
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("no.such", Op.set, "1"), ("retention.ms", op, "1")])
            == Self.invalidConfig("Can't \(verb) to key retention.ms because its type is not LIST."))
        #expect(harness.topicOverrides("t") == [:])
    }

    // MARK: topics: refusals

    @Test(arguments: [
        ("retention.ms", "abc", "Invalid value abc for configuration retention.ms: Not a number of type LONG"),
        ("segment.bytes", "-1", "Invalid value -1 for configuration segment.bytes: Value must be at least 1048576"),
        ("cleanup.policy", "compact,foo", "Invalid value foo for configuration cleanup.policy: String must be one of: compact, delete"),
        ("foo.bar", "1", "Unknown topic config name: foo.bar"),
        ("message.downconversion.enable", "true", "Unknown topic config name: message.downconversion.enable"),
        ("remote.storage.enable", "true", "Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage."),
    ])
    func aBadTopicValueIsInvalidConfigWithKafkasMessage(name: String, value: String, message: String) throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t", ["retention.ms": "5000"])
        #expect(try harness.incrementalAlter(Resource.topic, "t", [(name, Op.set, value)]) == Self.invalidConfig(message))
        #expect(try harness.legacyAlter([(Resource.topic, "t", [(name, value)])]) == [Self.invalidConfig(message)])
        #expect(harness.topicOverrides("t") == ["retention.ms": "5000"])
    }

    @Test func unknownNamesAreReportedBeforeBadValues() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t")
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("retention.ms", Op.set, "abc"), ("foo.bar", Op.set, "1")])
            == Self.invalidConfig("Unknown topic config name: foo.bar"))
    }

    @Test func badValuesAreReportedInKafkasDefinitionOrder() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t")
        // LogConfig defines segment.bytes before retention.ms, and retention.ms before cleanup.policy.
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("cleanup.policy", Op.set, "x"), ("retention.ms", Op.set, "abc"), ("segment.bytes", Op.set, "abc")])
            == Self.invalidConfig("Invalid value abc for configuration segment.bytes: Not a number of type INT"))
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("cleanup.policy", Op.set, "x"), ("retention.ms", Op.set, "abc")])
            == Self.invalidConfig("Invalid value abc for configuration retention.ms: Not a number of type LONG"))
    }

    @Test func minCompactionLagAboveMaxIsRefused() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t", ["max.compaction.lag.ms": "1000"])
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("min.compaction.lag.ms", Op.set, "5000")])
            == Self.invalidConfig("conflict topic config setting min.compaction.lag.ms (5000) > max.compaction.lag.ms (1000)"))
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("min.compaction.lag.ms", Op.set, "5000"), ("max.compaction.lag.ms", Op.delete, nil)]) == .ok)
        #expect(harness.topicOverrides("t") == ["min.compaction.lag.ms": "5000"])
    }

    @Test func aResourceIsAllOrNothing() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t")
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("retention.ms", Op.set, "1000"), ("segment.ms", Op.set, "0")])
            == Self.invalidConfig("Invalid value 0 for configuration segment.ms: Value must be at least 1"))
        #expect(harness.topicOverrides("t") == [:])
        #expect(try harness.logConfig("t").retentionMillis == 604_800_000)
    }

    @Test func resourcesAreIndependent() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("a")
        try harness.createTopic("b")
        let outcomes = try harness.incrementalAlter([
            (Resource.topic, "a", [("retention.ms", Op.set, "nope")]),
            (Resource.topic, "b", [("retention.ms", Op.set, "1000")]),
            (Resource.group, "g", [("consumer.session.timeout.ms", Op.set, "50000")]),
        ])
        #expect(outcomes == [Self.invalidConfig("Invalid value nope for configuration retention.ms: Not a number of type LONG"), .ok, .ok])
        #expect(harness.topicOverrides("a") == [:])
        #expect(harness.topicOverrides("b") == ["retention.ms": "1000"])
        #expect(harness.broker.groupConfig("g")["consumer.session.timeout.ms"] == "50000")
    }

    @Test func aMissingTopicIsUnknownOnlyOnceItsConfigsAreValid() throws {
        var harness = try BrokerHarness(configure: { $0.autoCreateTopics = true })
        #expect(try harness.incrementalAlter(Resource.topic, "missing", [("retention.ms", Op.set, "1000")])
            == Outcome(code: .unknownTopicOrPartition, message: "The topic 'missing' does not exist."))
        #expect(try harness.incrementalAlter(Resource.topic, "missing", [("retention.ms", Op.set, "x")])
            == Self.invalidConfig("Invalid value x for configuration retention.ms: Not a number of type LONG"))
        #expect(try harness.legacyAlter([(Resource.topic, "missing", [("retention.ms", "1000")])])
            == [Outcome(code: .unknownTopicOrPartition, message: "The topic 'missing' does not exist.")])
        #expect(harness.store.topic("missing") == nil)
    }

    @Test func theDefaultTopicResourceIsRefused() throws {
        var harness = try BrokerHarness()
        #expect(try harness.incrementalAlter(Resource.topic, "", [("retention.ms", Op.set, "1000")])
            == Self.invalidRequest("Default topic resources are not allowed."))
        #expect(try harness.legacyAlter([(Resource.topic, "", [("retention.ms", "1000")])])
            == [Self.invalidRequest("Default topic resources are not allowed.")])
    }

    @Test func anInvalidTopicNameIsRefusedBeforeItsConfigs() throws {
        var harness = try BrokerHarness()
        let message = "Topic name is invalid: 'bad name' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"
        #expect(try harness.incrementalAlter(Resource.topic, "bad name", [("retention.ms", Op.set, "x")])
            == Outcome(code: .invalidTopicException, message: message))
        #expect(try harness.incrementalAlter(Resource.topic, "..", [("retention.ms", Op.set, "1")])
            == Outcome(code: .invalidTopicException, message: "Topic name is invalid: '..' is not allowed"))
    }

    // MARK: request-level refusals

    @Test func aResourceListedTwiceIsRefusedBothTimes() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t")
        try harness.createTopic("u")
        let outcomes = try harness.incrementalAlter([
            (Resource.topic, "t", [("retention.ms", Op.set, "1000")]),
            (Resource.topic, "u", [("retention.ms", Op.set, "2000")]),
            (Resource.topic, "t", [("segment.ms", Op.set, "1000")]),
            (Resource.group, "t", [("consumer.session.timeout.ms", Op.set, "50000")]),
        ])
        let twice = Self.invalidRequest("Each resource must appear at most once.")
        #expect(outcomes == [twice, .ok, twice, .ok], "the same name as another type is another resource")
        #expect(harness.topicOverrides("t") == [:])
        #expect(harness.topicOverrides("u") == ["retention.ms": "2000"])
        #expect(try harness.legacyAlter([(Resource.broker, "", []), (Resource.broker, "", [])]) == [twice, twice])
    }

    @Test func aConfigNamedTwiceIsRefusedWhateverTheOperations() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t")
        let duplicate = Self.invalidRequest("Error due to duplicate config keys")
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("retention.ms", Op.set, "1000"), ("retention.ms", Op.delete, nil)]) == duplicate)
        #expect(try harness.legacyAlter([(Resource.topic, "t", [("retention.ms", "1"), ("retention.ms", "2")])]) == [duplicate])
        #expect(harness.topicOverrides("t") == [:])
    }

    @Test func nullValuesAreRefusedExceptForDelete() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t", ["retention.ms": "1000"])
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("segment.ms", Op.set, nil), ("retention.ms", Op.delete, nil), ("cleanup.policy", Op.append, nil)])
            == Self.invalidRequest("Null value not supported for : segment.ms, cleanup.policy"))
        #expect(try harness.legacyAlter([(Resource.topic, "t", [("segment.ms", nil)])]) == [Self.invalidRequest("Null value not supported for : segment.ms")])
        #expect(harness.topicOverrides("t") == ["retention.ms": "1000"])
    }

    @Test(arguments: [Int8(0), 1, 8, 16, 99, -1])
    func anUnsupportedResourceTypeIsRefusedAlone(type: Int8) throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t")
        #expect(try harness.incrementalAlter([(type, "x", [("a", Op.set, "1")]), (Resource.topic, "t", [("retention.ms", Op.set, "1000")])])
            == [Self.invalidRequest("Unknown resource type \(type)"), .ok])
        #expect(try harness.legacyAlter([(type, "x", [("a", "1")])]) == [Self.invalidRequest("Unknown resource type \(type)")])
    }

    @Test func anUnknownOperationIsRefused() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t")
        #expect(try harness.incrementalAlter(Resource.broker, "0", [("log.retention.ms", 7, "1")]) == Self.invalidRequest("Unknown operations type 7"))
        #expect(try harness.incrementalAlter(Resource.topic, "t", [("retention.ms", Op.set, "1"), ("segment.ms", -1, "1")]) == Self.invalidRequest("Unknown operations type -1"))
        #expect(harness.topicOverrides("t") == [:])
    }

    // MARK: broker

    @Test(arguments: [
        ("x", "Node id must be an integer, but it is: x"),
        ("5", "Unexpected broker id, expected 0, but received 5"),
        ("-1", "Unexpected broker id, expected 0, but received -1"),
    ])
    func anotherBrokerIsAnInvalidRequest(name: String, message: String) throws {
        var harness = try BrokerHarness()
        #expect(try harness.incrementalAlter(Resource.broker, name, [("log.retention.ms", Op.set, "1000")]) == Self.invalidRequest(message))
        #expect(try harness.legacyAlter([(Resource.broker, name, [("log.retention.ms", "1000")])]) == [Self.invalidRequest(message)])
        #expect(try harness.dynamicConfigsFile() == nil)
    }

    @Test func readOnlyBrokerConfigsAreRefusedButDeletingThemIsANoOp() throws {
        var harness = try BrokerHarness()
        #expect(try harness.incrementalAlter(Resource.broker, "0", [("log.retention.hours", Op.set, "1")])
            == Self.invalidRequest("Cannot update these configs dynamically: Set(log.retention.hours)"))
        #expect(try harness.incrementalAlter(Resource.broker, "", [("broker.id", Op.set, "1"), ("log.retention.ms", Op.set, "5"), ("log.dirs", Op.set, "/x")])
            == Self.invalidRequest("Cannot update these configs dynamically: Set(broker.id, log.dirs)"))
        #expect(try harness.dynamicConfigsFile() == nil)
        #expect(try harness.incrementalAlter(Resource.broker, "0", [("log.retention.hours", Op.delete, nil)]) == .ok)
    }

    @Test func unknownBrokerConfigNamesAreRefusedByKaffeed() throws {
        var harness = try BrokerHarness()
        #expect(try harness.incrementalAlter(Resource.broker, "", [("foo.bar", Op.set, "1")])
            == Self.invalidRequest("Unknown broker config name: foo.bar (kaffeed accepts only the broker configs it uses)"))
        #expect(try harness.incrementalAlter(Resource.broker, "", [("foo.bar", Op.delete, nil)]) == .ok, "deleting one is a no-op")
    }

    @Test func aBadBrokerValueIsAnInvalidRequest() throws {
        var harness = try BrokerHarness()
        #expect(try harness.incrementalAlter(Resource.broker, "", [("log.retention.ms", Op.set, "abc")])
            == Self.invalidRequest("Invalid value abc for configuration log.retention.ms: Not a number of type LONG"))
        #expect(try harness.incrementalAlter(Resource.broker, "0", [("log.segment.bytes", Op.set, "1000")])
            == Self.invalidRequest("Invalid value 1000 for configuration log.segment.bytes: Value must be at least 1048576"))
        #expect(try harness.incrementalAlter(Resource.broker, "0", [("log.cleanup.policy", Op.append, "foo")])
            == Self.invalidRequest("Invalid value foo for configuration log.cleanup.policy: String must be one of: compact, delete"))
        #expect(try harness.dynamicConfigsFile() == nil)
    }

    @Test func appendOnABrokerListWorksAndOnOthersIsRefused() throws {
        var harness = try BrokerHarness()
        #expect(try harness.incrementalAlter(Resource.broker, "", [("log.retention.ms", Op.append, "1")])
            == Self.invalidConfig("Config value append is not allowed for config key: log.retention.ms"))
        #expect(try harness.incrementalAlter(Resource.broker, "", [("log.retention.ms", Op.subtract, "1")])
            == Self.invalidConfig("Config value subtract is not allowed for config key: log.retention.ms"))
        #expect(try harness.incrementalAlter(Resource.broker, "", [("log.cleanup.policy", Op.append, "compact")]) == .ok)
        #expect(try harness.describedEntry(Resource.broker, "", "log.cleanup.policy")?.value == "delete,compact")
        #expect(try harness.incrementalAlter(Resource.broker, "", [("log.cleanup.policy", Op.subtract, "delete")]) == .ok)
        #expect(try harness.describedEntry(Resource.broker, "", "log.cleanup.policy")?.value == "compact")
    }

    @Test func aDynamicDefaultReachesTopicsThatDoNotSetItAtOnce() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("plain", partitions: 2)
        try harness.createTopic("own", ["retention.ms": "1000"])
        #expect(try harness.incrementalAlter(Resource.broker, "", [("log.retention.ms", Op.set, "3600000")]) == .ok)
        #expect(try harness.store.partition("plain", 0).config.retentionMillis == 3_600_000)
        #expect(try harness.store.partition("plain", 1).config.retentionMillis == 3_600_000)
        #expect(try harness.logConfig("own").retentionMillis == 1000)
        let plain = try #require(try harness.describedEntry(Resource.topic, "plain", "retention.ms"))
        #expect(plain.value == "3600000")
        #expect(plain.configSource == 3)
        #expect(plain.synonyms.first == .init(name: "log.retention.ms", value: "3600000", source: 3))
        let own = try #require(try harness.describedEntry(Resource.topic, "own", "retention.ms"))
        #expect(own.value == "1000")
        #expect(own.configSource == 1)

        // This broker's own value beats the cluster default.
        #expect(try harness.incrementalAlter(Resource.broker, "0", [("log.retention.ms", Op.set, "7200000")]) == .ok)
        #expect(try harness.logConfig("plain").retentionMillis == 7_200_000)
        #expect(try harness.describedEntry(Resource.topic, "plain", "retention.ms")?.configSource == 2)
        #expect(try harness.logConfig("own").retentionMillis == 1000)

        // Deleting both brings Kafka's default back.
        #expect(try harness.incrementalAlter([(Resource.broker, "0", [("log.retention.ms", Op.delete, nil)]),
                                              (Resource.broker, "", [("log.retention.ms", Op.delete, nil)])]) == [.ok, .ok])
        #expect(try harness.logConfig("plain").retentionMillis == 604_800_000)
        #expect(try harness.describedEntry(Resource.topic, "plain", "retention.ms")?.configSource == 5)
    }

    @Test func aDynamicDefaultAppliesToTopicsCreatedLater() throws {
        var harness = try BrokerHarness()
        #expect(try harness.incrementalAlter(Resource.broker, "", [("log.segment.bytes", Op.set, "2097152")]) == .ok)
        let created = try harness.send(CreateTopicsRequest(topics: [.init(name: "later", numPartitions: 1, replicationFactor: 1)], timeoutMs: 1000), version: 5)
        let segment = try #require(created.topics.first?.configs?.first { $0.name == "segment.bytes" })
        #expect(segment.value == "2097152")
        #expect(segment.configSource == 3)
        #expect(try harness.logConfig("later").segmentBytes == 2_097_152)
    }

    @Test func aBrokerDefaultThatWouldBreakATopicIsRefused() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t", ["min.compaction.lag.ms": "5000"])
        #expect(try harness.incrementalAlter(Resource.broker, "", [("log.cleaner.max.compaction.lag.ms", Op.set, "1000")])
            == Self.invalidRequest("Invalid dynamic configuration: topic t: conflict topic config setting min.compaction.lag.ms (5000) > max.compaction.lag.ms (1000)"))
        #expect(try harness.dynamicConfigsFile() == nil)
        #expect(try harness.logConfig("t").maxCompactionLagMillis == .max)
    }

    @Test func brokerLayersChangedTogetherAreCheckedTogether() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t")
        // Each is fine on its own; together every topic would have min > max.
        let outcomes = try harness.incrementalAlter([
            (Resource.broker, "", [("log.cleaner.min.compaction.lag.ms", Op.set, "5000")]),
            (Resource.broker, "0", [("log.cleaner.max.compaction.lag.ms", Op.set, "1000")]),
        ])
        #expect(outcomes == [.ok, Self.invalidRequest("Invalid dynamic configuration: topic t: conflict topic config setting min.compaction.lag.ms (5000) > max.compaction.lag.ms (1000)")])
        #expect(try harness.logConfig("t").minCompactionLagMillis == 5000)
        #expect(try harness.logConfig("t").maxCompactionLagMillis == .max)
    }

    @Test func aTopicChangeIsCheckedAgainstBrokerDefaultsSetInTheSameRequest() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t")
        let outcomes = try harness.incrementalAlter([
            (Resource.broker, "", [("log.cleaner.max.compaction.lag.ms", Op.set, "1000")]),
            (Resource.topic, "t", [("min.compaction.lag.ms", Op.set, "5000")]),
        ])
        #expect(outcomes == [.ok, Self.invalidConfig("conflict topic config setting min.compaction.lag.ms (5000) > max.compaction.lag.ms (1000)")])
        #expect(harness.topicOverrides("t") == [:])
    }

    @Test func cleanerSettingsFollowTheDynamicConfigs() throws {
        var harness = try BrokerHarness()
        #expect(harness.broker.cleanerSettings.backoffMillis == 15_000)
        #expect(try harness.incrementalAlter(Resource.broker, "0", [("log.cleaner.backoff.ms", Op.set, "250"), ("log.cleaner.dedupe.buffer.size", Op.set, "1048576"),
                                                                   ("log.cleaner.io.max.bytes.per.second", Op.set, "1e6")]) == .ok)
        let settings = harness.broker.cleanerSettings
        #expect(settings.backoffMillis == 250)
        #expect(settings.offsetMapBytes == 1_048_576)
        #expect(settings.ioBytesPerSecond == 1_000_000)
        #expect(try harness.describedEntry(Resource.broker, "0", "log.cleaner.io.max.bytes.per.second")?.value == "1000000.0")
    }

    // MARK: groups

    @Test func aGroupConfigIsStoredForAGroupThatDoesNotExistYet() throws {
        var harness = try BrokerHarness()
        #expect(try harness.incrementalAlter(Resource.group, "new group", [("consumer.session.timeout.ms", Op.set, "60000"), ("share.auto.offset.reset", Op.set, "by_duration:PT1H")]) == .ok)
        #expect(harness.broker.groupConfig("new group")["consumer.session.timeout.ms"] == "60000")
        #expect(harness.broker.groupConfig("new group")["share.auto.offset.reset"] == "by_duration:PT1H")
        #expect(try harness.incrementalAlter(Resource.group, "new group", [("consumer.session.timeout.ms", Op.delete, nil)]) == .ok)
        #expect(harness.broker.groupConfig("new group")["consumer.session.timeout.ms"] == "45000")
    }

    @Test(arguments: [
        ("consumer.session.timeout.ms", "44999", "consumer.session.timeout.ms must be greater than or equal to group.consumer.min.session.timeout.ms"),
        ("consumer.session.timeout.ms", "60001", "consumer.session.timeout.ms must be less than or equal to group.consumer.max.session.timeout.ms"),
        ("consumer.heartbeat.interval.ms", "4999", "consumer.heartbeat.interval.ms must be greater than or equal to group.consumer.min.heartbeat.interval.ms"),
        ("consumer.heartbeat.interval.ms", "15001", "consumer.heartbeat.interval.ms must be less than or equal to group.consumer.max.heartbeat.interval.ms"),
        ("share.session.timeout.ms", "1000", "share.session.timeout.ms must be greater than or equal to group.share.min.session.timeout.ms"),
        ("share.heartbeat.interval.ms", "20000", "share.heartbeat.interval.ms must be less than or equal to group.share.max.heartbeat.interval.ms"),
        ("share.record.lock.duration.ms", "14999", "share.record.lock.duration.ms must be greater than or equal to group.share.min.record.lock.duration.ms"),
        ("share.record.lock.duration.ms", "60001", "share.record.lock.duration.ms must be less than or equal to group.share.max.record.lock.duration.ms"),
        ("streams.session.timeout.ms", "70000", "streams.session.timeout.ms must be less than or equal to group.streams.max.session.timeout.ms"),
        ("streams.heartbeat.interval.ms", "4000", "streams.heartbeat.interval.ms must be greater than or equal to group.streams.min.heartbeat.interval.ms"),
        ("streams.num.standby.replicas", "3", "streams.num.standby.replicas must be less than or equal to group.streams.max.standby.replicas"),
        ("consumer.session.timeout.ms", "x", "Invalid value x for configuration consumer.session.timeout.ms: Not a number of type INT"),
        ("consumer.session.timeout.ms", "0", "Invalid value 0 for configuration consumer.session.timeout.ms: Value must be at least 1"),
        ("share.record.lock.duration.ms", "999", "Invalid value 999 for configuration share.record.lock.duration.ms: Value must be at least 1000"),
        ("streams.num.standby.replicas", "-1", "Invalid value -1 for configuration streams.num.standby.replicas: Value must be at least 0"),
        ("share.isolation.level", "serializable", "Invalid value serializable for configuration share.isolation.level: String must be one of: read_committed, read_uncommitted"),
        ("share.auto.offset.reset", "none", "Invalid value none for configuration share.auto.offset.reset: Invalid value `none` for configuration share.auto.offset.reset. The value must be either 'earliest', 'latest' or of the format 'by_duration:<PnDTnHnMn.nS>'."),
        ("group.id", "x", "Unknown group config name: group.id"),
    ])
    func groupValuesAreCheckedAgainstTheBrokersBounds(name: String, value: String, message: String) throws {
        var harness = try BrokerHarness()
        #expect(try harness.incrementalAlter(Resource.group, "g", [(name, Op.set, value)]) == Self.invalidConfig(message))
        #expect(try harness.legacyAlter([(Resource.group, "g", [(name, value)])]) == [Self.invalidConfig(message)])
        #expect(try harness.describedEntry(Resource.group, "g", "consumer.session.timeout.ms")?.configSource == 5)
        #expect(try harness.dynamicConfigsFile() == nil)
    }

    @Test func theBoundsAreTheBrokersCurrentOnes() throws {
        var harness = try BrokerHarness(configure: { $0.staticConfigs = ["group.consumer.max.session.timeout.ms": "90000"] })
        #expect(try harness.incrementalAlter(Resource.group, "g", [("consumer.session.timeout.ms", Op.set, "90000")]) == .ok)
        #expect(try harness.incrementalAlter(Resource.group, "g", [("consumer.session.timeout.ms", Op.set, "90001")])
            == Self.invalidConfig("consumer.session.timeout.ms must be less than or equal to group.consumer.max.session.timeout.ms"))
    }

    @Test func theHeartbeatBoundIsCheckedBeforeTheSessionBound() throws {
        var harness = try BrokerHarness()
        #expect(try harness.incrementalAlter(Resource.group, "g", [("consumer.session.timeout.ms", Op.set, "1"), ("consumer.heartbeat.interval.ms", Op.set, "1")])
            == Self.invalidConfig("consumer.heartbeat.interval.ms must be greater than or equal to group.consumer.min.heartbeat.interval.ms"))
    }

    @Test func theSessionTimeoutMustExceedTheHeartbeatInterval() throws {
        var harness = try BrokerHarness(configure: {
            $0.staticConfigs = ["group.consumer.min.session.timeout.ms": "1000", "group.streams.min.session.timeout.ms": "1000"]
        })
        #expect(try harness.incrementalAlter(Resource.group, "g", [("consumer.session.timeout.ms", Op.set, "5000")])
            == Self.invalidConfig("consumer.session.timeout.ms must be greater than consumer.heartbeat.interval.ms"))
        #expect(try harness.incrementalAlter(Resource.group, "g", [("streams.session.timeout.ms", Op.set, "4000")])
            == Self.invalidConfig("streams.session.timeout.ms must be greater than streams.heartbeat.interval.ms"))
        #expect(try harness.incrementalAlter(Resource.group, "g", [("consumer.session.timeout.ms", Op.set, "5001")]) == .ok)
        // A stored value is checked with the new one: raising the heartbeat to the session timeout fails.
        #expect(try harness.incrementalAlter(Resource.group, "g", [("consumer.heartbeat.interval.ms", Op.set, "5001")])
            == Self.invalidConfig("consumer.session.timeout.ms must be greater than consumer.heartbeat.interval.ms"))
    }

    @Test func groupOperationsOtherThanSetAndDeleteAreRefused() throws {
        var harness = try BrokerHarness()
        #expect(try harness.incrementalAlter(Resource.group, "g", [("consumer.session.timeout.ms", Op.append, "1")])
            == Self.invalidConfig("Can't APPEND to key consumer.session.timeout.ms because its type is not LIST."))
        #expect(try harness.incrementalAlter(Resource.group, "g", [("no.such", Op.set, "1"), ("other", Op.subtract, "1")])
            == Self.invalidConfig("Can't SUBTRACT to key other because its type is not LIST."))
    }

    @Test func theDefaultGroupResourceIsRefused() throws {
        var harness = try BrokerHarness()
        #expect(try harness.incrementalAlter(Resource.group, "", [("consumer.session.timeout.ms", Op.set, "50000")])
            == Self.invalidRequest("Default group resources are not allowed."))
        #expect(try harness.legacyAlter([(Resource.group, "", [("consumer.session.timeout.ms", "50000")])])
            == [Self.invalidRequest("Default group resources are not allowed.")])
    }

    // MARK: validateOnly

    @Test func validateOnlyReportsEverythingAndChangesNothing() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t", ["retention.ms": "1000"])
        let outcomes = try harness.incrementalAlter([
            (Resource.topic, "t", [("retention.ms", Op.set, "2000"), ("cleanup.policy", Op.append, "compact")]),
            (Resource.broker, "", [("log.retention.ms", Op.set, "3600000")]),
            (Resource.broker, "0", [("log.cleaner.backoff.ms", Op.set, "1")]),
            (Resource.group, "g", [("consumer.session.timeout.ms", Op.set, "50000")]),
            (Resource.topic, "missing", [("retention.ms", Op.set, "1")]),
            (Resource.topic, "t2", [("retention.ms", Op.set, "x")]),
        ], validateOnly: true)
        #expect(outcomes == [.ok, .ok, .ok, .ok, Outcome(code: .unknownTopicOrPartition, message: "The topic 'missing' does not exist."),
                             Self.invalidConfig("Invalid value x for configuration retention.ms: Not a number of type LONG")])
        #expect(harness.topicOverrides("t") == ["retention.ms": "1000"])
        #expect(try harness.logConfig("t").retentionMillis == 1000)
        #expect(try harness.dynamicConfigsFile() == nil)
        #expect(try harness.describe(Resource.broker, "").configs.isEmpty)
        #expect(harness.broker.cleanerSettings.backoffMillis == 15_000)
        #expect(harness.broker.groupConfig("g")["consumer.session.timeout.ms"] == "45000")
        #expect(try harness.legacyAlter([(Resource.topic, "t", [("segment.ms", "1000")])], validateOnly: true) == [.ok])
        #expect(harness.topicOverrides("t") == ["retention.ms": "1000"])
    }

    // MARK: legacy AlterConfigs

    @Test func legacyAlterReplacesTheTopicsWholeSet() throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t", ["retention.ms": "1000", "segment.ms": "60000"])
        #expect(try harness.legacyAlter([(Resource.topic, "t", [("cleanup.policy", "compact"), ("segment.ms", "120000")])]) == [.ok])
        #expect(harness.topicOverrides("t") == ["cleanup.policy": "compact", "segment.ms": "120000"])
        #expect(try harness.logConfig("t").retentionMillis == 604_800_000)
        #expect(try harness.legacyAlter([(Resource.topic, "t", [])]) == [.ok])
        #expect(harness.topicOverrides("t") == [:])
    }

    @Test func legacyAlterReplacesTheBrokersAndGroupsWholeSets() throws {
        var harness = try BrokerHarness()
        #expect(try harness.incrementalAlter([
            (Resource.broker, "", [("log.retention.ms", Op.set, "1000"), ("log.segment.bytes", Op.set, "2097152")]),
            (Resource.group, "g", [("consumer.session.timeout.ms", Op.set, "50000"), ("share.isolation.level", Op.set, "read_committed")]),
        ]) == [.ok, .ok])
        #expect(try harness.legacyAlter([
            (Resource.broker, "", [("log.retention.bytes", "100")]),
            (Resource.group, "g", [("share.auto.offset.reset", "earliest")]),
        ]) == [.ok, .ok])
        #expect(try harness.describe(Resource.broker, "").configs.map(\.name) == ["log.retention.bytes"])
        let group = harness.broker.groupConfig("g")
        #expect(group["consumer.session.timeout.ms"] == "45000")
        #expect(group["share.isolation.level"] == "read_uncommitted")
        #expect(group["share.auto.offset.reset"] == "earliest")
    }

    @Test(arguments: Int16(0)...2)
    func legacyAlterAnswersAtEveryVersion(version: Int16) throws {
        var harness = try BrokerHarness()
        try harness.createTopic("t")
        #expect(try harness.legacyAlter([(Resource.topic, "t", [("retention.ms", "1000")]), (Resource.topic, "t2", [("x", "1")])], version: version)
            == [.ok, Self.invalidConfig("Unknown topic config name: x")])
        #expect(harness.topicOverrides("t") == ["retention.ms": "1000"])
    }

    // MARK: CreateTopics

    func create(_ harness: inout BrokerHarness, _ name: String, _ configs: [(String, String?)], validateOnly: Bool = false) throws -> CreateTopicsResponse.CreatableTopicResult {
        let response = try harness.send(CreateTopicsRequest(topics: [
            .init(name: name, numPartitions: 1, replicationFactor: 1, configs: configs.map { .init(name: $0.0, value: $0.1) }),
        ], timeoutMs: 1000, validateOnly: validateOnly), version: 7)
        return try #require(response.topics.first)
    }

    @Test(arguments: [
        ([("retention.ms", "abc")], "Invalid value abc for configuration retention.ms: Not a number of type LONG"),
        ([("retention.ms", "abc"), ("foo.bar", "1")], "Unknown topic config name: foo.bar"),
        ([("segment.ms", nil), ("retention.ms", "1"), ("flush.ms", nil)], "Null value not supported for topic configs: segment.ms,flush.ms"),
        ([("remote.storage.enable", "true")], "Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage."),
        ([("min.compaction.lag.ms", "2"), ("max.compaction.lag.ms", "1")], "conflict topic config setting min.compaction.lag.ms (2) > max.compaction.lag.ms (1)"),
    ] as [([(String, String?)], String)])
    func createTopicsRefusesBadConfigsWithKafkasMessage(configs: [(String, String?)], message: String) throws {
        var harness = try BrokerHarness()
        let result = try create(&harness, "t", configs)
        #expect(result.errorCode == .invalidConfig)
        #expect(result.errorMessage == message)
        #expect(harness.store.topic("t") == nil)
    }

    @Test func createTopicsReturnsTheEffectiveConfigsWithTheirSources() throws {
        var harness = try BrokerHarness(configure: { $0.staticConfigs = ["log.retention.hours": "1"] })
        for validateOnly in [true, false] {
            let result = try create(&harness, "t", [("cleanup.policy", "compact , delete"), ("internal.segment.bytes", "65536")], validateOnly: validateOnly)
            #expect(result.errorCode == .none)
            let configs = Dictionary(uniqueKeysWithValues: (result.configs ?? []).map { ($0.name, $0) })
            #expect(Set(configs.keys) == Set(TopicConfigDefinitions.all.map(\.name)), "every listed config and the internal one that is set")
            #expect(configs["cleanup.policy"]?.value == "compact,delete")
            #expect(configs["cleanup.policy"]?.configSource == 1)
            #expect(configs["retention.ms"]?.value == "3600000")
            #expect(configs["retention.ms"]?.configSource == 4)
            #expect(configs["segment.ms"]?.configSource == 5)
            #expect((result.configs ?? []).allSatisfy { !$0.readOnly && !$0.isSensitive })
            #expect((harness.store.topic("t") != nil) == !validateOnly)
        }
        #expect(harness.topicOverrides("t") == ["cleanup.policy": "compact,delete", "internal.segment.bytes": "65536"])
        #expect(try harness.logConfig("t").segmentBytes == 65_536)
    }

    // MARK: persistence

    @Test func dynamicConfigsSurviveARestart() throws {
        let fileSystem = MemoryFileSystem()
        var harness = try BrokerHarness(fileSystem: fileSystem)
        try harness.createTopic("plain")
        try harness.createTopic("own")
        #expect(try harness.incrementalAlter([
            (Resource.broker, "", [("log.retention.ms", Op.set, "3600000"), ("log.cleanup.policy", Op.set, "")]),
            (Resource.broker, "0", [("log.cleaner.backoff.ms", Op.set, "250")]),
            (Resource.group, "orders service", [("consumer.session.timeout.ms", Op.set, "50000")]),
            (Resource.topic, "own", [("retention.ms", Op.set, "1000")]),
        ]) == [.ok, .ok, .ok, .ok])
        #expect(try harness.dynamicConfigsFile() == """
            version 1
            broker-default log.cleanup.policy %
            broker-default log.retention.ms 3600000
            broker log.cleaner.backoff.ms 250
            group orders%20service consumer.session.timeout.ms 50000

            """)

        var restarted = try harness.restarted()
        #expect(try restarted.logConfig("plain").retentionMillis == 3_600_000)
        #expect(try restarted.logConfig("plain").cleanupPolicy == .keepAll)
        #expect(try restarted.logConfig("own").retentionMillis == 1000)
        #expect(try restarted.describedEntry(Resource.topic, "plain", "retention.ms")?.configSource == 3)
        #expect(try restarted.describedEntry(Resource.topic, "own", "retention.ms")?.configSource == 1)
        #expect(try restarted.describedEntry(Resource.broker, "0", "log.cleaner.backoff.ms")?.configSource == 2)
        #expect(restarted.broker.cleanerSettings.backoffMillis == 250)
        #expect(restarted.broker.groupConfig("orders service")["consumer.session.timeout.ms"] == "50000")
        #expect(try restarted.describe(Resource.broker, "").configs.map(\.name) == ["log.cleanup.policy", "log.retention.ms"])
    }

    @Test func deletingEveryDynamicConfigSurvivesARestartToo() throws {
        let fileSystem = MemoryFileSystem()
        var harness = try BrokerHarness(fileSystem: fileSystem)
        try harness.createTopic("t")
        #expect(try harness.incrementalAlter([(Resource.broker, "", [("log.retention.ms", Op.set, "3600000")]),
                                              (Resource.group, "g", [("consumer.session.timeout.ms", Op.set, "50000")])]) == [.ok, .ok])
        #expect(try harness.incrementalAlter([(Resource.broker, "", [("log.retention.ms", Op.delete, nil)]),
                                              (Resource.group, "g", [("consumer.session.timeout.ms", Op.delete, nil)])]) == [.ok, .ok])
        #expect(try harness.dynamicConfigsFile() == "version 1\n")
        var restarted = try harness.restarted()
        #expect(try restarted.logConfig("t").retentionMillis == 604_800_000)
        #expect(try restarted.describe(Resource.broker, "").configs.isEmpty)
        #expect(restarted.broker.groupConfig("g")["consumer.session.timeout.ms"] == "45000")
    }

    @Test func aDamagedDynamicConfigsFileStopsTheBrokerFromStarting() throws {
        let fileSystem = MemoryFileSystem()
        let harness = try BrokerHarness(fileSystem: fileSystem)
        try harness.store.writeInternalFile("dynamic-configs", Array("version 2\nbroker x 1\n".utf8))
        #expect(throws: LogStorageError.self) { try harness.restarted() }
    }
}
