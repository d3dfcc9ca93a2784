import KafkaClient
import KafkaProtocol
import Testing

/// `KafkaAdmin` configs against a real broker: DescribeConfigs for topics, brokers and groups,
/// IncrementalAlterConfigs and AlterConfigs. Tests of an API the broker does not advertise are
/// skipped with that reason (and `AdminClusterTests.missingApisAreReportedAsUnsupported`
/// checks what the client says then).
@Suite struct AdminConfigTests {
    @Test(.enabled(if: TestCluster.advertises(.incrementalAlterConfigs), "the broker does not advertise IncrementalAlterConfigs (key 44)"))
    func topicConfigsChangeIncrementally() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let admin = KafkaAdmin(config: cluster.clientConfig("admin-config-test"))
        defer { admin.close() }
        let topic = TestCluster.uniqueTopic("admin-config")
        try admin.createTopic(name: topic, partitions: 1, configs: ["retention.ms": "3600000"])

        let initial = try admin.describeConfigs(.topic(topic))
        #expect(initial == initial.sorted { $0.name < $1.name })
        let retention = initial.first { $0.name == "retention.ms" }
        #expect(retention?.value == "3600000")
        if TestCluster.kind == "tansu" {
            // Tansu 0.6 cannot decode DescribeConfigs naming configuration keys (a non-null
            // configuration_keys array): it logs StringWithoutLength and closes the connection.
            let failure = caught { () throws(KafkaClientError) in try admin.describeConfigs(.topic(topic), keys: ["retention.ms"]) }
            #expect(failure.map { if case .connection = $0 { true } else { false } } == true, "\(String(describing: failure))")
        } else {
            #expect(try admin.describeConfigs(.topic(topic), keys: ["retention.ms"]).map(\.name) == ["retention.ms"])
        }

        // SET and DELETE in one request; a validate-only request changes nothing.
        try admin.incrementalAlterConfigs(.topic(topic), [.set("retention.ms", "7200000"), .set("segment.ms", "600000")], validateOnly: true)
        // Tansu 0.6 ignores validate_only and applies the change.
        #expect(try value(admin, topic, "retention.ms") == (TestCluster.kind == "tansu" ? "7200000" : "3600000"))
        try admin.incrementalAlterConfigs(.topic(topic), [.set("retention.ms", "7200000"), .set("segment.ms", "600000")])
        #expect(try value(admin, topic, "retention.ms") == "7200000")
        #expect(try value(admin, topic, "segment.ms") == "600000")
        try admin.incrementalAlterConfigs(.topic(topic), [.delete("segment.ms")])
        #expect(try value(admin, topic, "retention.ms") == "7200000")
        let segment = try admin.describeConfigs(.topic(topic)).first { $0.name == "segment.ms" }
        #expect(segment?.value != "600000")

        if TestCluster.kind == "tansu" {
            // Tansu 0.6 reports every value it lists as a default (source 5, type STRING, no
            // synonyms), forgets a deleted entry altogether, and applies an invalid value or an
            // unknown key without complaint.
            #expect(segment == nil)
            #expect(try admin.describeConfigs(.topic(topic)).allSatisfy { $0.source == .defaultConfig && $0.synonyms.isEmpty })
            try admin.incrementalAlterConfigs(.topic(topic), [.set("no.such.config", "x")])
            #expect(try value(admin, topic, "no.such.config") == "x")
        } else {
            let entry = try admin.describeConfigs(.topic(topic), keys: ["retention.ms"]).first
            #expect(entry?.source == .dynamicTopic)
            #expect(entry?.isDefault == false)
            #expect(segment?.source != .dynamicTopic)
            // The topic's own value comes first among the synonyms.
            #expect(entry?.synonyms.first == ConfigEntry.Synonym(name: "retention.ms", value: "7200000", source: .dynamicTopic))
            #expect(entry?.type == .long)

            // APPEND and SUBTRACT work on list configs.
            try admin.incrementalAlterConfigs(.topic(topic), [.append("cleanup.policy", "compact")])
            #expect(try value(admin, topic, "cleanup.policy").map { Set($0.split(separator: ",")) } == ["delete", "compact"])
            try admin.incrementalAlterConfigs(.topic(topic), [.subtract("cleanup.policy", "delete")])
            #expect(try value(admin, topic, "cleanup.policy") == "compact")

            // Refusals carry the broker's code and message; nothing is applied.
            let bad = caught { () throws(KafkaClientError) in try admin.incrementalAlterConfigs(.topic(topic), [.set("retention.ms", "soon")]) }
            guard case .broker(let code, let context)? = bad else {
                Issue.record("a bad value should be refused, got \(String(describing: bad))")
                return
            }
            #expect(code == .invalidConfig)
            #expect(context.contains("alter configs of topic \(topic)"))
            #expect(try value(admin, topic, "retention.ms") == "7200000")
            #expect(brokerCode { () throws(KafkaClientError) in try admin.incrementalAlterConfigs(.topic(topic), [.set("no.such.config", "1")]) } == .invalidConfig)
        }

        // Several resources at once: each gets its own outcome.
        let missing = TestCluster.uniqueTopic("admin-config-missing")
        let outcomes = try admin.incrementalAlterConfigs([.topic(topic): [.set("retention.ms", "1800000")],
                                                          .topic(missing): [.set("retention.ms", "1")]])
        #expect(outcomes.count == 2)
        #expect(outcomes[.topic(topic)] == .some(nil))
        if TestCluster.kind == "tansu" {
            // Tansu 0.6 accepts changes to a topic that does not exist and describes it as a
            // topic without configs.
            #expect(outcomes[.topic(missing)] == .some(nil))
            #expect(try admin.describeConfigs(.topic(missing)).isEmpty)
        } else {
            #expect(outcomes[.topic(missing)] == .some(.unknownTopic(missing)))
        }
        #expect(try value(admin, topic, "retention.ms") == "1800000")
        if TestCluster.kind != "tansu" {
            #expect(caught { () throws(KafkaClientError) in try admin.describeConfigs(.topic(missing)) } == .unknownTopic(missing))
        }
        #expect(caught { () throws(KafkaClientError) in try admin.describeConfigs(.topic("")) } == .invalidArgument("the topic name must not be empty"))
        try admin.deleteTopic(name: topic)
    }

    @Test(.enabled(if: TestCluster.advertises(.alterConfigs), "the broker does not advertise AlterConfigs (key 33)"))
    func alterConfigsReplacesTheWholeDynamicConfig() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let admin = KafkaAdmin(config: cluster.clientConfig("admin-config-test"))
        defer { admin.close() }
        let topic = TestCluster.uniqueTopic("admin-alter-configs")
        try admin.createTopic(name: topic, partitions: 1, configs: ["retention.ms": "3600000", "segment.ms": "600000"])

        try admin.alterConfigs(.topic(topic), ["retention.ms": "7200000"], validateOnly: true)
        #expect(try value(admin, topic, "segment.ms") == "600000")
        try admin.alterConfigs(.topic(topic), ["retention.ms": "7200000"])
        let entries = try admin.describeConfigs(.topic(topic))
        #expect(entries.first { $0.name == "retention.ms" }?.value == "7200000")
        #expect(entries.first { $0.name == "retention.ms" }?.source == .dynamicTopic)
        let segment = entries.first { $0.name == "segment.ms" }
        #expect(segment?.value != "600000", "segment.ms was not in the new set, so it is back to its default")
        #expect(segment?.source != .dynamicTopic)
        #expect(brokerCode { () throws(KafkaClientError) in try admin.alterConfigs(.topic(topic), ["retention.ms": "never"]) } == .invalidConfig)
        let missing = TestCluster.uniqueTopic("admin-alter-missing")
        #expect(caught { () throws(KafkaClientError) in try admin.alterConfigs(.topic(missing), ["retention.ms": "1"]) } == .unknownTopic(missing))
        try admin.deleteTopic(name: topic)
    }

    @Test(.enabled(if: TestCluster.advertises(.incrementalAlterConfigs), "the broker does not advertise IncrementalAlterConfigs (key 44)"))
    func brokerConfigsAndClusterDefaults() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let admin = KafkaAdmin(config: cluster.clientConfig("admin-config-test"))
        defer { admin.close() }
        let broker = try #require(try admin.describeCluster().brokers.first).nodeId
        if TestCluster.kind == "tansu" {
            // Tansu 0.6 has no broker configs: DescribeConfigs answers brokers and the defaults
            // with no entries, and IncrementalAlterConfigs accepts changes to them that never show.
            #expect(try admin.describeConfigs(.broker(broker)).isEmpty)
            try admin.incrementalAlterConfigs(.brokerDefaults, [.set("log.retention.ms", "3600000")])
            #expect(try admin.describeConfigs(.brokerDefaults).isEmpty)
            #expect(try admin.describeConfigs(.broker(broker)).isEmpty)
            return
        }

        let entries = try admin.describeConfigs(.broker(broker))
        #expect(!entries.isEmpty)
        let before = try #require(entries.first { $0.name == "log.retention.ms" }, "broker \(broker) lists log.retention.ms")
        #expect(before.source != .dynamicBroker && before.source != .dynamicDefaultBroker)
        #expect(caught { () throws(KafkaClientError) in try admin.describeConfigs(.broker(9_999)) } != nil)

        // The cluster-wide default, then a per-broker value on top of it.
        try admin.incrementalAlterConfigs(.brokerDefaults, [.set("log.retention.ms", "3600000")])
        defer { try? admin.incrementalAlterConfigs(.brokerDefaults, [.delete("log.retention.ms")]) }
        var entry = try admin.describeConfigs(.broker(broker), keys: ["log.retention.ms"]).first
        #expect(entry?.value == "3600000")
        #expect(entry?.source == .dynamicDefaultBroker)
        #expect(try admin.describeConfigs(.brokerDefaults, keys: ["log.retention.ms"]).first?.value == "3600000")

        try admin.incrementalAlterConfigs(.broker(broker), [.set("log.retention.ms", "1800000")])
        defer { try? admin.incrementalAlterConfigs(.broker(broker), [.delete("log.retention.ms")]) }
        entry = try admin.describeConfigs(.broker(broker), keys: ["log.retention.ms"]).first
        #expect(entry?.value == "1800000")
        #expect(entry?.source == .dynamicBroker)
        #expect(entry?.synonyms.map(\.source).prefix(2) == [.dynamicBroker, .dynamicDefaultBroker])

        // A topic without its own retention.ms follows the broker's value.
        let topic = TestCluster.uniqueTopic("admin-broker-config")
        try admin.createTopic(name: topic, partitions: 1)
        let inherited = try admin.describeConfigs(.topic(topic), keys: ["retention.ms"]).first
        #expect(inherited?.value == "1800000")
        #expect(inherited?.source == .dynamicBroker)
        try admin.deleteTopic(name: topic)

        try admin.incrementalAlterConfigs(.broker(broker), [.delete("log.retention.ms")])
        try admin.incrementalAlterConfigs(.brokerDefaults, [.delete("log.retention.ms")])
        entry = try admin.describeConfigs(.broker(broker), keys: ["log.retention.ms"]).first
        #expect(entry?.value == before.value)
        #expect(entry?.source == before.source)

        // Refusals name the resource and carry the broker's message.
        let bad = caught { () throws(KafkaClientError) in try admin.incrementalAlterConfigs(.broker(broker), [.set("log.retention.ms", "x")]) }
        guard case .broker(let code, let context)? = bad else {
            Issue.record("a bad broker value should be refused, got \(String(describing: bad))")
            return
        }
        #expect(code == .invalidConfig || code == .invalidRequest)
        #expect(context.contains("alter configs of broker \(broker)"))
    }

    @Test(.enabled(if: TestCluster.advertises(.incrementalAlterConfigs), "the broker does not advertise IncrementalAlterConfigs (key 44)"))
    func groupConfigs() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let admin = KafkaAdmin(config: cluster.clientConfig("admin-config-test"))
        defer { admin.close() }
        let group = TestCluster.uniqueTopic("admin-config-group")
        if TestCluster.kind == "tansu" {
            // Tansu 0.6 has no group configs: no entries, and changes are accepted but not kept.
            #expect(try admin.describeConfigs(.group(group)).isEmpty)
            try admin.incrementalAlterConfigs(.group(group), [.set("consumer.session.timeout.ms", "50000")])
            #expect(try admin.describeConfigs(.group(group)).isEmpty)
            return
        }

        let entries = try admin.describeConfigs(.group(group))
        let session = try #require(entries.first { $0.name == "consumer.session.timeout.ms" }, "group configs list consumer.session.timeout.ms")
        #expect(session.source != .group)
        try admin.incrementalAlterConfigs(.group(group), [.set("consumer.session.timeout.ms", "50000")])
        let changed = try admin.describeConfigs(.group(group), keys: ["consumer.session.timeout.ms"]).first
        #expect(changed?.value == "50000")
        #expect(changed?.source == .group)
        try admin.incrementalAlterConfigs(.group(group), [.delete("consumer.session.timeout.ms")])
        #expect(try admin.describeConfigs(.group(group), keys: ["consumer.session.timeout.ms"]).first?.source == session.source)
        #expect(brokerCode { () throws(KafkaClientError) in try admin.incrementalAlterConfigs(.group(group), [.set("no.such.group.config", "1")]) } == .invalidConfig)
        #expect(caught { () throws(KafkaClientError) in try admin.describeConfigs(.group("")) } == .invalidArgument("the group id must not be empty"))
    }

    @Test func configValueTypes() {
        for wire in Int8(0)...Int8(8) {
            #expect(ConfigEntry.Source(wire: wire).wireValue == wire)
        }
        #expect(ConfigEntry.Source(wire: 42) == .other(42))
        #expect(ConfigEntry.Source(wire: 42).description == "SOURCE_42")
        #expect(ConfigEntry.Source(wire: 3).description == "DYNAMIC_DEFAULT_BROKER_CONFIG")
        #expect(ConfigEntry.Source(wire: 8) == .group)
        #expect(ConfigEntry.ValueType(wire: 5) == .long)
        #expect(ConfigEntry.ValueType(wire: 77) == .unknown)
        #expect(ConfigResource.topic("t").wireType == 2 && ConfigResource.topic("t").wireName == "t")
        #expect(ConfigResource.broker(3).wireType == 4 && ConfigResource.broker(3).wireName == "3")
        #expect(ConfigResource.brokerDefaults.wireType == 4 && ConfigResource.brokerDefaults.wireName == "")
        #expect(ConfigResource.group("g").wireType == 32)
        #expect(ConfigEntry(name: "a", value: "1", isDefault: true).source == .defaultConfig)
    }

    /// The current value of one topic config (every entry is asked for: Tansu cannot take keys).
    private func value(_ admin: KafkaAdmin, _ topic: String, _ name: String) throws -> String? {
        try admin.describeConfigs(.topic(topic)).first { $0.name == name }?.value
    }
}
