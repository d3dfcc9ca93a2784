import LogStorage
import SystemIO

/// The broker's `TransactionMarkerWriter`: appends commit/abort control batches to the
/// partitions of the store (synced before returning under every durability, since the
/// coordinator logs the transaction complete right after) and wakes the fetches waiting on
/// them; ends staged offset commits in the `OffsetStore`.
///
/// Thread-safety: stateless apart from the shared, thread-safe store, purgatory and offsets.
/// Called by the coordinator without its lock held; takes each partition's lock in turn.
struct BrokerMarkerWriter: TransactionMarkerWriter {
    let store: LogStore
    let offsets: OffsetStore
    let purgatory: Purgatory
    let time: any TimeSource
    /// The coordinator epoch written into markers (one coordinator, never moved: always 0).
    static let coordinatorEpoch: Int32 = 0

    func writeMarkers(producerId: Int64, producerEpoch: Int16, commit: Bool, partitions: [TransactionPartition]) throws {
        for partition in partitions {
            let log: PartitionLog
            do {
                log = try store.partition(partition.topic, partition.partition)
            } catch .unknownTopic, .unknownPartition {
                // Deleted since it was added: nothing left to mark.
                continue
            }
            try writeMarker(to: log, topic: partition.topic, partition: partition.partition, producerId: producerId,
                            producerEpoch: producerEpoch, commit: commit, coordinatorEpoch: Self.coordinatorEpoch)
        }
    }

    /// Appends one marker to `log` and syncs it whatever the topic's durability (the coordinator
    /// logs the transaction complete next, and a marker lost in a crash after that would hold
    /// the partition's last stable offset forever), then wakes the partition's waiting fetches.
    /// WriteTxnMarkers uses it too.
    func writeMarker(to log: PartitionLog, topic: String, partition: Int32, producerId: Int64, producerEpoch: Int16, commit: Bool,
                     coordinatorEpoch: Int32) throws(LogStorageError) {
        let result = try log.appendTransactionMarker(producerId: producerId, producerEpoch: producerEpoch, commit: commit,
                                                     coordinatorEpoch: coordinatorEpoch, timestamp: time.wallMillis(), syncing: false)
        try log.sync(through: result.lastOffset + 1)
        purgatory.notify(Broker.partitionKey(topic, partition))
    }

    func completeOffsets(producerId: Int64, groups: [String], commit: Bool) throws {
        try offsets.completeStaged(producerId: producerId, groups: groups, commit: commit, timestamp: time.wallMillis())
    }
}
