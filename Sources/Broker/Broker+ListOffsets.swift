import KafkaProtocol
import KafkaRecords
import LogStorage

extension Broker {
    static let latestTimestamp: Int64 = -1
    static let earliestTimestamp: Int64 = -2
    static let maxTimestamp: Int64 = -3

    /// ListOffsets v1–7: latest (-1, the high watermark), earliest (-2, the log start offset),
    /// max timestamp (-3, v7+), or the first offset whose record timestamp is ≥ the given time
    /// (exact inside uncompressed batches; the batch's base offset for compressed ones).
    /// No match → offset -1, timestamp -1. With isolation level read_committed (v2+), "latest" is
    /// the last stable offset and a lookup that finds an offset at or past it finds nothing, as
    /// in Kafka.
    func handleListOffsets(_ request: ListOffsetsRequest, version: Int16, context: RequestContext) -> ListOffsetsResponse {
        let describable = authorizedTopics(context, .describe, request.topics.map(\.name))
        let topics = request.topics.map { topic in
            let partitions = topic.partitions.map { partition -> ListOffsetsResponse.ListOffsetsPartitionResponse in
                var response = ListOffsetsResponse.ListOffsetsPartitionResponse(partitionIndex: partition.partitionIndex, timestamp: -1, offset: -1, leaderEpoch: 0)
                guard describable.contains(topic.name) else {
                    // Kafka: DESCRIBE on the topic, else TOPIC_AUTHORIZATION_FAILED per partition.
                    response.errorCode = .topicAuthorizationFailed
                    if version == 0 { response.oldStyleOffsets = [] }
                    return response
                }
                let log: PartitionLog
                do { log = try store.partition(topic.name, partition.partitionIndex) } catch {
                    response.errorCode = .unknownTopicOrPartition
                    return response
                }
                do throws(LogStorageError) {
                    let offsets = log.offsets
                    // read_committed (v2+, isolation 1) sees offsets below the last stable offset only.
                    let bound = version >= 2 && request.isolationLevel == 1 ? offsets.lastStableOffset : offsets.highWatermark
                    switch partition.timestamp {
                    case Self.latestTimestamp: response.offset = bound
                    case Self.earliestTimestamp: response.offset = offsets.logStartOffset
                    case Self.maxTimestamp where version >= 7:
                        if let found = try log.lookupMaxTimestamp() {
                            let exact = Self.exactRecord(in: found, atOrAfter: found.timestamp, from: offsets.logStartOffset)
                            response.offset = exact?.offset ?? found.offset
                            response.timestamp = found.timestamp
                        }
                    case let target where target >= 0:
                        if let found = try log.lookup(timestamp: target) {
                            let exact = Self.exactRecord(in: found, atOrAfter: target, from: offsets.logStartOffset)
                            response.offset = exact?.offset ?? found.offset
                            response.timestamp = exact?.timestamp ?? found.timestamp
                        }
                    default:
                        response.errorCode = .invalidRequest
                    }
                    if partition.timestamp >= 0 || partition.timestamp == Self.maxTimestamp, response.offset >= bound {
                        response.offset = -1
                        response.timestamp = -1
                    }
                    if version == 0 { response.oldStyleOffsets = response.offset >= 0 ? [response.offset] : [] }
                } catch {
                    response.errorCode = errorCode(for: error)
                }
                return response
            }
            return ListOffsetsResponse.ListOffsetsTopicResponse(name: topic.name, partitions: partitions)
        }
        return ListOffsetsResponse(throttleTimeMs: 0, topics: topics)
    }

    /// The first record at or after `timestamp` (and not below the log start) inside an
    /// uncompressed batch; nil for compressed batches or when the batch cannot be decoded.
    static func exactRecord(in lookup: TimestampLookup, atOrAfter timestamp: Int64, from logStart: Int64) -> (offset: Int64, timestamp: Int64)? {
        guard let bytes = try? lookup.batch.readBytes(),
              let records = try? RecordBatchRecords.decode(bytes, at: 0, verifyCRC: false) else { return nil }
        return records.first { $0.timestamp >= timestamp && $0.offset >= logStart }.map { ($0.offset, $0.timestamp) }
    }
}
