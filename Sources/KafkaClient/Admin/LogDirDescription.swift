public import KafkaProtocol

/// One log directory of one broker, as `KafkaAdmin.describeLogDirs` reports it.
/// A value type; `Sendable`.
public struct LogDirDescription: Sendable, Equatable {
    /// One partition replica stored in the directory. A value type; `Sendable`.
    public struct Replica: Sendable, Equatable {
        /// The partition.
        public var partition: TopicPartition
        /// Bytes of log segments the replica holds here.
        public var sizeBytes: Int64
        /// How far its log end trails the high watermark (0 for an up-to-date leader).
        public var offsetLag: Int64
        /// Whether this is a "future" replica being moved here.
        public var isFuture: Bool

        /// A replica entry.
        public init(partition: TopicPartition, sizeBytes: Int64, offsetLag: Int64, isFuture: Bool = false) {
            self.partition = partition
            self.sizeBytes = sizeBytes
            self.offsetLag = offsetLag
            self.isFuture = isFuture
        }
    }

    /// The broker holding the directory.
    public var brokerId: Int32
    /// The directory's absolute path.
    public var path: String
    /// `.none`, or the directory's error (e.g. `.kafkaStorageError` when it is offline).
    public var errorCode: ErrorCode
    /// Size of the volume holding it in bytes; nil when unknown (DescribeLogDirs < v4 or not
    /// reported).
    public var totalBytes: Int64?
    /// Free bytes usable on that volume; nil when unknown.
    public var usableBytes: Int64?
    /// Whether the directory is cordoned (takes no new replicas; v5+).
    public var isCordoned: Bool
    /// The replicas in the directory, sorted by partition (only those asked for).
    public var replicas: [Replica]

    /// A log directory description; `replicas` are sorted by partition.
    public init(brokerId: Int32, path: String, errorCode: ErrorCode = .none, totalBytes: Int64? = nil, usableBytes: Int64? = nil,
                isCordoned: Bool = false, replicas: [Replica]) {
        self.brokerId = brokerId
        self.path = path
        self.errorCode = errorCode
        self.totalBytes = totalBytes
        self.usableBytes = usableBytes
        self.isCordoned = isCordoned
        self.replicas = replicas.sorted { $0.partition < $1.partition }
    }

    /// The bytes of every replica in the directory together.
    public var replicaBytes: Int64 { replicas.reduce(0) { $0 + $1.sizeBytes } }
}
