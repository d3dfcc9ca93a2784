import KafkaRecords
import LogStorage

/// The transaction coordinator's durable state: one record per state change of a
/// transactional id, appended to the internal log `internal/transactions` (durability
/// `always`, compacted by key), Kafka's `__transaction_state` in our own format
/// (`TransactionMetadata.encodeKey`/`encodeValue`). A tombstone (null value) forgets an
/// expired id. Replaying the log in order gives the latest state of every id.
///
/// Thread-safety: appends are serialised by the log; the coordinator never writes two changes
/// of one id at once (its pending flag), so the log's order is each id's order of changes.
final class TransactionLog: Sendable {
    private let log: PartitionLog

    /// Kafka's `__transaction_state` settings (`InternalLog.compactedStateConfig`).
    static func config(segmentBytes: Int) -> LogConfig { InternalLog.compactedStateConfig(segmentBytes: segmentBytes) }

    init(log: PartitionLog) {
        self.log = log
    }

    /// Replays the log: the latest state of every transactional id (tombstoned ids absent).
    /// A record that cannot be decoded is skipped and reported through `skipped`.
    func load(skipped: (Int64) -> Void = { _ in }) throws -> [String: TransactionMetadata] {
        var states: [String: TransactionMetadata] = [:]
        try InternalLog.replay(log) { record in
            guard let id = record.key.flatMap(TransactionMetadata.decodeKey) else {
                skipped(record.offset)
                return
            }
            guard let value = record.value else {
                states[id] = nil
                return
            }
            guard let metadata = TransactionMetadata.decodeValue(value, transactionalId: id) else {
                skipped(record.offset)
                return
            }
            states[id] = metadata
        }
        return states
    }

    /// Stores `metadata` durably (synced before returning).
    func write(_ metadata: TransactionMetadata, timestamp: Int64) throws {
        try append(RecordInput(key: TransactionMetadata.encodeKey(metadata.transactionalId), value: metadata.encodeValue(), timestamp: timestamp))
    }

    /// Forgets `transactionalId` durably (a tombstone).
    func remove(_ transactionalId: String, timestamp: Int64) throws {
        try append(RecordInput(key: TransactionMetadata.encodeKey(transactionalId), value: nil, timestamp: timestamp))
    }

    private func append(_ record: RecordInput) throws {
        var builder = RecordBatchBuilder()
        builder.append(record)
        _ = try log.append(try ValidatedBatches(validating: builder.build()))
    }

    /// Closes the log cleanly.
    func close() throws {
        try log.close()
    }
}
