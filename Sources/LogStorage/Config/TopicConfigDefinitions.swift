/// A broker config that supplies a topic config's value when the topic does not set it, with
/// the factor that converts its unit (`log.retention.hours` × 3 600 000 → `retention.ms`).
public struct BrokerSynonym: Sendable, Equatable {
    public let name: String
    public let factor: Int64

    public init(_ name: String, factor: Int64 = 1) {
        self.name = name
        self.factor = factor
    }
}

/// A topic config: its definition and its broker synonyms, most specific first.
public struct TopicConfigDefinition: Sendable {
    public let definition: ConfigDefinition
    public let synonyms: [BrokerSynonym]

    init(_ definition: ConfigDefinition, _ synonyms: [BrokerSynonym] = []) {
        self.definition = definition
        self.synonyms = synonyms
    }

    public var name: String { definition.name }
}

/// Every topic config Kafka 4.x accepts (LogConfig's ConfigDef: the 33 listed ones and the
/// internal `internal.segment.bytes`), plus kaffee's own `durability`, with Kafka's types,
/// defaults, validators and broker synonyms. Unknown names are refused.
///
/// Deviations, on purpose: `flush.ms` defaults to 100 (Kafka: Long.MAX, i.e. leave it to the
/// OS), because it is the sync interval of kaffee's default `durability=interval`.
public enum TopicConfigDefinitions {
    static let hour: Int64 = 3_600_000
    static let minute: Int64 = 60_000

    public static let all: [TopicConfigDefinition] = [
        .init(.init("cleanup.policy", .list, "delete", .listOf(["compact", "delete"]),
                    "delete: drop old segments by retention; compact: keep the latest record of every key; both: compact and drop by retention."),
              [BrokerSynonym("log.cleanup.policy")]),
        .init(.init("compression.type", .string, "producer", .oneOf(["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"]),
                    "Codec for stored batches. kaffee stores every batch as the producer compressed it, whatever this says."),
              [BrokerSynonym("compression.type")]),
        .init(.init("compression.gzip.level", .int, "-1", .gzipLevel, "gzip level if the broker recompressed (it does not)."),
              [BrokerSynonym("compression.gzip.level")]),
        .init(.init("compression.lz4.level", .int, "9", .between(1, 17), "lz4 level if the broker recompressed (it does not)."),
              [BrokerSynonym("compression.lz4.level")]),
        .init(.init("compression.zstd.level", .int, "3", .between(-131_072, 22), "zstd level if the broker recompressed (it does not)."),
              [BrokerSynonym("compression.zstd.level")]),
        .init(.init("delete.retention.ms", .long, "86400000", .atLeast(0),
                    "How long tombstones of a compacted topic stay readable after their first compaction."),
              [BrokerSynonym("log.cleaner.delete.retention.ms")]),
        .init(.init("file.delete.delay.ms", .long, "60000", .atLeast(0),
                    "How long a deleted segment's files are kept (renamed .deleted) before removal."),
              [BrokerSynonym("log.segment.delete.delay.ms")]),
        .init(.init("flush.messages", .long, String(Int64.max), .atLeast(1),
                    "Sync after this many records even if flush.ms has not passed."),
              [BrokerSynonym("log.flush.interval.messages")]),
        .init(.init("flush.ms", .long, "100", .atLeast(0),
                    "With durability=interval: sync at least this often (0 = every append)."),
              [BrokerSynonym("log.flush.interval.ms"), BrokerSynonym("log.flush.scheduler.interval.ms")]),
        .init(.init("follower.replication.throttled.replicas", .list, "", .throttledReplicas,
                    "Replicas throttled while following (no replication on one node; accepted and shown).")),
        .init(.init("index.interval.bytes", .int, "4096", .atLeast(0), "Bytes of log between two offset-index entries."),
              [BrokerSynonym("log.index.interval.bytes")]),
        .init(.init("leader.replication.throttled.replicas", .list, "", .throttledReplicas,
                    "Replicas throttled as leader (no replication on one node; accepted and shown).")),
        .init(.init("local.retention.bytes", .long, "-2", .atLeast(-2), "Local retention with tiered storage (-2 = retention.bytes)."),
              [BrokerSynonym("log.local.retention.bytes")]),
        .init(.init("local.retention.ms", .long, "-2", .atLeast(-2), "Local retention with tiered storage (-2 = retention.ms)."),
              [BrokerSynonym("log.local.retention.ms")]),
        .init(.init("max.compaction.lag.ms", .long, String(Int64.max), .atLeast(1),
                    "A record older than this is compacted whatever the dirty ratio."),
              [BrokerSynonym("log.cleaner.max.compaction.lag.ms")]),
        .init(.init("max.message.bytes", .int, "1048588", .atLeast(0), "Largest record batch accepted."),
              [BrokerSynonym("message.max.bytes")]),
        .init(.init("message.timestamp.after.max.ms", .long, "3600000", .atLeast(0),
                    "Largest amount a record's timestamp may be ahead of the broker's clock (CreateTime)."),
              [BrokerSynonym("log.message.timestamp.after.max.ms")]),
        .init(.init("message.timestamp.before.max.ms", .long, String(Int64.max), .atLeast(0),
                    "Largest amount a record's timestamp may be behind the broker's clock (CreateTime)."),
              [BrokerSynonym("log.message.timestamp.before.max.ms")]),
        .init(.init("message.timestamp.type", .string, "CreateTime", .oneOf(["CreateTime", "LogAppendTime"]),
                    "CreateTime keeps the producer's timestamps; LogAppendTime stamps batches with the broker's clock."),
              [BrokerSynonym("log.message.timestamp.type")]),
        .init(.init("min.cleanable.dirty.ratio", .double, "0.5", .betweenDouble(0, 1),
                    "Compact once this share of the log is not compacted yet."),
              [BrokerSynonym("log.cleaner.min.cleanable.ratio")]),
        .init(.init("min.compaction.lag.ms", .long, "0", .atLeast(0), "Records stay uncompacted at least this long."),
              [BrokerSynonym("log.cleaner.min.compaction.lag.ms")]),
        .init(.init("min.insync.replicas", .int, "1", .atLeast(1),
                    "In-sync replicas acks=all needs; above 1 a one-node broker answers NOT_ENOUGH_REPLICAS."),
              [BrokerSynonym("min.insync.replicas")]),
        .init(.init("preallocate", .boolean, "false", .none, "Reserve segment.bytes of disk when a segment is created."),
              [BrokerSynonym("log.preallocate")]),
        .init(.init("remote.log.copy.disable", .boolean, "false", .none, "Tiered storage setting (no tiered storage here).")),
        .init(.init("remote.log.delete.on.disable", .boolean, "false", .none, "Tiered storage setting (no tiered storage here).")),
        .init(.init("remote.storage.enable", .boolean, "false", .none, "Tiered storage; kaffee has none, so true is refused.")),
        .init(.init("retention.bytes", .long, "-1", .none, "Delete the oldest segments while a partition is larger (-1 = no limit)."),
              [BrokerSynonym("log.retention.bytes")]),
        .init(.init("retention.ms", .long, "604800000", .atLeast(-1), "Delete segments older than this (-1 = forever)."),
              [BrokerSynonym("log.retention.ms"), BrokerSynonym("log.retention.minutes", factor: minute),
               BrokerSynonym("log.retention.hours", factor: hour)]),
        .init(.init("segment.bytes", .int, "1073741824", .atLeast(1_048_576), "Roll to a new segment at this size."),
              [BrokerSynonym("log.segment.bytes")]),
        .init(.init("segment.index.bytes", .int, "10485760", .atLeast(4), "Roll when the offset index reaches this size (8 bytes an entry)."),
              [BrokerSynonym("log.index.size.max.bytes")]),
        .init(.init("segment.jitter.ms", .long, "0", .atLeast(0), "Roll up to this much earlier than segment.ms, chosen at random per segment."),
              [BrokerSynonym("log.roll.jitter.ms"), BrokerSynonym("log.roll.jitter.hours", factor: hour)]),
        .init(.init("segment.ms", .long, "604800000", .atLeast(1), "Roll a segment this long after its first record, so old data can be deleted or compacted."),
              [BrokerSynonym("log.roll.ms"), BrokerSynonym("log.roll.hours", factor: hour)]),
        .init(.init("unclean.leader.election.enable", .boolean, "false", .none, "Replication setting (one replica here; accepted and shown)."),
              [BrokerSynonym("unclean.leader.election.enable")]),
        .init(.init("internal.segment.bytes", .int, nil, .none, internal: true,
                    "Overrides segment.bytes without its 1 MiB minimum (for tests), as in Kafka 4.1.")),
        .init(.init("durability", .string, "interval", .oneOf(["always", "interval", "never"]),
                    "kaffee: when appends are synced: always (before the ack), interval (every flush.ms), never (left to the OS)."),
              [BrokerSynonym("log.durability")]),
    ]

    /// LogConfig's definition order, in which Kafka parses a topic's values (the first failure
    /// is the one reported); kaffee's own configs come last.
    static let kafkaOrder = [
        "segment.bytes", "segment.ms", "segment.jitter.ms", "segment.index.bytes", "flush.messages", "flush.ms",
        "retention.bytes", "retention.ms", "max.message.bytes", "index.interval.bytes", "delete.retention.ms",
        "min.compaction.lag.ms", "max.compaction.lag.ms", "file.delete.delay.ms", "min.cleanable.dirty.ratio",
        "cleanup.policy", "unclean.leader.election.enable", "min.insync.replicas", "compression.type",
        "compression.gzip.level", "compression.lz4.level", "compression.zstd.level", "preallocate",
        "message.timestamp.type", "message.timestamp.before.max.ms", "message.timestamp.after.max.ms",
        "leader.replication.throttled.replicas", "follower.replication.throttled.replicas", "remote.storage.enable",
        "local.retention.ms", "local.retention.bytes", "remote.log.copy.disable", "remote.log.delete.on.disable",
        "internal.segment.bytes",
    ]
    static let positions: [String: Int] = Dictionary(uniqueKeysWithValues: kafkaOrder.enumerated().map { ($1, $0) })

    /// Where `name` comes in Kafka's validation order (unknown and kaffee-only names last).
    public static func kafkaPosition(_ name: String) -> Int { positions[name] ?? kafkaOrder.count }

    static let byName: [String: TopicConfigDefinition] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The definition of `name`, or nil for a name Kafka does not know.
    public static func definition(_ name: String) -> TopicConfigDefinition? { byName[name] }
}
