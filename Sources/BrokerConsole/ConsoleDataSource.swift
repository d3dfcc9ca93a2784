/// What the console's pages read and change. The real one (`KafkaConsoleSource`) is a Kafka
/// client of the broker; tests give the pages a fake. Every method may block and must be
/// thread-safe; failures are `ConsoleFailure`s the pages show as they are.
public protocol ConsoleDataSource: Sendable {
    /// Cluster id, brokers, topic and partition counts, log directories.
    func overview() throws(ConsoleFailure) -> OverviewData
    /// Every (non-internal) topic with its partition count, records and size, sorted by name.
    func topics() throws(ConsoleFailure) -> [TopicSummary]
    /// One topic's partitions (offsets, sizes) and configs.
    func topic(_ name: String) throws(ConsoleFailure) -> TopicDetail
    /// Creates a topic.
    func createTopic(name: String, partitions: Int32, configs: [String: String]) throws(ConsoleFailure)
    /// Deletes a topic.
    func deleteTopic(_ name: String) throws(ConsoleFailure)
    /// Up to `query.count` records of one partition from the start the query names.
    func records(_ query: BrowseQuery) throws(ConsoleFailure) -> BrowseResult
    /// Every group (classic, consumer protocol, share) with its type and state, sorted by id.
    func groups() throws(ConsoleFailure) -> [GroupSummary]
    /// One group's members and per-partition offsets and lag.
    func group(_ id: String) throws(ConsoleFailure) -> GroupDetail
    /// Sets an Empty group's committed offsets on every partition it has committed offsets for
    /// (or of `topic` only); returns the new offsets.
    func resetOffsets(group: String, topic: String?, to target: ResetTarget) throws(ConsoleFailure) -> [PartitionOffset]
}

/// A failure to show: the HTTP status of the page and a message for people (Kafka error names
/// and the broker's message included where there were some).
public struct ConsoleFailure: Error, Sendable, Equatable {
    /// 400 bad input, 401 login needed or refused, 403 not authorized, 404 unknown, 409
    /// conflict (exists, not empty), 502 the broker failed.
    public var status: Int
    /// The message shown on the page.
    public var message: String

    public init(status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    public static func badRequest(_ message: String) -> ConsoleFailure { ConsoleFailure(status: 400, message) }
    public static func notFound(_ message: String) -> ConsoleFailure { ConsoleFailure(status: 404, message) }
}

/// The overview page's cluster facts.
public struct OverviewData: Sendable, Equatable {
    public var clusterId: String
    public var brokers: [String]
    public var topicCount: Int
    public var partitionCount: Int
    public var logDirs: [LogDirUsage]

    public init(clusterId: String, brokers: [String], topicCount: Int, partitionCount: Int, logDirs: [LogDirUsage]) {
        self.clusterId = clusterId
        self.brokers = brokers
        self.topicCount = topicCount
        self.partitionCount = partitionCount
        self.logDirs = logDirs
    }
}

/// One log directory's use (DescribeLogDirs).
public struct LogDirUsage: Sendable, Equatable {
    public var path: String
    /// Bytes of the partitions stored there.
    public var usedBytes: Int64
    /// The file system's size and free space, when the broker reports them.
    public var totalBytes: Int64?
    public var usableBytes: Int64?

    public init(path: String, usedBytes: Int64, totalBytes: Int64? = nil, usableBytes: Int64? = nil) {
        self.path = path
        self.usedBytes = usedBytes
        self.totalBytes = totalBytes
        self.usableBytes = usableBytes
    }
}

/// A row of the topic list.
public struct TopicSummary: Sendable, Equatable {
    public var name: String
    public var partitions: Int
    /// Records retained: the sum over partitions of end − start offset.
    public var records: Int64
    /// Bytes on disk; nil when the broker did not say.
    public var sizeBytes: Int64?

    public init(name: String, partitions: Int, records: Int64, sizeBytes: Int64?) {
        self.name = name
        self.partitions = partitions
        self.records = records
        self.sizeBytes = sizeBytes
    }
}

/// One partition of a topic page.
public struct PartitionSummary: Sendable, Equatable {
    public var partition: Int32
    public var leader: Int32
    public var startOffset: Int64
    public var endOffset: Int64
    public var sizeBytes: Int64?

    public init(partition: Int32, leader: Int32, startOffset: Int64, endOffset: Int64, sizeBytes: Int64?) {
        self.partition = partition
        self.leader = leader
        self.startOffset = startOffset
        self.endOffset = endOffset
        self.sizeBytes = sizeBytes
    }
}

/// One config entry of a topic page.
public struct ConfigSummary: Sendable, Equatable {
    public var name: String
    /// nil for a sensitive or unset value.
    public var value: String?
    /// Kafka's source name, e.g. `DYNAMIC_TOPIC_CONFIG`, `DEFAULT_CONFIG`.
    public var source: String
    public var isSensitive: Bool

    public init(name: String, value: String?, source: String, isSensitive: Bool = false) {
        self.name = name
        self.value = value
        self.source = source
        self.isSensitive = isSensitive
    }
}

/// The topic page.
public struct TopicDetail: Sendable, Equatable {
    public var name: String
    public var topicId: String
    public var partitions: [PartitionSummary]
    public var configs: [ConfigSummary]

    public init(name: String, topicId: String, partitions: [PartitionSummary], configs: [ConfigSummary]) {
        self.name = name
        self.topicId = topicId
        self.partitions = partitions
        self.configs = configs
    }
}

/// Where the message browser starts.
public enum BrowseStart: Sendable, Equatable {
    /// The partition's first retained record.
    case earliest
    /// The last `count` records before the end.
    case latest
    /// This offset.
    case offset(Int64)
    /// The first record with a timestamp at or after this time (ms since the epoch).
    case timestamp(Int64)
}

/// A message browser request.
public struct BrowseQuery: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var start: BrowseStart
    public var count: Int

    public init(topic: String, partition: Int32, start: BrowseStart, count: Int) {
        self.topic = topic
        self.partition = partition
        self.start = start
        self.count = count
    }
}

/// One record as fetched.
public struct BrowsedRecord: Sendable, Equatable {
    public var offset: Int64
    public var timestamp: Int64
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [(key: String, value: [UInt8]?)]

    public init(offset: Int64, timestamp: Int64, key: [UInt8]?, value: [UInt8]?, headers: [(key: String, value: [UInt8]?)] = []) {
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
    }

    public static func == (a: BrowsedRecord, b: BrowsedRecord) -> Bool {
        a.offset == b.offset && a.timestamp == b.timestamp && a.key == b.key && a.value == b.value
            && a.headers.map(\.key) == b.headers.map(\.key) && a.headers.map(\.value) == b.headers.map(\.value)
    }
}

/// What the message browser found.
public struct BrowseResult: Sendable, Equatable {
    /// The partition's offsets when it was read.
    public var startOffset: Int64
    public var endOffset: Int64
    /// The offset reading began at (after resolving a timestamp or `latest`).
    public var firstOffset: Int64
    public var records: [BrowsedRecord]
    /// A note for the page (e.g. "no record at or after that time"), nil when none.
    public var note: String?

    public init(startOffset: Int64, endOffset: Int64, firstOffset: Int64, records: [BrowsedRecord], note: String? = nil) {
        self.startOffset = startOffset
        self.endOffset = endOffset
        self.firstOffset = firstOffset
        self.records = records
        self.note = note
    }
}

/// A row of the group list.
public struct GroupSummary: Sendable, Equatable {
    public var id: String
    /// `classic`, `consumer` or `share` (as ListGroups says; `classic` when it does not).
    public var type: String
    public var state: String

    public init(id: String, type: String, state: String) {
        self.id = id
        self.type = type
        self.state = state
    }
}

/// One member of a group page.
public struct GroupMember: Sendable, Equatable {
    public var memberId: String
    public var clientId: String
    public var host: String
    public var assignment: [String]

    public init(memberId: String, clientId: String, host: String, assignment: [String]) {
        self.memberId = memberId
        self.clientId = clientId
        self.host = host
        self.assignment = assignment
    }
}

/// One partition row of a group page.
public struct GroupPartitionLag: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    /// −1 when nothing is committed (for a share group: its start offset).
    public var committedOffset: Int64
    /// −1 when unknown (share groups report lag only).
    public var endOffset: Int64
    public var lag: Int64

    public init(topic: String, partition: Int32, committedOffset: Int64, endOffset: Int64, lag: Int64) {
        self.topic = topic
        self.partition = partition
        self.committedOffset = committedOffset
        self.endOffset = endOffset
        self.lag = lag
    }
}

/// The group page.
public struct GroupDetail: Sendable, Equatable {
    public var id: String
    public var type: String
    public var state: String
    public var members: [GroupMember]
    public var partitions: [GroupPartitionLag]

    public init(id: String, type: String, state: String, members: [GroupMember], partitions: [GroupPartitionLag]) {
        self.id = id
        self.type = type
        self.state = state
        self.members = members
        self.partitions = partitions
    }

    /// The sum of every partition's lag.
    public var totalLag: Int64 { partitions.reduce(0) { $0 + max(0, $1.lag) } }
    /// Whether offsets may be reset: a classic or consumer group with no members.
    public var canResetOffsets: Bool { type != "share" && members.isEmpty && (state == "Empty" || state == "Dead") }
}

/// Where "reset offsets" moves a group.
public enum ResetTarget: Sendable, Equatable {
    case earliest
    case latest
    case offset(Int64)
    case timestamp(Int64)
}

/// A partition and an offset (the result of a reset).
public struct PartitionOffset: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64

    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
