import KafkaProtocol
import KafkaRecords
import LogStorage

extension Broker {
    /// Produce v0–9. v3+ carries exactly one magic-2 batch per partition; it is validated
    /// (length, magic, CRC, codec, size) and appended with only its base offset rewritten.
    /// v0–2 (legacy message sets) are answered per partition with UNSUPPORTED_VERSION.
    func handleProduce(_ request: ProduceRequest, version: Int16) -> ProduceResponse {
        let requestError: (ErrorCode, String)?
        if version < 3 {
            requestError = (.unsupportedVersion, "Produce v\(version) (legacy message format) is not supported")
        } else if request.transactionalId != nil {
            requestError = (.transactionalIdAuthorizationFailed, "transactions are not supported")
        } else if ![-1, 0, 1].contains(request.acks) {
            requestError = (.invalidRequiredAcks, "acks must be -1, 0 or 1, got \(request.acks)")
        } else {
            requestError = nil
        }
        var appended = false
        let responses = request.topicData.map { topic -> ProduceResponse.TopicProduceResponse in
            let lookup = requestError == nil ? self.topic(named: topic.name, autoCreate: config.autoCreateTopics) : nil
            let partitions = topic.partitionData.map { partition -> ProduceResponse.PartitionProduceResponse in
                var response = ProduceResponse.PartitionProduceResponse(index: partition.index, baseOffset: -1)
                func fail(_ code: ErrorCode, _ message: String) -> ProduceResponse.PartitionProduceResponse {
                    response.errorCode = code
                    response.errorMessage = message
                    return response
                }
                if let (code, message) = requestError { return fail(code, message) }
                guard case .found = lookup else {
                    if case .failed(let code, let message) = lookup { return fail(code, message) }
                    return fail(.unknownTopicOrPartition, "unknown topic")
                }
                let log: PartitionLog
                do { log = try store.partition(topic.name, partition.index) } catch {
                    return fail(.unknownTopicOrPartition, "\(error)")
                }
                let bytes = partition.records?.bytes ?? []
                let batches: ValidatedBatches
                do throws(RecordBatchError) {
                    batches = try ValidatedBatches(validating: bytes, maxBatchSize: log.config.maxBatchBytes)
                } catch {
                    let (code, message) = Self.produceError(for: error)
                    return fail(code, message)
                }
                guard batches.batchCount == 1 else {
                    return fail(.invalidRecord, "a produce request must carry exactly one record batch per partition, got \(batches.batchCount)")
                }
                if version < 7, batches.headers.contains(where: { $0.compression == .zstd }) {
                    return fail(.unsupportedCompressionType, "zstd needs Produce v7 or later")
                }
                let logConfig = log.config
                if let refusal = ProduceRules.check(batches, config: logConfig, acks: request.acks, topic: topic.name,
                                                    partition: partition.index, now: time.wallMillis()) {
                    response.recordErrors = refusal.recordErrors
                    response.logStartOffset = log.offsets.logStartOffset
                    return fail(refusal.code, refusal.message)
                }
                let producerId = batches.headers.first?.producerId ?? -1
                do throws(LogStorageError) {
                    let result = try log.append(consume batches)
                    if result.isDuplicate {
                        logger.debug("duplicate batch from producer \(producerId) on \(topic.name)-\(partition.index); answered with offset \(result.baseOffset)")
                    } else {
                        appended = true
                    }
                    response.baseOffset = result.baseOffset
                    response.logAppendTimeMs = logConfig.timestampType == .logAppendTime ? result.logAppendTime : -1
                    response.logStartOffset = log.offsets.logStartOffset
                    return response
                } catch {
                    logger.warning("append to \(topic.name)-\(partition.index) failed: \(error)")
                    return fail(errorCode(for: error), "\(error)")
                }
            }
            return ProduceResponse.TopicProduceResponse(name: topic.name, partitionResponses: partitions)
        }
        if appended { dataArrival.signal() }
        return ProduceResponse(responses: responses, throttleTimeMs: 0)
    }

    /// The Kafka error for a batch that failed validation.
    static func produceError(for error: RecordBatchError) -> (ErrorCode, String) {
        switch error {
        case .crcMismatch: (.corruptMessage, "record batch CRC mismatch: \(error)")
        case .batchTooLarge: (.messageTooLarge, "\(error)")
        case .unsupportedMagic(let magic): (.invalidRecord, "record batch magic \(magic) is not supported (only 2)")
        case .controlBatchNotAllowed: (.invalidRecord, "control batches may not be produced")
        case .invalidCompression: (.unsupportedCompressionType, "\(error)")
        case .truncated, .invalidLength, .invalidLastOffsetDelta, .invalidRecordCount, .malformedRecord:
            (.corruptMessage, "malformed record batch: \(error)")
        }
    }
}
