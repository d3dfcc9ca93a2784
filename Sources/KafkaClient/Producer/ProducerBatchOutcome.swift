import KafkaProtocol

/// What one attempt to deliver a batch came to, as decided by the sender from the broker's
/// answer (or the lack of one). A value type.
enum ProducerBatchOutcome: Sendable {
    /// Appended (or recognised as a duplicate of an appended batch) at `baseOffset`
    /// (−1 when unknown: acks 0, or an old broker's DUPLICATE_SEQUENCE_NUMBER).
    case delivered(baseOffset: Int64, logAppendTimeMs: Int64)
    /// May succeed later. `mayHaveBeenAppended`: no definite answer (the broker may hold the
    /// batch). `refreshMetadata`: the leader may have moved.
    case retriable(KafkaClientError, mayHaveBeenAppended: Bool, refreshMetadata: Bool)
    /// Will not succeed; the batch fails now.
    case failed(KafkaClientError)
    /// OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH, PRODUCER_FENCED: the partition's
    /// sequence is broken; this batch and every later one of the partition fail, and the
    /// producer starts over with a new producer id.
    case sequenceBroken(KafkaClientError)
    /// UNKNOWN_PRODUCER_ID: the broker lost the producer's state; get a new producer id and retry.
    case producerIdUnknown(KafkaClientError)
    /// Never written: the connection broke while earlier requests were outstanding, whose
    /// failures must be handled first. Not an attempt; the batch is sent again after them.
    case notSent

    /// Classifies a per-partition Produce error code.
    init(code: ErrorCode, baseOffset: Int64, logAppendTimeMs: Int64, partition: ProducerPartition, message: String?) {
        let error = KafkaClientError.broker(code, context: "produce to \(partition)" + (message.map { " (\($0))" } ?? ""))
        switch code {
        case .none, .duplicateSequenceNumber:
            self = .delivered(baseOffset: baseOffset, logAppendTimeMs: logAppendTimeMs)
        case .outOfOrderSequenceNumber, .invalidProducerEpoch, .producerFenced:
            self = .sequenceBroken(error)
        case .unknownProducerId:
            self = .producerIdUnknown(error)
        case .notLeaderOrFollower, .leaderNotAvailable, .unknownTopicOrPartition, .unknownTopicId,
             .fencedLeaderEpoch, .unknownLeaderEpoch, .kafkaStorageError, .brokerNotAvailable, .replicaNotAvailable:
            self = .retriable(error, mayHaveBeenAppended: false, refreshMetadata: true)
        case .requestTimedOut, .networkException, .notEnoughReplicasAfterAppend:
            self = .retriable(error, mayHaveBeenAppended: true, refreshMetadata: true)
        default:
            self = code.isRetriable ? .retriable(error, mayHaveBeenAppended: false, refreshMetadata: false) : .failed(error)
        }
    }

    /// Classifies a failure of the whole request (no per-partition answer).
    init(requestError error: KafkaClientError) {
        switch error {
        case .notReachable:
            // The connection was never made: nothing was written.
            self = .retriable(error, mayHaveBeenAppended: false, refreshMetadata: true)
        case .connection, .timedOut:
            self = .retriable(error, mayHaveBeenAppended: true, refreshMetadata: true)
        default:
            self = ProducerRetryPolicy.isRetriable(error)
                ? .retriable(error, mayHaveBeenAppended: false, refreshMetadata: true) : .failed(error)
        }
    }
}
