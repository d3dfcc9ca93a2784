public import KafkaProtocol

/// What went wrong talking to a Kafka-compatible cluster, in words a user can act on. Every
/// operation of the producer, the consumers and the admin client throws only this type (typed
/// throws), so a `catch` sees it without casting; only the byte codecs
/// (`ConsumerProtocolAssignment(decoding:)`, `ConsumerProtocolSubscription(decoding:)`) throw
/// `ProtocolError`. A value type; `Sendable`.
///
/// Transient failures (unreachable broker, moved leader or coordinator, timeouts) are retried
/// inside the call as `ClientConfig.retries` (and, for produced records, `deliveryTimeoutMs`)
/// allow before they are thrown; ``isRetriable`` says whether trying again later may still help.
///
/// ```swift
/// do throws(KafkaClientError) {
///     try admin.createTopic(name: "orders", partitions: 3)
/// } catch .broker(.topicAlreadyExists, _) {
///     // fine: someone created it first
/// } catch {
///     print("cannot create the topic: \(error)")   // `description` names the cause
/// }
/// ```
/// Error codes (`ErrorCode`) and API keys (`ApiKey`) come from the `KafkaProtocol` product;
/// import it to name them (`.broker(.topicAlreadyExists, _)` works without the import).
public enum KafkaClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No broker could be reached at these addresses (refused, unknown host, network down).
    case notReachable(address: String, reason: String)
    /// A request got no answer in time.
    case timedOut(operation: String, milliseconds: Int)
    /// The topic does not exist (and was not auto-created).
    case unknownTopic(String)
    /// The partition does not exist.
    case unknownPartition(topic: String, partition: Int32)
    /// The broker answered with a Kafka error code.
    case broker(ErrorCode, context: String)
    /// The broker does not offer an API version this client can use.
    case unsupported(ApiKey, reason: String)
    /// The connection broke or the answer could not be decoded.
    case connection(address: String, reason: String)
    /// A bad argument from the caller (empty topic name, negative partition, ...).
    case invalidArgument(String)
    /// The client was closed.
    case closed
    /// Fatal for a transactional producer: another producer with the same transactional id
    /// (or a newer epoch of it) took over (PRODUCER_FENCED, INVALID_PRODUCER_EPOCH), or the
    /// coordinator refused the producer for good. The producer is unusable; close it.
    case producerFenced(String)
    /// The current transaction cannot be committed (a batch failed, TRANSACTION_ABORTABLE,
    /// INVALID_TXN_STATE on a produce, an offset commit refused): call `abortTransaction()`,
    /// then the producer can begin a new transaction.
    case transactionAbortable(String)
    /// The call is not allowed in the producer's current transaction state (e.g.
    /// `commitTransaction()` without `beginTransaction()`, a send outside a transaction).
    case illegalState(String)
    /// The SASL login was refused: wrong password or unknown user (SASL_AUTHENTICATION_FAILED,
    /// with the broker's message), or the broker could not prove it knows the SCRAM credential.
    /// Never retried: the same credentials would fail again.
    case authenticationFailed(String)

    /// Whether retrying the same operation later may succeed.
    public var isRetriable: Bool {
        switch self {
        case .notReachable, .timedOut, .connection: true
        case .broker(let code, _): code.isRetriable || code == .notLeaderOrFollower || code == .leaderNotAvailable
        case .unknownTopic, .unknownPartition, .unsupported, .invalidArgument, .closed, .producerFenced, .transactionAbortable,
             .illegalState, .authenticationFailed: false
        }
    }

    /// One line for people: what failed and the broker's or system's reason.
    public var description: String {
        switch self {
        case .notReachable(let address, let reason): "cannot reach a broker at \(address): \(reason)"
        case .timedOut(let operation, let ms): "\(operation) timed out after \(ms) ms"
        case .unknownTopic(let topic): "topic \(topic) does not exist"
        case .unknownPartition(let topic, let partition): "partition \(partition) of topic \(topic) does not exist"
        case .broker(let code, let context): "\(context): broker error \(code.summary)"
        case .unsupported(let key, let reason): "the broker does not support \(key): \(reason)"
        case .connection(let address, let reason): "connection to \(address) failed: \(reason)"
        case .invalidArgument(let reason): reason
        case .closed: "the client is closed"
        case .producerFenced(let reason): "the transactional producer is fenced and unusable: \(reason)"
        case .transactionAbortable(let reason): "the transaction must be aborted: \(reason)"
        case .illegalState(let reason): reason
        case .authenticationFailed(let reason): "SASL authentication failed: \(reason)"
        }
    }
}
