import KafkaProtocol

extension KafkaAdmin {
    /// The offset (and its record's timestamp) `spec` selects in each partition (ListOffsets,
    /// one request per partition leader). With `isolation` `.readCommitted`, `.latest` is the
    /// last stable offset (before the first open transaction).
    ///
    /// `timestamp` is −1 for `.earliest` and `.latest`. For `.timestamp(t)` with no record at or
    /// after `t`, offset and timestamp are both −1.
    /// - Throws: `.unknownTopic` / `.unknownPartition` for partitions that do not exist,
    ///   `.unsupported` for `.maxTimestamp` on a broker without ListOffsets v7.
    public func listOffsets(_ partitions: [TopicPartition], spec: OffsetSpec,
                            isolation: ConsumerConfig.IsolationLevel = .readUncommitted) throws(KafkaClientError) -> [TopicPartition: (offset: Int64, timestamp: Int64)] {
        try offsets(Set(partitions), spec: spec, skippingUnknown: false, isolation: isolation)
    }

    /// `listOffsets`, optionally leaving out partitions whose topic or partition does not exist
    /// instead of failing (for lag reports over committed offsets of deleted topics).
    func offsets(_ partitions: Set<TopicPartition>, spec: OffsetSpec, skippingUnknown: Bool,
                 isolation: ConsumerConfig.IsolationLevel = .readUncommitted) throws(KafkaClientError) -> [TopicPartition: (offset: Int64, timestamp: Int64)] {
        if let negative = partitions.first(where: { $0.partition < 0 }) {
            throw .unknownPartition(topic: negative.topic, partition: negative.partition)
        }
        var results: [TopicPartition: (offset: Int64, timestamp: Int64)] = [:]
        var pending = partitions
        try cluster.withRetries("ListOffsets") { () throws(KafkaClientError) in
            guard !pending.isEmpty else { return }
            let leaders = try leadersOf(&pending, skippingUnknown: skippingUnknown)
            var failure: KafkaClientError?
            for (leader, group) in leaders.byLeader.sorted(by: { $0.key < $1.key }) {
                do throws(KafkaClientError) {
                    let answers = try listOffsets(group, spec: spec, leader: leader, isolation: isolation)
                    for (partition, answer) in answers {
                        switch answer {
                        case .success(let found):
                            results[partition] = found
                            pending.remove(partition)
                        case .failure(let error):
                            failure = Self.worse(failure, error)
                        }
                    }
                } catch {
                    failure = Self.worse(failure, error)
                }
            }
            if let error = leaders.failure { failure = Self.worse(failure, error) }
            if let failure, !pending.isEmpty { throw failure }
        }
        return results
    }

    /// Groups `pending` by leader from fresh metadata; removes (when skipping) or throws for
    /// partitions that do not exist, and reports leaderless ones as a retriable failure naming
    /// `operation`.
    func leadersOf(_ pending: inout Set<TopicPartition>, skippingUnknown: Bool, operation: String = "ListOffsets") throws(KafkaClientError)
        -> (byLeader: [Int32: [TopicPartition]], failure: KafkaClientError?) {
        let topics = try cluster.refreshMetadata(topics: Set(pending.map(\.topic)).sorted())
        var byLeader: [Int32: [TopicPartition]] = [:]
        var failure: KafkaClientError?
        for partition in pending.sorted() {
            guard let info = topics[partition.topic] else {
                if skippingUnknown { pending.remove(partition); continue }
                throw .unknownTopic(partition.topic)
            }
            guard partition.partition < info.partitionCount else {
                if skippingUnknown { pending.remove(partition); continue }
                throw .unknownPartition(topic: partition.topic, partition: partition.partition)
            }
            let leader = info.leaders[Int(partition.partition)]
            guard leader >= 0 else {
                failure = Self.worse(failure, .broker(.leaderNotAvailable, context: "\(operation) \(partition): no leader"))
                continue
            }
            byLeader[leader, default: []].append(partition)
        }
        return (byLeader, failure)
    }

    /// One ListOffsets request to `leader` for `partitions`; a result per partition.
    private func listOffsets(_ partitions: [TopicPartition], spec: OffsetSpec, leader: Int32,
                             isolation: ConsumerConfig.IsolationLevel) throws(KafkaClientError)
        -> [TopicPartition: Result<(offset: Int64, timestamp: Int64), KafkaClientError>] {
        let connection = try cluster.connection(node: leader, purpose: Self.purpose)
        let version = try negotiatedVersion(.listOffsets, on: connection)
        if spec == .maxTimestamp, version < 7 {
            throw .unsupported(.listOffsets, reason: "max-timestamp lookups need ListOffsets v7, broker \(leader) allows v\(version)")
        }
        var byTopic: [String: [ListOffsetsRequest.ListOffsetsPartition]] = [:]
        for partition in partitions {
            byTopic[partition.topic, default: []].append(.init(partitionIndex: partition.partition, timestamp: spec.wireTimestamp))
        }
        let request = ListOffsetsRequest(replicaId: -1, isolationLevel: isolation.rawValue,
                                         topics: byTopic.sorted { $0.key < $1.key }.map { .init(name: $0.key, partitions: $0.value) })
        let response = try connection.send(request, version: version).0
        var answers: [TopicPartition: Result<(offset: Int64, timestamp: Int64), KafkaClientError>] = [:]
        for topic in response.topics {
            for answer in topic.partitions {
                let partition = TopicPartition(topic: topic.name, partition: answer.partitionIndex)
                if answer.errorCode == .none {
                    answers[partition] = .success((answer.offset, answer.timestamp))
                } else {
                    answers[partition] = .failure(.broker(answer.errorCode, context: "ListOffsets \(partition) on broker \(leader)"))
                }
            }
        }
        for partition in partitions where answers[partition] == nil {
            answers[partition] = .failure(.connection(address: connection.address.description, reason: "ListOffsets answer lacks \(partition)"))
        }
        return answers
    }
}
