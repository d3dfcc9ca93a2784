import KafkaProtocol

extension KafkaAdmin {
    /// The offset value for `deleteRecords(before:)` meaning "up to the high watermark": every
    /// record the partition holds now.
    public static let highWatermark: Int64 = -1

    /// Deletes every record below the given offset of each partition (DeleteRecords, one request
    /// per partition leader): the log start offset moves up to it, and consumers can no longer
    /// read what lies below. `KafkaAdmin.highWatermark` (−1) deletes everything there is.
    /// Deletion cannot be undone, so partitions are reported one by one: a failure of one does
    /// not hide that others were trimmed.
    ///
    /// - Returns: for each partition, its new low watermark (log start offset), or its failure,
    ///   e.g. `.broker(.offsetOutOfRange, ...)` for an offset above the high watermark.
    /// - Throws: before anything is deleted: `.invalidArgument` for an offset below −1,
    ///   `.unknownTopic` / `.unknownPartition` for partitions that do not exist, `.unsupported`
    ///   when a leader lacks DeleteRecords; and `.closed`.
    public func deleteRecords(before offsets: [TopicPartition: Int64]) throws(KafkaClientError) -> [TopicPartition: Result<Int64, KafkaClientError>] {
        if let (partition, offset) = offsets.sorted(by: { $0.key < $1.key }).first(where: { $0.value < -1 }) {
            throw .invalidArgument("the offset for \(partition) must be 0 or more, or -1 for the high watermark; got \(offset)")
        }
        if let negative = offsets.keys.sorted().first(where: { $0.partition < 0 }) {
            throw .unknownPartition(topic: negative.topic, partition: negative.partition)
        }
        var results: [TopicPartition: Result<Int64, KafkaClientError>] = [:]
        var pending = Set(offsets.keys)
        do throws(KafkaClientError) {
            try cluster.withRetries("DeleteRecords") { () throws(KafkaClientError) in
                guard !pending.isEmpty else { return }
                // A partition that does not exist throws: before anything was sent that fails the
                // call; later (its topic deleted meanwhile) it fails the partitions left.
                let leaders = try leadersOf(&pending, skippingUnknown: false, operation: "DeleteRecords")
                var retry = leaders.failure
                for (leader, partitions) in leaders.byLeader.sorted(by: { $0.key < $1.key }) {
                    do throws(KafkaClientError) {
                        for (partition, answer) in try deleteRecords(partitions, offsets: offsets, leader: leader) {
                            if case .failure(let error) = answer, error.isRetriable {
                                retry = Self.worse(retry, error)
                                continue
                            }
                            results[partition] = answer
                            pending.remove(partition)
                        }
                    } catch {
                        if case .unsupported = error { throw error }
                        retry = Self.worse(retry, error)
                    }
                }
                if let retry, !pending.isEmpty { throw retry }
            }
        } catch {
            if error == .closed || pending.count == offsets.count { throw error }
            for partition in pending { results[partition] = .failure(error) }
        }
        return results
    }

    /// One DeleteRecords request to `leader`; an answer per partition.
    private func deleteRecords(_ partitions: [TopicPartition], offsets: [TopicPartition: Int64], leader: Int32) throws(KafkaClientError)
        -> [TopicPartition: Result<Int64, KafkaClientError>] {
        let connection = try cluster.connection(node: leader, purpose: Self.purpose)
        let version = try negotiatedVersion(.deleteRecords, on: connection, for: "deleting records")
        let topics = Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }.map { topic, entries in
            DeleteRecordsRequest.DeleteRecordsTopic(name: topic, partitions: entries.sorted().map { .init(partitionIndex: $0.partition, offset: offsets[$0] ?? -1) })
        }
        let response = try connection.send(DeleteRecordsRequest(topics: topics, timeoutMs: brokerTimeoutMs), version: version).0
        var answers: [TopicPartition: Result<Int64, KafkaClientError>] = [:]
        for topic in response.topics {
            for answer in topic.partitions {
                let partition = TopicPartition(topic: topic.name, partition: answer.partitionIndex)
                guard let offset = offsets[partition] else { continue }
                let target = offset == Self.highWatermark ? "up to the high watermark" : "before offset \(offset)"
                switch answer.errorCode {
                case .none:
                    answers[partition] = .success(answer.lowWatermark)
                case .offsetOutOfRange:
                    answers[partition] = .failure(.broker(.offsetOutOfRange, context: "delete records of \(partition) \(target): the offset is above the high watermark"))
                default:
                    answers[partition] = .failure(.broker(answer.errorCode, context: "delete records of \(partition) \(target) on broker \(leader)"))
                }
            }
        }
        for partition in partitions where answers[partition] == nil {
            answers[partition] = .failure(.connection(address: connection.address.description, reason: "DeleteRecords answer lacks \(partition)"))
        }
        return answers
    }
}
