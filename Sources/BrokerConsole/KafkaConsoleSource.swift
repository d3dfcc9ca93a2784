public import KafkaClient
import KafkaProtocol
public import SystemIO

/// The console's data over a Kafka client of the broker (admin API for everything but the
/// message browser, which assigns a group-less consumer to one partition). One per console
/// user: with SASL its client logs in as that user, so the broker's ACLs decide what the user
/// sees and may change. Thread-safe (`KafkaAdmin` is); `close()` ends its connections.
public final class KafkaConsoleSource: ConsoleDataSource {
    /// The client settings (bootstrap address, login) every client of this source uses.
    public let clientConfig: ClientConfig
    private let admin: KafkaAdmin
    private let clock: any TimeSource

    /// How long the message browser waits for records at most.
    static let browseTimeoutMs = 3_000

    public init(clientConfig: ClientConfig, clock: any TimeSource = SystemTimeSource()) {
        self.clientConfig = clientConfig
        self.admin = KafkaAdmin(config: clientConfig)
        self.clock = clock
    }

    /// Closes the admin client's connections.
    public func close() { admin.close() }

    /// Checks that the broker answers and (with SASL) accepts the login.
    public func verify() throws(ConsoleFailure) {
        try call { () throws(KafkaClientError) in _ = try admin.cluster.refreshMetadata(topics: []) }
    }

    /// `body`'s result, with a Kafka client failure turned into a page failure.
    func call<T>(_ body: () throws(KafkaClientError) -> T) throws(ConsoleFailure) -> T {
        do {
            return try body()
        } catch {
            throw ConsoleFailure(error)
        }
    }

    public func overview() throws(ConsoleFailure) -> OverviewData {
        try call { () throws(KafkaClientError) -> OverviewData in
            let cluster = try admin.describeCluster()
            let names = try admin.listTopics()
            let infos = names.isEmpty ? [:] : try admin.cluster.refreshMetadata(topics: names)
            let partitions = infos.values.reduce(0) { $0 + Int($1.partitionCount) }
            let dirs = (try? admin.describeLogDirs()) ?? []
            return OverviewData(
                clusterId: cluster.clusterId ?? "unknown",
                brokers: cluster.brokers.map { "\($0.nodeId) at \($0.address)\($0.nodeId == cluster.controllerId ? " (controller)" : "")" },
                topicCount: names.count, partitionCount: partitions,
                logDirs: dirs.map { LogDirUsage(path: $0.path, usedBytes: $0.replicaBytes, totalBytes: $0.totalBytes, usableBytes: $0.usableBytes) })
        }
    }

    public func topics() throws(ConsoleFailure) -> [TopicSummary] {
        try call { () throws(KafkaClientError) -> [TopicSummary] in
            let names = try admin.listTopics()
            guard !names.isEmpty else { return [] }
            let infos = try admin.cluster.refreshMetadata(topics: names)
            let partitions = names.flatMap { name in
                (0..<(infos[name]?.partitionCount ?? 0)).map { TopicPartition(topic: name, partition: $0) }
            }
            let (starts, ends) = try offsetRange(partitions)
            let sizes = partitionSizes(topics: names)
            return names.map { name in
                let own = partitions.filter { $0.topic == name }
                let records = own.reduce(Int64(0)) { $0 + max(0, (ends[$1] ?? 0) - (starts[$1] ?? 0)) }
                let size: Int64? = sizes.map { sizes in own.reduce(Int64(0)) { $0 + (sizes[$1] ?? 0) } }
                return TopicSummary(name: name, partitions: own.count, records: records, sizeBytes: size)
            }
        }
    }

    public func topic(_ name: String) throws(ConsoleFailure) -> TopicDetail {
        try call { () throws(KafkaClientError) -> TopicDetail in
            let description = try admin.describeTopic(name: name)
            let partitions = description.partitions.map { TopicPartition(topic: name, partition: $0.partition) }
            let (starts, ends) = try offsetRange(partitions)
            let sizes = partitionSizes(topics: [name])
            return TopicDetail(
                name: name, topicId: description.hasId ? description.idBase64 : "none",
                partitions: description.partitions.map { p in
                    let key = TopicPartition(topic: name, partition: p.partition)
                    return PartitionSummary(partition: p.partition, leader: p.leader, startOffset: starts[key] ?? -1, endOffset: ends[key] ?? -1,
                                            sizeBytes: sizes?[key])
                },
                configs: description.configs.map {
                    ConfigSummary(name: $0.name, value: $0.isSensitive ? nil : $0.value, source: $0.source.description, isSensitive: $0.isSensitive)
                })
        }
    }

    public func createTopic(name: String, partitions: Int32, configs: [String: String]) throws(ConsoleFailure) {
        try call { () throws(KafkaClientError) in try admin.createTopic(name: name, partitions: partitions, replicationFactor: -1, configs: configs) }
    }

    public func deleteTopic(_ name: String) throws(ConsoleFailure) {
        try call { () throws(KafkaClientError) in try admin.deleteTopic(name: name) }
    }

    public func records(_ query: BrowseQuery) throws(ConsoleFailure) -> BrowseResult {
        let partition = TopicPartition(topic: query.topic, partition: query.partition)
        let info = try call { () throws(KafkaClientError) in try admin.cluster.topic(query.topic, refresh: true) }
        guard query.partition < info.partitionCount else {
            throw .notFound("partition \(query.partition) of topic \(query.topic) does not exist (it has \(info.partitionCount) partition(s): 0–\(max(0, info.partitionCount - 1)))")
        }
        let (starts, ends) = try call { () throws(KafkaClientError) in try offsetRange([partition]) }
        let start = starts[partition] ?? 0, end = ends[partition] ?? 0
        var note: String?
        let first: Int64
        switch query.start {
        case .earliest:
            first = start
        case .latest:
            first = max(start, end - Int64(query.count))
        case .offset(let offset):
            guard offset >= start, offset <= end else {
                throw .badRequest("offset \(offset) is out of range: partition \(query.partition) of \(query.topic) holds offsets \(start) to \(end) (end, exclusive)")
            }
            first = offset
        case .timestamp(let ms):
            let found = try call { () throws(KafkaClientError) in try admin.listOffsets([partition], spec: .timestamp(ms)) }
            if let offset = found[partition]?.offset, offset >= 0 {
                first = offset
            } else {
                first = end
                note = "No record at or after \(ConsoleParameters.formatTimestamp(ms))."
            }
        }
        if first >= end {
            return BrowseResult(startOffset: start, endOffset: end, firstOffset: first, records: [],
                                note: note ?? "Offset \(first) is the end of the partition: no records there yet.")
        }
        let records = try call { () throws(KafkaClientError) in try read(partition, from: first, until: end, count: query.count) }
        return BrowseResult(startOffset: start, endOffset: end, firstOffset: first, records: records, note: note)
    }

    /// Up to `count` records of `partition` from `first`, stopping at `end` or after the
    /// browse timeout.
    private func read(_ partition: TopicPartition, from first: Int64, until end: Int64, count: Int) throws(KafkaClientError) -> [BrowsedRecord] {
        var config = ConsumerConfig(groupId: nil)
        config.enableAutoCommit = false
        config.autoOffsetReset = .none
        config.fetchMaxWaitMs = 100
        config.maxPartitionFetchBytes = 1 << 20
        var clientConfig = self.clientConfig
        clientConfig.clientId = self.clientConfig.clientId + "-browser"
        let consumer = try KafkaConsumer(config: clientConfig, consumerConfig: config)
        defer { consumer.close() }
        try consumer.assign([partition])
        try consumer.seek(partition, to: first)
        var found: [BrowsedRecord] = []
        let deadline = clock.monotonicNanos() + UInt64(Self.browseTimeoutMs) * 1_000_000
        while found.count < count && clock.monotonicNanos() < deadline {
            let batch = try consumer.poll(timeoutMs: 200)
            for record in batch where record.topicPartition == partition && found.count < count {
                found.append(BrowsedRecord(offset: record.offset, timestamp: record.timestamp, key: record.key, value: record.value,
                                           headers: record.headers.map { (key: $0.key, value: $0.value) }))
            }
            if let position = try? consumer.position(partition), position >= end { break }
        }
        return found
    }

    public func groups() throws(ConsoleFailure) -> [GroupSummary] {
        try call { () throws(KafkaClientError) -> [GroupSummary] in
            try admin.listGroups().map { GroupSummary(id: $0.groupId, type: Self.groupType($0), state: $0.state?.description ?? "unknown") }
        }
    }

    /// `classic`, `consumer` or `share`.
    static func groupType(_ listing: GroupListing) -> String {
        if listing.isShareGroup { return "share" }
        return listing.groupType.isEmpty ? "classic" : listing.groupType
    }

    public func group(_ id: String) throws(ConsoleFailure) -> GroupDetail {
        try call { () throws(KafkaClientError) -> GroupDetail in
            guard let listing = try admin.listGroups().first(where: { $0.groupId == id }) else {
                throw .broker(.groupIdNotFound, context: "group \(id) does not exist")
            }
            let type = Self.groupType(listing)
            switch type {
            case "share":
                let description = try admin.describeShareGroup(id)
                let offsets = try admin.shareGroupOffsets(group: id)
                return GroupDetail(
                    id: id, type: type, state: description.state,
                    members: description.members.map { GroupMember(memberId: $0.memberId, clientId: $0.clientId, host: $0.host, assignment: $0.assignment.map(\.description)) },
                    partitions: offsets.map { GroupPartitionLag(topic: $0.topic, partition: $0.partition, committedOffset: $0.startOffset, endOffset: -1, lag: $0.lag) })
            case "consumer":
                let description = try admin.describeConsumerGroup(id)
                return GroupDetail(
                    id: id, type: type, state: description.state,
                    members: description.members.map { GroupMember(memberId: $0.memberId, clientId: $0.clientId, host: $0.host, assignment: $0.assignment.map(\.description)) },
                    partitions: try lagRows(id))
            default:
                let description = try admin.describeGroup(id)
                return GroupDetail(
                    id: id, type: type, state: description.state.description,
                    members: description.members.map { GroupMember(memberId: $0.memberId, clientId: $0.clientId, host: $0.host, assignment: $0.assignment.map(\.description)) },
                    partitions: try lagRows(id))
            }
        }
    }

    private func lagRows(_ id: String) throws(KafkaClientError) -> [GroupPartitionLag] {
        try admin.lag(group: id).map {
            GroupPartitionLag(topic: $0.topic, partition: $0.partition, committedOffset: $0.committedOffset, endOffset: $0.highWatermark, lag: $0.lag)
        }
    }

    public func resetOffsets(group: String, topic: String?, to target: ResetTarget) throws(ConsoleFailure) -> [PartitionOffset] {
        try call { () throws(KafkaClientError) -> [PartitionOffset] in
            var partitions = try admin.committedOffsets(group: group).keys.filter { topic == nil || $0.topic == topic }
            if partitions.isEmpty, let topic {
                let info = try admin.cluster.topic(topic, refresh: true)
                partitions = (0..<info.partitionCount).map { TopicPartition(topic: topic, partition: $0) }
            }
            guard !partitions.isEmpty else {
                throw .invalidArgument("group \(group) has no committed offsets to reset; choose a topic")
            }
            let (starts, ends) = try offsetRange(partitions)
            var offsets: [TopicPartition: Int64] = [:]
            switch target {
            case .earliest: for p in partitions { offsets[p] = starts[p] ?? 0 }
            case .latest: for p in partitions { offsets[p] = ends[p] ?? 0 }
            case .offset(let offset): for p in partitions { offsets[p] = min(max(offset, starts[p] ?? 0), ends[p] ?? 0) }
            case .timestamp(let ms):
                let found = try admin.listOffsets(partitions, spec: .timestamp(ms))
                for p in partitions {
                    let offset = found[p]?.offset ?? -1
                    offsets[p] = offset >= 0 ? offset : (ends[p] ?? 0)
                }
            }
            try admin.resetOffsets(group: group, to: offsets)
            return offsets.sorted { $0.key < $1.key }.map { PartitionOffset(topic: $0.key.topic, partition: $0.key.partition, offset: $0.value) }
        }
    }

    /// Log start and end offsets of `partitions` (ListOffsets earliest and latest).
    private func offsetRange(_ partitions: [TopicPartition]) throws(KafkaClientError) -> (starts: [TopicPartition: Int64], ends: [TopicPartition: Int64]) {
        guard !partitions.isEmpty else { return ([:], [:]) }
        let starts = try admin.listOffsets(partitions, spec: .earliest).mapValues(\.offset)
        let ends = try admin.listOffsets(partitions, spec: .latest).mapValues(\.offset)
        return (starts, ends)
    }

    /// Bytes per partition of `topics` (DescribeLogDirs), nil when the broker will not say
    /// (e.g. the user may not describe the cluster).
    private func partitionSizes(topics: [String]) -> [TopicPartition: Int64]? {
        guard let dirs = try? admin.describeLogDirs(topics: topics) else { return nil }
        var sizes: [TopicPartition: Int64] = [:]
        for dir in dirs {
            for replica in dir.replicas where !replica.isFuture { sizes[replica.partition, default: 0] += replica.sizeBytes }
        }
        return sizes
    }
}

extension ConsoleFailure {
    /// A client failure as a page failure: the status that fits, Kafka's error name
    /// (`TOPIC_AUTHORIZATION_FAILED`) and the broker's message.
    public init(_ error: KafkaClientError) {
        switch error {
        case .unknownTopic, .unknownPartition:
            self.init(status: 404, error.description)
        case .authenticationFailed:
            self.init(status: 401, error.description)
        case .invalidArgument(let reason):
            self.init(status: 400, reason)
        case .broker(let code, let context):
            self.init(status: Self.status(code), "\(context): \(Self.kafkaName(code)) (error code \(code.rawValue))")
        default:
            self.init(status: 502, error.description)
        }
    }

    static func status(_ code: ErrorCode) -> Int {
        switch code {
        case .topicAuthorizationFailed, .groupAuthorizationFailed, .clusterAuthorizationFailed, .transactionalIdAuthorizationFailed:
            403
        case .topicAlreadyExists, .nonEmptyGroup:
            409
        case .groupIdNotFound, .unknownTopicOrPartition, .unknownTopicId:
            404
        case .invalidTopicException, .invalidPartitions, .invalidReplicationFactor, .invalidConfig, .invalidRequest, .policyViolation:
            400
        default:
            502
        }
    }

    /// Kafka's name of an error code: `topicAuthorizationFailed` → `TOPIC_AUTHORIZATION_FAILED`.
    static func kafkaName(_ code: ErrorCode) -> String {
        var out = ""
        for character in String(describing: code) {
            if character.isUppercase { out += "_" }
            out += character.uppercased()
        }
        return out
    }
}
