import KafkaRecords
@testable import LogStorage
import Testing

/// The topic-config registry against Kafka 4.1's LogConfig: names, types, defaults, parsing,
/// each validator's exact message, and resolution over the broker layers with sources,
/// synonyms and unit conversion.
@Suite struct ConfigRegistryTests {
    /// Kafka's message when `body` is refused with `invalidConfig`; nil when it succeeds.
    func refusal(_ body: () throws(LogStorageError) -> Void) -> String? {
        do throws(LogStorageError) {
            try body()
            return nil
        } catch {
            guard case .invalidConfig(let message) = error else { return "unexpected \(error)" }
            return message
        }
    }

    /// The message `TopicConfig.set(name, value)` is refused with (nil when accepted).
    func setRefusal(_ name: String, _ value: String) -> String? {
        var config = TopicConfig(partitionCount: 1)
        return refusal { () throws(LogStorageError) in try config.set(name, value) }
    }

    func definition(_ name: String) throws -> ConfigDefinition {
        try #require(TopicConfigDefinitions.definition(name)).definition
    }

    // MARK: names, types, defaults

    /// Kafka 4.1's 33 listed topic configs with their types and defaults as DescribeConfigs
    /// shows them; flush.ms is kaffee's documented deviation (100, the durability interval).
    static let kafkaConfigs: [(String, ConfigType, String)] = [
        ("segment.bytes", .int, "1073741824"), ("segment.ms", .long, "604800000"), ("segment.jitter.ms", .long, "0"),
        ("segment.index.bytes", .int, "10485760"), ("flush.messages", .long, "9223372036854775807"), ("flush.ms", .long, "100"),
        ("retention.bytes", .long, "-1"), ("retention.ms", .long, "604800000"), ("max.message.bytes", .int, "1048588"),
        ("index.interval.bytes", .int, "4096"), ("delete.retention.ms", .long, "86400000"), ("min.compaction.lag.ms", .long, "0"),
        ("max.compaction.lag.ms", .long, "9223372036854775807"), ("file.delete.delay.ms", .long, "60000"),
        ("min.cleanable.dirty.ratio", .double, "0.5"), ("cleanup.policy", .list, "delete"), ("unclean.leader.election.enable", .boolean, "false"),
        ("min.insync.replicas", .int, "1"), ("compression.type", .string, "producer"), ("compression.gzip.level", .int, "-1"),
        ("compression.lz4.level", .int, "9"), ("compression.zstd.level", .int, "3"), ("preallocate", .boolean, "false"),
        ("message.timestamp.type", .string, "CreateTime"), ("message.timestamp.before.max.ms", .long, "9223372036854775807"),
        ("message.timestamp.after.max.ms", .long, "3600000"), ("leader.replication.throttled.replicas", .list, ""),
        ("follower.replication.throttled.replicas", .list, ""), ("remote.storage.enable", .boolean, "false"),
        ("local.retention.ms", .long, "-2"), ("local.retention.bytes", .long, "-2"), ("remote.log.copy.disable", .boolean, "false"),
        ("remote.log.delete.on.disable", .boolean, "false"),
    ]

    @Test(arguments: kafkaConfigs.map { $0.0 })
    func everyKafkaTopicConfigHasKafkasTypeAndDefault(name: String) throws {
        let expected = try #require(Self.kafkaConfigs.first { $0.0 == name })
        let definition = try definition(name)
        #expect(definition.type == expected.1)
        #expect(definition.defaultValue == expected.2)
        #expect(!definition.isInternal)
        #expect(!definition.isSensitive)
        #expect(!definition.documentation.isEmpty)
    }

    @Test func theListedConfigsAreKafkasThirtyThreeAndKaffeesDurability() {
        let listed = TopicConfigDefinitions.all.filter { !$0.definition.isInternal }.map(\.name)
        #expect(listed.count == 34)
        #expect(Set(listed) == Set(Self.kafkaConfigs.map { $0.0 } + ["durability"]))
        #expect(Set(TopicConfigDefinitions.all.map(\.name)).count == TopicConfigDefinitions.all.count, "no name twice")
    }

    @Test func durabilityIsKaffeesOwnStringConfig() throws {
        let durability = try #require(TopicConfigDefinitions.definition("durability"))
        #expect(durability.definition.type == .string)
        #expect(durability.definition.defaultValue == "interval")
        #expect(durability.synonyms.map(\.name) == ["log.durability"])
        #expect(setRefusal("durability", "sometimes") == "Invalid value sometimes for configuration durability: String must be one of: always, interval, never")
    }

    @Test func internalSegmentBytesIsInternalWithoutDefaultOrMinimum() throws {
        let definition = try definition("internal.segment.bytes")
        #expect(definition.isInternal)
        #expect(definition.type == .int)
        #expect(definition.defaultValue == nil)
        #expect(setRefusal("internal.segment.bytes", "100") == nil)
        #expect(setRefusal("internal.segment.bytes", "x") == "Invalid value x for configuration internal.segment.bytes: Not a number of type INT")
    }

    @Test func internalSegmentBytesOverridesSegmentBytesAndIsListedOnlyWhenSet() throws {
        var config = TopicConfig(partitionCount: 1)
        try config.set("segment.bytes", "2097152")
        #expect(try config.logConfig(layers: BrokerConfigLayers()).segmentBytes == 2_097_152)
        #expect(!config.resolveAll(layers: BrokerConfigLayers()).contains { $0.name == "internal.segment.bytes" })
        try config.set("internal.segment.bytes", "1000")
        #expect(try config.logConfig(layers: BrokerConfigLayers()).segmentBytes == 1000)
        let listed = try #require(config.resolveAll(layers: BrokerConfigLayers()).first { $0.name == "internal.segment.bytes" })
        #expect(listed.value == "1000")
        #expect(listed.source == .dynamicTopic)
    }

    @Test(arguments: ["foo.bar", "message.downconversion.enable", "message.format.version", "message.timestamp.difference.max.ms", "Retention.ms", ""])
    func unknownNamesAreRefusedWithKafkasMessage(name: String) {
        #expect(setRefusal(name, "1") == "Unknown topic config name: \(name)")
        #expect(TopicConfig(partitionCount: 1).resolve(name, layers: BrokerConfigLayers()) == nil)
    }

    @Test func kafkaOrderListsEveryKafkaConfigOnceInLogConfigsOrder() {
        #expect(TopicConfigDefinitions.kafkaOrder.count == Set(TopicConfigDefinitions.kafkaOrder).count)
        #expect(Set(TopicConfigDefinitions.kafkaOrder) == Set(TopicConfigDefinitions.all.map(\.name)).subtracting(["durability"]))
        #expect(TopicConfigDefinitions.kafkaOrder.prefix(3) == ["segment.bytes", "segment.ms", "segment.jitter.ms"])
        #expect(TopicConfigDefinitions.kafkaPosition("segment.bytes") < TopicConfigDefinitions.kafkaPosition("retention.ms"))
        #expect(TopicConfigDefinitions.kafkaPosition("durability") == TopicConfigDefinitions.kafkaOrder.count)
    }

    // MARK: parsing and normalization

    @Test(arguments: [
        ("retention.ms", " 1000 ", "1000"), ("retention.ms", "+5", "5"), ("segment.bytes", "0001048576", "1048576"),
        ("preallocate", "TRUE", "true"), ("preallocate", " False\t", "false"),
        ("cleanup.policy", "compact , delete", "compact,delete"), ("cleanup.policy", "", ""), ("cleanup.policy", "  ", ""),
        ("min.cleanable.dirty.ratio", "1", "1.0"), ("min.cleanable.dirty.ratio", "0.50", "0.5"), ("min.cleanable.dirty.ratio", "1e-5", "1.0E-5"),
        ("message.timestamp.type", " LogAppendTime ", "LogAppendTime"), ("retention.bytes", "-12345", "-12345"),
        ("leader.replication.throttled.replicas", " 0:1 , 1:0 ", "0:1,1:0"),
    ])
    func valuesAreNormalizedAsKafkaPrintsThem(name: String, raw: String, normalized: String) throws {
        #expect(try definition(name).normalize(raw) == normalized)
        var config = TopicConfig(partitionCount: 1)
        try config.set(name, raw)
        #expect(config.overrides[name] == normalized)
    }

    @Test func doublesPrintAsJavaPrintsThem() {
        #expect(ConfigText.javaDouble(0.5) == "0.5")
        #expect(ConfigText.javaDouble(1) == "1.0")
        #expect(ConfigText.javaDouble(1e7) == "1.0E7")
        #expect(ConfigText.javaDouble(1.5e-5) == "1.5E-5")
        #expect(ConfigText.javaDouble(0.001) == "0.001")
        #expect(ConfigText.javaDouble(.greatestFiniteMagnitude) == "1.7976931348623157E308")
        #expect(ConfigText.javaDouble(-2.5) == "-2.5")
        #expect(ConfigText.javaDouble(12_345_678.9) == "1.23456789E7")
        #expect(ConfigText.javaDouble(9_999_999) == "9999999.0")
        #expect(ConfigText.javaDouble(123.456) == "123.456")
        #expect(ConfigText.javaDouble(0.0001) == "1.0E-4")
        #expect(ConfigText.javaDouble(1e21) == "1.0E21")
        #expect(ConfigText.javaDouble(0.1 + 0.2) == "0.30000000000000004")
        #expect(ConfigText.javaDouble(100) == "100.0")
    }

    @Test func trimmingIgnoresSpacesTabsAndNewlines() {
        #expect(ConfigText.trim(" \t a b \r\n") == "a b")
        #expect(ConfigText.trim(" \n ") == "")
        #expect(ConfigText.trim("\u{0}1000\r\n") == "1000")
    }

    @Test func aValueFromAWindowsFileParses() throws {
        #expect(try definition("retention.ms").normalize("1000\r\n") == "1000")
    }

    // MARK: Kafka's messages

    @Test(arguments: [
        ("segment.bytes", "abc", "Invalid value abc for configuration segment.bytes: Not a number of type INT"),
        ("segment.bytes", "3000000000", "Invalid value 3000000000 for configuration segment.bytes: Not a number of type INT"),
        ("segment.bytes", "1.5", "Invalid value 1.5 for configuration segment.bytes: Not a number of type INT"),
        ("retention.ms", "abc", "Invalid value abc for configuration retention.ms: Not a number of type LONG"),
        ("retention.ms", "99999999999999999999", "Invalid value 99999999999999999999 for configuration retention.ms: Not a number of type LONG"),
        ("retention.ms", " soon ", "Invalid value  soon  for configuration retention.ms: Not a number of type LONG"),
        ("min.cleanable.dirty.ratio", "x", "Invalid value x for configuration min.cleanable.dirty.ratio: Not a number of type DOUBLE"),
        ("preallocate", "yes", "Invalid value yes for configuration preallocate: Expected value to be either true or false"),
        ("unclean.leader.election.enable", "1", "Invalid value 1 for configuration unclean.leader.election.enable: Expected value to be either true or false"),
    ])
    func typeErrorsQuoteTheOriginalText(name: String, value: String, message: String) {
        #expect(setRefusal(name, value) == message)
    }

    /// Every validator, at and beyond its bounds. Range messages print the parsed value.
    @Test(arguments: [
        ("segment.bytes", "-1", "Invalid value -1 for configuration segment.bytes: Value must be at least 1048576"),
        ("segment.bytes", " 1048575", "Invalid value 1048575 for configuration segment.bytes: Value must be at least 1048576"),
        ("segment.ms", "0", "Invalid value 0 for configuration segment.ms: Value must be at least 1"),
        ("segment.jitter.ms", "-1", "Invalid value -1 for configuration segment.jitter.ms: Value must be at least 0"),
        ("segment.index.bytes", "3", "Invalid value 3 for configuration segment.index.bytes: Value must be at least 4"),
        ("flush.messages", "0", "Invalid value 0 for configuration flush.messages: Value must be at least 1"),
        ("flush.ms", "-1", "Invalid value -1 for configuration flush.ms: Value must be at least 0"),
        ("retention.ms", "-2", "Invalid value -2 for configuration retention.ms: Value must be at least -1"),
        ("max.message.bytes", "-1", "Invalid value -1 for configuration max.message.bytes: Value must be at least 0"),
        ("index.interval.bytes", "-1", "Invalid value -1 for configuration index.interval.bytes: Value must be at least 0"),
        ("delete.retention.ms", "-1", "Invalid value -1 for configuration delete.retention.ms: Value must be at least 0"),
        ("min.compaction.lag.ms", "-1", "Invalid value -1 for configuration min.compaction.lag.ms: Value must be at least 0"),
        ("max.compaction.lag.ms", "0", "Invalid value 0 for configuration max.compaction.lag.ms: Value must be at least 1"),
        ("file.delete.delay.ms", "-1", "Invalid value -1 for configuration file.delete.delay.ms: Value must be at least 0"),
        ("min.cleanable.dirty.ratio", "1.5", "Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1"),
        ("min.cleanable.dirty.ratio", "-0.1", "Invalid value -0.1 for configuration min.cleanable.dirty.ratio: Value must be at least 0"),
        ("cleanup.policy", "foo", "Invalid value foo for configuration cleanup.policy: String must be one of: compact, delete"),
        ("cleanup.policy", "compact,Delete", "Invalid value Delete for configuration cleanup.policy: String must be one of: compact, delete"),
        ("cleanup.policy", "compact,,delete", "Invalid value  for configuration cleanup.policy: String must be one of: compact, delete"),
        ("min.insync.replicas", "0", "Invalid value 0 for configuration min.insync.replicas: Value must be at least 1"),
        ("compression.type", "zip", "Invalid value zip for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer"),
        ("compression.type", "GZIP", "Invalid value GZIP for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer"),
        ("compression.gzip.level", "0", "Invalid value 0 for configuration compression.gzip.level: Value must be between 1 and 9 or equal to -1"),
        ("compression.gzip.level", "10", "Invalid value 10 for configuration compression.gzip.level: Value must be between 1 and 9 or equal to -1"),
        ("compression.gzip.level", "-2", "Invalid value -2 for configuration compression.gzip.level: Value must be between 1 and 9 or equal to -1"),
        ("compression.lz4.level", "0", "Invalid value 0 for configuration compression.lz4.level: Value must be at least 1"),
        ("compression.lz4.level", "18", "Invalid value 18 for configuration compression.lz4.level: Value must be no more than 17"),
        ("compression.zstd.level", "-131073", "Invalid value -131073 for configuration compression.zstd.level: Value must be at least -131072"),
        ("compression.zstd.level", "23", "Invalid value 23 for configuration compression.zstd.level: Value must be no more than 22"),
        ("message.timestamp.type", "createtime", "Invalid value createtime for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime"),
        ("message.timestamp.before.max.ms", "-1", "Invalid value -1 for configuration message.timestamp.before.max.ms: Value must be at least 0"),
        ("message.timestamp.after.max.ms", "-1", "Invalid value -1 for configuration message.timestamp.after.max.ms: Value must be at least 0"),
        ("leader.replication.throttled.replicas", "foo", "Invalid value [foo] for configuration leader.replication.throttled.replicas: leader.replication.throttled.replicas must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],..."),
        ("follower.replication.throttled.replicas", "0:1, 2", "Invalid value [0:1, 2] for configuration follower.replication.throttled.replicas: follower.replication.throttled.replicas must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],..."),
        ("follower.replication.throttled.replicas", "*,0:1", "Invalid value [*, 0:1] for configuration follower.replication.throttled.replicas: follower.replication.throttled.replicas must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],..."),
        ("local.retention.ms", "-3", "Invalid value -3 for configuration local.retention.ms: Value must be at least -2"),
        ("local.retention.bytes", "-3", "Invalid value -3 for configuration local.retention.bytes: Value must be at least -2"),
    ])
    func eachValidatorRefusesWithKafkasMessage(name: String, value: String, message: String) {
        #expect(setRefusal(name, value) == message)
    }

    @Test(arguments: [
        ("segment.bytes", "1048576"), ("segment.ms", "1"), ("segment.index.bytes", "4"), ("flush.ms", "0"),
        ("retention.ms", "-1"), ("retention.bytes", "-5"), ("max.message.bytes", "0"), ("min.cleanable.dirty.ratio", "0"),
        ("min.cleanable.dirty.ratio", "1"), ("cleanup.policy", "compact,delete"), ("cleanup.policy", "delete,compact"),
        ("compression.gzip.level", "-1"), ("compression.gzip.level", "1"), ("compression.gzip.level", "9"),
        ("compression.lz4.level", "1"), ("compression.lz4.level", "17"), ("compression.zstd.level", "-131072"), ("compression.zstd.level", "22"),
        ("message.timestamp.before.max.ms", "0"), ("leader.replication.throttled.replicas", "*"), ("leader.replication.throttled.replicas", "*,"),
        ("leader.replication.throttled.replicas", "0:1,1:2"), ("leader.replication.throttled.replicas", ""),
        ("local.retention.ms", "-2"), ("remote.storage.enable", "false"), ("remote.log.copy.disable", "true"),
    ])
    func boundaryValuesAreAccepted(name: String, value: String) {
        #expect(setRefusal(name, value) == nil)
    }

    @Test func aRefusedValueLeavesTheConfigAsItWas() throws {
        var config = TopicConfig(partitionCount: 3)
        try config.set("retention.ms", "1000")
        let before = config
        #expect(refusal { () throws(LogStorageError) in try config.set("retention.ms", "abc") } != nil)
        #expect(refusal { () throws(LogStorageError) in try config.set("foo", "1") } != nil)
        #expect(config == before)
    }

    @Test func remoteStorageIsRefusedBecauseThereIsNoTieredStorage() {
        #expect(setRefusal("remote.storage.enable", "true") == "Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.")
        #expect(setRefusal("remote.storage.enable", " TRUE ") == "Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.")
        #expect(setRefusal("remote.storage.enable", "maybe") == "Invalid value maybe for configuration remote.storage.enable: Expected value to be either true or false")
    }

    @Test func removingAnUnsetOrUnknownNameIsANoOp() throws {
        var config = TopicConfig(partitionCount: 1)
        try config.set("retention.ms", "1000")
        config.remove("foo.bar")
        config.remove("segment.ms")
        #expect(config.overrides == ["retention.ms": "1000"])
        config.remove("retention.ms")
        #expect(config.overrides.isEmpty)
    }

    @Test func shareAutoOffsetResetAcceptsEarliestLatestAndDurations() {
        let definition = ConfigDefinition("share.auto.offset.reset", .string, "latest", .shareAutoOffsetReset, "doc")
        for good in ["earliest", "latest", "by_duration:PT1H", "by_duration:P1DT2H3M4.5S", "by_duration:pt30m"] {
            #expect(throws: Never.self) { try definition.normalize(good) }
        }
        for bad in ["none", "by_duration:", "by_duration:1H", "by_duration:PT", "by_duration:P1H", "by_duration:-PT1H"] {
            #expect(throws: LogStorageError.invalidConfig("Invalid value \(bad) for configuration share.auto.offset.reset: Invalid value `\(bad)` for configuration share.auto.offset.reset. The value must be either 'earliest', 'latest' or of the format 'by_duration:<PnDTnHnMn.nS>'.")) {
                try definition.normalize(bad)
            }
        }
    }

    // MARK: cross-field checks

    @Test func minCompactionLagAboveMaxIsRefusedWithKafkasMessage() throws {
        var config = TopicConfig(partitionCount: 1)
        try config.set("min.compaction.lag.ms", "5000")
        try config.set("max.compaction.lag.ms", "1000")
        #expect(refusal { () throws(LogStorageError) in _ = try config.logConfig(layers: BrokerConfigLayers()) }
            == "conflict topic config setting min.compaction.lag.ms (5000) > max.compaction.lag.ms (1000)")
        try config.set("max.compaction.lag.ms", "5000")
        #expect(try config.logConfig(layers: BrokerConfigLayers()).minCompactionLagMillis == 5000, "equal is fine")
    }

    @Test func compactionLagConflictCountsTheBrokerDefaults() throws {
        var config = TopicConfig(partitionCount: 1)
        try config.set("min.compaction.lag.ms", "5000")
        let layers = BrokerConfigLayers(dynamicDefault: ["log.cleaner.max.compaction.lag.ms": "1000"])
        #expect(refusal { () throws(LogStorageError) in _ = try config.logConfig(layers: layers) }
            == "conflict topic config setting min.compaction.lag.ms (5000) > max.compaction.lag.ms (1000)")
    }

    // MARK: resolution, sources, synonyms

    @Test func withNothingSetEveryConfigIsItsDefaultWithSourceDefault() throws {
        let config = TopicConfig(partitionCount: 1)
        for entry in config.resolveAll(layers: BrokerConfigLayers()) {
            let definition = try definition(entry.name)
            #expect(entry.value == definition.defaultValue)
            #expect(entry.source == .default)
            #expect(entry.type == definition.type)
        }
    }

    @Test func precedenceIsTopicThenDynamicBrokerThenDynamicDefaultThenStaticThenDefault() throws {
        let name = "retention.bytes"
        var layers = BrokerConfigLayers()
        var config = TopicConfig(partitionCount: 1)
        func resolved() -> String {
            guard let entry = config.resolve(name, layers: layers) else { return "unknown" }
            return "\(entry.value ?? "null") from \(entry.source)"
        }
        #expect(resolved() == "-1 from default")
        layers.staticConfig["log.retention.bytes"] = "4"
        #expect(resolved() == "4 from staticBroker")
        layers.dynamicDefault["log.retention.bytes"] = "3"
        #expect(resolved() == "3 from dynamicDefaultBroker")
        layers.dynamicBroker["log.retention.bytes"] = "2"
        #expect(resolved() == "2 from dynamicBroker")
        try config.set(name, "1")
        #expect(resolved() == "1 from dynamicTopic")
        #expect(config.resolve(name, layers: layers)?.synonyms == [
            ConfigSynonym(name: "retention.bytes", value: "1", source: .dynamicTopic),
            ConfigSynonym(name: "log.retention.bytes", value: "2", source: .dynamicBroker),
            ConfigSynonym(name: "log.retention.bytes", value: "3", source: .dynamicDefaultBroker),
            ConfigSynonym(name: "log.retention.bytes", value: "4", source: .staticBroker),
            ConfigSynonym(name: "log.retention.bytes", value: "-1", source: .default),
        ])
    }

    @Test func brokerLayersLookUpTheMostSpecificValue() {
        let layers = BrokerConfigLayers(dynamicBroker: ["a": "1"], dynamicDefault: ["a": "2", "b": "2"], staticConfig: ["a": "3", "b": "3", "c": "3"])
        #expect(layers.lookup("a")?.value == "1")
        #expect(layers.lookup("a")?.source == .dynamicBroker)
        #expect(layers.lookup("b")?.value == "2")
        #expect(layers.lookup("b")?.source == .dynamicDefaultBroker)
        #expect(layers.lookup("c")?.source == .staticBroker)
        #expect(layers.lookup("d") == nil)
        #expect(layers.ordered.map(\.source) == [.dynamicBroker, .dynamicDefaultBroker, .staticBroker])
    }

    @Test(arguments: [
        (["log.retention.hours": "2"], "7200000"),
        (["log.retention.minutes": "3"], "180000"),
        (["log.retention.ms": "1234"], "1234"),
        (["log.retention.hours": "2", "log.retention.minutes": "3"], "180000"),
        (["log.retention.hours": "2", "log.retention.minutes": "3", "log.retention.ms": "1234"], "1234"),
    ])
    func retentionSynonymsConvertTheirUnitAndTheMostPreciseWins(staticConfig: [String: String], expected: String) throws {
        let config = TopicConfig(partitionCount: 1)
        let resolved = try #require(config.resolve("retention.ms", layers: BrokerConfigLayers(staticConfig: staticConfig)))
        #expect(resolved.value == expected)
        #expect(resolved.source == .staticBroker)
        #expect(try config.logConfig(layers: BrokerConfigLayers(staticConfig: staticConfig)).retentionMillis == Int64(expected))
    }

    @Test func synonymsListRawValuesMostSpecificFirstAndTheDefaultLast() throws {
        let layers = BrokerConfigLayers(dynamicDefault: ["log.retention.minutes": "5"],
                                        staticConfig: ["log.retention.hours": "2", "log.retention.ms": "1000"])
        let resolved = try #require(TopicConfig(partitionCount: 1).resolve("retention.ms", layers: layers))
        // A dynamic default beats every static synonym, however precise.
        #expect(resolved.value == "300000")
        #expect(resolved.source == .dynamicDefaultBroker)
        #expect(resolved.synonyms == [
            ConfigSynonym(name: "log.retention.minutes", value: "5", source: .dynamicDefaultBroker),
            ConfigSynonym(name: "log.retention.ms", value: "1000", source: .staticBroker),
            ConfigSynonym(name: "log.retention.hours", value: "2", source: .staticBroker),
            ConfigSynonym(name: "log.retention.ms", value: "604800000", source: .default),
        ])
    }

    @Test func segmentAndJitterHoursConvertToMilliseconds() throws {
        let layers = BrokerConfigLayers(staticConfig: ["log.roll.hours": "1", "log.roll.jitter.hours": "2"])
        let config = TopicConfig(partitionCount: 1)
        #expect(config.value("segment.ms", layers: layers) == "3600000")
        #expect(config.value("segment.jitter.ms", layers: layers) == "7200000")
        let log = try config.logConfig(layers: layers)
        #expect(log.segmentMillis == 3_600_000)
        #expect(log.segmentJitterMillis == 7_200_000)
    }

    @Test func flushMsFallsBackOnTheSchedulerInterval() {
        let config = TopicConfig(partitionCount: 1)
        #expect(config.value("flush.ms", layers: BrokerConfigLayers(staticConfig: ["log.flush.scheduler.interval.ms": "500"])) == "500")
        #expect(config.value("flush.ms", layers: BrokerConfigLayers(staticConfig: ["log.flush.scheduler.interval.ms": "500", "log.flush.interval.ms": "7"])) == "7")
    }

    @Test func unitConversionSaturatesInsteadOfOverflowing() {
        #expect(TopicConfig.convert("9223372036854775807", factor: 3_600_000) == String(Int64.max))
        // A negative retention in minutes or hours means forever, as Kafka reads it.
        #expect(TopicConfig.convert("-9223372036854775807", factor: 60_000) == "-1")
        #expect(TopicConfig.convert("-3", factor: 3_600_000) == "-1")
        #expect(TopicConfig.convert("2", factor: 60_000) == "120000")
        #expect(TopicConfig.convert("abc", factor: 60_000) == "abc")
    }

    @Test func configsWithoutBrokerSynonymHaveNoSynonymsUntilSet() throws {
        var config = TopicConfig(partitionCount: 1)
        let unset = try #require(config.resolve("remote.storage.enable", layers: BrokerConfigLayers(staticConfig: ["remote.storage.enable": "true"])))
        #expect(unset.value == "false")
        #expect(unset.source == .default)
        #expect(unset.synonyms.isEmpty)
        try config.set("leader.replication.throttled.replicas", "*")
        let set = try #require(config.resolve("leader.replication.throttled.replicas", layers: BrokerConfigLayers()))
        #expect(set.synonyms == [ConfigSynonym(name: "leader.replication.throttled.replicas", value: "*", source: .dynamicTopic)])
    }

    // MARK: what the log gets

    @Test func everyStorageSettingComesFromItsConfig() throws {
        var config = TopicConfig(partitionCount: 1)
        for (name, value) in [
            ("segment.bytes", "2097152"), ("segment.ms", "1000"), ("segment.jitter.ms", "10"), ("segment.index.bytes", "4096"),
            ("retention.ms", "-1"), ("retention.bytes", "1000000"), ("max.message.bytes", "2000"), ("index.interval.bytes", "100"),
            ("flush.messages", "7"), ("cleanup.policy", "delete,compact"), ("min.cleanable.dirty.ratio", "0.25"),
            ("min.compaction.lag.ms", "11"), ("max.compaction.lag.ms", "12"), ("delete.retention.ms", "13"), ("file.delete.delay.ms", "14"),
            ("preallocate", "true"), ("message.timestamp.type", "LogAppendTime"), ("min.insync.replicas", "2"),
            ("message.timestamp.before.max.ms", "15"), ("message.timestamp.after.max.ms", "16"), ("flush.ms", "250"),
        ] { try config.set(name, value) }
        let log = try config.logConfig(layers: BrokerConfigLayers())
        #expect(log.segmentBytes == 2_097_152)
        #expect(log.segmentMillis == 1000)
        #expect(log.segmentJitterMillis == 10)
        #expect(log.segmentIndexBytes == 4096)
        #expect(log.retentionMillis == -1)
        #expect(log.retentionBytes == 1_000_000)
        #expect(log.maxBatchBytes == 2000)
        #expect(log.indexIntervalBytes == 100)
        #expect(log.flushMessages == 7)
        #expect(log.cleanupPolicy == .compactDelete)
        #expect(log.minCleanableDirtyRatio == 0.25)
        #expect(log.minCompactionLagMillis == 11)
        #expect(log.maxCompactionLagMillis == 12)
        #expect(log.deleteRetentionMillis == 13)
        #expect(log.fileDeleteDelayMillis == 14)
        #expect(log.preallocate)
        #expect(log.timestampType == .logAppendTime)
        #expect(log.minInsyncReplicas == 2)
        #expect(log.timestampBeforeMaxMillis == 15)
        #expect(log.timestampAfterMaxMillis == 16)
        #expect(log.durability == .interval(milliseconds: 250))
    }

    @Test func theDefaultsGiveKafkasStorageSettings() throws {
        let log = try TopicConfig(partitionCount: 1).logConfig(layers: BrokerConfigLayers())
        #expect(log.segmentBytes == 1 << 30)
        #expect(log.retentionMillis == 604_800_000)
        #expect(log.retentionBytes == -1)
        #expect(log.maxBatchBytes == 1_048_588)
        #expect(log.cleanupPolicy == .delete)
        #expect(log.timestampType == .createTime)
        #expect(log.minInsyncReplicas == 1)
        #expect(log.timestampBeforeMaxMillis == .max)
        #expect(log.timestampAfterMaxMillis == 3_600_000)
        #expect(log.durability == .interval(milliseconds: 100))
    }

    @Test(arguments: [
        ("interval", "0", DurabilityPolicy.always), ("interval", "40", .interval(milliseconds: 40)),
        ("always", "40", .always), ("never", "0", .never),
    ])
    func durabilityAndFlushMsPickTheSyncPolicy(durability: String, flushMs: String, expected: DurabilityPolicy) throws {
        var config = TopicConfig(partitionCount: 1)
        try config.set("durability", durability)
        try config.set("flush.ms", flushMs)
        #expect(try config.logConfig(layers: BrokerConfigLayers()).durability == expected)
    }

    @Test func anEmptyCleanupPolicyKeepsEverything() throws {
        var config = TopicConfig(partitionCount: 1)
        try config.set("cleanup.policy", "")
        #expect(try config.logConfig(layers: BrokerConfigLayers()).cleanupPolicy == .keepAll)
    }

    // MARK: numbering

    @Test func typesAndSourcesCarryKafkasWireNumbers() {
        #expect([ConfigType.unknown, .boolean, .string, .int, .short, .long, .double, .list, .class, .password].map(\.rawValue) == Array(0...9))
        #expect([ConfigType.int, .long, .double, .short].map(\.kafkaName) == ["INT", "LONG", "DOUBLE", "SHORT"])
        #expect([ConfigSource.unknown, .dynamicTopic, .dynamicBroker, .dynamicDefaultBroker, .staticBroker, .default, .brokerLogger, .clientMetrics, .group]
            .map(\.rawValue) == Array(0...8))
    }
}
