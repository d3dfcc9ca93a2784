public import SystemIO

/// Everything that can go wrong in the storage engine, typed so the broker can map each case
/// to a Kafka error code.
public enum LogStorageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed.
    case system(SystemError)
    /// A file's content is not what the format says it must be, at `position`.
    case corrupt(path: String, position: Int64, reason: String)
    /// A fetch or delete-records offset is outside `[logStartOffset, logEndOffset]`.
    case offsetOutOfRange(requested: Int64, logStartOffset: Int64, logEndOffset: Int64)
    /// A batch is larger than the topic's `max.message.bytes`.
    case batchTooLarge(size: Int, limit: Int)
    /// The topic does not exist.
    case unknownTopic(String)
    /// The partition does not exist.
    case unknownPartition(topic: String, partition: Int32)
    /// The topic already exists.
    case topicAlreadyExists(String)
    /// A topic name that Kafka would reject (empty, too long, bad characters, `.` or `..`).
    case invalidTopicName(String)
    /// A bad partition count or configuration value.
    case invalidConfig(String)
    /// The log was closed.
    case closed
    /// An idempotent producer's batch does not continue its sequence.
    case outOfOrderSequence(producerId: Int64, expected: Int32, got: Int32)
    /// An idempotent producer's batch carries an older epoch than the partition has seen.
    case invalidProducerEpoch(producerId: Int64, current: Int16, got: Int16)
    /// A transactional producer broke the transaction protocol, e.g. a non-transactional batch
    /// while its transaction is open, or the admission hook refused it (Kafka: INVALID_TXN_STATE).
    case invalidTxnState(String)
    /// A transaction marker from a coordinator epoch older than the one that wrote the
    /// producer's previous marker (Kafka: TRANSACTION_COORDINATOR_FENCED).
    case transactionCoordinatorFenced(producerId: Int64, current: Int32, got: Int32)

    public var description: String {
        switch self {
        case .system(let error): "\(error)"
        case .corrupt(let path, let position, let reason): "corrupt \(path) at byte \(position): \(reason)"
        case .offsetOutOfRange(let requested, let start, let end): "offset \(requested) is outside [\(start), \(end)]"
        case .batchTooLarge(let size, let limit): "batch of \(size) bytes exceeds the limit of \(limit)"
        case .unknownTopic(let name): "unknown topic \(name)"
        case .unknownPartition(let topic, let partition): "unknown partition \(topic)-\(partition)"
        case .topicAlreadyExists(let name): "topic \(name) already exists"
        case .invalidTopicName(let name): "invalid topic name \(name.debugDescription)"
        case .invalidConfig(let reason): "invalid configuration: \(reason)"
        case .closed: "log is closed"
        case .outOfOrderSequence(let id, let expected, let got): "producer \(id): sequence \(got), expected \(expected)"
        case .invalidProducerEpoch(let id, let current, let got): "producer \(id): epoch \(got) is older than \(current)"
        case .invalidTxnState(let reason): "invalid transaction state: \(reason)"
        case .transactionCoordinatorFenced(let id, let current, let got):
            "producer \(id): coordinator epoch \(got) is older than \(current)"
        }
    }
}
