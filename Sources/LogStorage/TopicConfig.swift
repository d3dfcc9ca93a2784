/// A topic's settings: its partition count and the configs set on the topic itself (Kafka's
/// dynamic topic configs). Everything else comes from the broker (`BrokerConfigLayers`) or the
/// built-in defaults (`TopicConfigDefinitions`), resolved by `resolve(_:layers:)` and turned
/// into the storage settings by `logConfig(layers:)`.
///
/// Values are validated and normalized when set, with Kafka's messages; a refused `set` changes
/// nothing. A value type; `Sendable`.
public struct TopicConfig: Sendable, Equatable {
    public var partitionCount: Int32
    /// Topic-level configs: name → normalized value.
    public private(set) var overrides: [String: String]

    public init(partitionCount: Int32, overrides: [String: String] = [:]) {
        self.partitionCount = partitionCount
        self.overrides = overrides
    }

    /// Sets one topic config. Throws `invalidConfig` (Kafka's message) for an unknown name or
    /// a bad value.
    public mutating func set(_ name: String, _ value: String) throws(LogStorageError) {
        guard let definition = TopicConfigDefinitions.definition(name) else {
            throw .invalidConfig("Unknown topic config name: \(name)")
        }
        let normalized = try definition.definition.normalize(value)
        if name == "remote.storage.enable" && normalized == "true" {
            throw .invalidConfig("Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.")
        }
        overrides[name] = normalized
    }

    /// Removes a topic-level config (the broker's value applies again). Unknown or unset names
    /// are ignored, as Kafka ignores them.
    public mutating func remove(_ name: String) {
        overrides[name] = nil
    }

    /// The effective value of topic config `name`, its source and synonyms; nil for an unknown
    /// name.
    public func resolve(_ name: String, layers: BrokerConfigLayers) -> ResolvedConfig? {
        guard let entry = TopicConfigDefinitions.definition(name) else { return nil }
        let definition = entry.definition
        var synonyms: [ConfigSynonym] = []
        if let value = overrides[name] { synonyms.append(ConfigSynonym(name: name, value: value, source: .dynamicTopic)) }
        var converted: (value: String, source: ConfigSource)?
        for layer in layers.ordered {
            for synonym in entry.synonyms {
                guard let raw = layer.values[synonym.name] else { continue }
                synonyms.append(ConfigSynonym(name: synonym.name, value: raw, source: layer.source))
                if converted == nil { converted = (Self.convert(raw, factor: synonym.factor), layer.source) }
            }
        }
        if let primary = entry.synonyms.first, let value = definition.defaultValue {
            synonyms.append(ConfigSynonym(name: primary.name, value: value, source: .default))
        }
        let (value, source): (String?, ConfigSource)
        if let topicValue = overrides[name] {
            (value, source) = (topicValue, .dynamicTopic)
        } else if let converted {
            (value, source) = (converted.value, converted.source)
        } else {
            (value, source) = (definition.defaultValue, .default)
        }
        return ResolvedConfig(name: name, value: value, source: source, synonyms: synonyms,
                              type: definition.type, documentation: definition.documentation)
    }

    /// Every listed topic config, and internal ones that are set, resolved.
    public func resolveAll(layers: BrokerConfigLayers) -> [ResolvedConfig] {
        TopicConfigDefinitions.all.compactMap { entry in
            entry.definition.isInternal && overrides[entry.name] == nil ? nil : resolve(entry.name, layers: layers)
        }
    }

    /// The effective value of `name` as text (`""` when it has none).
    public func value(_ name: String, layers: BrokerConfigLayers) -> String {
        resolve(name, layers: layers)?.value ?? ""
    }

    /// A broker value in the topic config's unit (`log.retention.hours=2` → 7200000).
    static func convert(_ raw: String, factor: Int64) -> String {
        guard factor != 1, let number = Int64(raw) else { return raw }
        // Kafka reads a negative retention in minutes or hours as "forever".
        if number < 0 { return "-1" }
        let (product, overflow) = number.multipliedReportingOverflow(by: factor)
        return String(overflow ? (number < 0 ? Int64.min : Int64.max) : product)
    }

    /// The storage settings these configs amount to over `layers`. Throws `invalidConfig` for
    /// combinations Kafka refuses (`min.compaction.lag.ms` above `max.compaction.lag.ms`).
    public func logConfig(layers: BrokerConfigLayers) throws(LogStorageError) -> LogConfig {
        func text(_ name: String) -> String { value(name, layers: layers) }
        func long(_ name: String, _ fallback: Int64) -> Int64 { Int64(text(name)) ?? fallback }
        func int(_ name: String, _ fallback: Int) -> Int { Int(text(name)) ?? fallback }
        var log = LogConfig()
        log.segmentBytes = overrides["internal.segment.bytes"].flatMap { Int($0) } ?? int("segment.bytes", log.segmentBytes)
        log.segmentMillis = long("segment.ms", log.segmentMillis)
        log.segmentJitterMillis = long("segment.jitter.ms", 0)
        log.segmentIndexBytes = int("segment.index.bytes", log.segmentIndexBytes)
        log.retentionMillis = long("retention.ms", log.retentionMillis)
        log.retentionBytes = long("retention.bytes", -1)
        log.maxBatchBytes = int("max.message.bytes", log.maxBatchBytes)
        log.indexIntervalBytes = int("index.interval.bytes", log.indexIntervalBytes)
        log.flushMessages = long("flush.messages", .max)
        log.cleanupPolicy = CleanupPolicy(parsing: text("cleanup.policy")) ?? .delete
        log.minCleanableDirtyRatio = Double(text("min.cleanable.dirty.ratio")) ?? 0.5
        log.minCompactionLagMillis = long("min.compaction.lag.ms", 0)
        log.maxCompactionLagMillis = long("max.compaction.lag.ms", .max)
        log.deleteRetentionMillis = long("delete.retention.ms", log.deleteRetentionMillis)
        log.fileDeleteDelayMillis = long("file.delete.delay.ms", log.fileDeleteDelayMillis)
        log.preallocate = text("preallocate") == "true"
        log.timestampType = text("message.timestamp.type") == "LogAppendTime" ? .logAppendTime : .createTime
        log.minInsyncReplicas = int("min.insync.replicas", 1)
        log.timestampBeforeMaxMillis = long("message.timestamp.before.max.ms", .max)
        log.timestampAfterMaxMillis = long("message.timestamp.after.max.ms", 3_600_000)
        let flushMillis = long("flush.ms", DurabilityPolicy.defaultIntervalMillis)
        switch text("durability") {
        case "always": log.durability = .always
        case "never": log.durability = .never
        // flush.ms=0 asks for a sync after every append.
        default: log.durability = flushMillis == 0 ? .always : .interval(milliseconds: flushMillis)
        }
        guard log.minCompactionLagMillis <= log.maxCompactionLagMillis else {
            throw .invalidConfig("conflict topic config setting min.compaction.lag.ms (\(log.minCompactionLagMillis)) > max.compaction.lag.ms (\(log.maxCompactionLagMillis))")
        }
        try log.validate()
        return log
    }
}
