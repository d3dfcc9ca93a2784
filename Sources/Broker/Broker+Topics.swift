import KafkaProtocol
import LogStorage

extension Broker {
    /// Why a topic could not be found or created, as a Kafka error code.
    enum TopicLookup {
        case found(TopicMetadata)
        case failed(ErrorCode, String)
    }

    /// The topic, creating it with broker defaults when `autoCreate` allows.
    func topic(named name: String, autoCreate: Bool) -> TopicLookup {
        if let metadata = store.topic(name) { return .found(metadata) }
        guard TopicMetadata.isValidName(name) else {
            return .failed(.invalidTopicException, "invalid topic name \(name.debugDescription)")
        }
        guard autoCreate else { return .failed(.unknownTopicOrPartition, "unknown topic \(name)") }
        do {
            let metadata = try store.createTopic(name, config: config.topicConfig(partitions: config.defaultPartitions))
            logger.info("auto-created topic \(name) with \(config.defaultPartitions) partitions")
            return .found(metadata)
        } catch .topicAlreadyExists {
            // Another connection created it in between.
            if let metadata = store.topic(name) { return .found(metadata) }
            return .failed(.unknownTopicOrPartition, "unknown topic \(name)")
        } catch {
            logger.error("auto-creating topic \(name) failed: \(error)")
            return .failed(.unknownServerError, "\(error)")
        }
    }

    /// Maps a storage error to the Kafka error code a client expects.
    func errorCode(for error: LogStorageError) -> ErrorCode {
        switch error {
        case .offsetOutOfRange: .offsetOutOfRange
        case .batchTooLarge: .messageTooLarge
        case .unknownTopic, .unknownPartition: .unknownTopicOrPartition
        case .topicAlreadyExists: .topicAlreadyExists
        case .invalidTopicName: .invalidTopicException
        case .invalidConfig: .invalidConfig
        case .closed: .notLeaderOrFollower
        case .system, .corrupt: .kafkaStorageError
        case .outOfOrderSequence: .outOfOrderSequenceNumber
        case .invalidProducerEpoch: .invalidProducerEpoch
        case .invalidTxnState: .invalidTxnState
        case .transactionCoordinatorFenced: .transactionCoordinatorFenced
        }
    }
}
