import KafkaProtocol
import KafkaRecords
import LogStorage

/// The topic configs a produced batch must satisfy before it is appended, with Kafka 4's codes
/// and messages; the whole batch is refused (nothing appended, no offset used) when any record
/// fails, and each failing record is named in `record_errors` (KIP-467).
///
/// - `message.timestamp.before.max.ms` / `after.max.ms` (CreateTime topics): every record's
///   timestamp must lie within [now − before, now + after] → INVALID_TIMESTAMP. Records are
///   decoded only when the batch's max timestamp is beyond the `after` bound or a `before` bound
///   is set, so the common case costs nothing.
/// - a compacted topic (`cleanup.policy` with `compact`) refuses records without a key →
///   INVALID_RECORD.
/// - `min.insync.replicas` above 1 with acks=all → NOT_ENOUGH_REPLICAS (this broker is the
///   only replica), before anything is written.
/// Stateless.
enum ProduceRules {
    /// A refusal: the partition's error code and message, and the per-record errors.
    struct Refusal {
        var code: ErrorCode
        var message: String
        var recordErrors: [ProduceResponse.BatchIndexAndErrorMessage] = []
    }

    static func check(_ batches: ValidatedBatches, config: LogConfig, acks: Int16, topic: String, partition: Int32, now: Int64) -> Refusal? {
        if acks == -1 && config.minInsyncReplicas > 1 {
            return Refusal(code: .notEnoughReplicas,
                           message: "The size of the current ISR : 1 is insufficient to satisfy the min.isr requirement of \(config.minInsyncReplicas) for partition \(topic)-\(partition), live replica(s) broker.id are : [0]")
        }
        let checkTimestamps = config.timestampType == .createTime
            && (config.timestampBeforeMaxMillis < .max
                || batches.headers.contains { now < Int64.max - config.timestampAfterMaxMillis && $0.maxTimestamp > now + config.timestampAfterMaxMillis })
        let checkKeys = config.cleanupPolicy.compacts
        guard checkTimestamps || checkKeys else { return nil }
        let records: [Record]
        do {
            records = try RecordBatchRecords.decode(batches.bytes)
        } catch {
            return Refusal(code: .corruptMessage, message: "malformed record batch: \(error)")
        }
        if checkTimestamps {
            let low = now &- config.timestampBeforeMaxMillis
            let high = now &+ config.timestampAfterMaxMillis
            var errors: [ProduceResponse.BatchIndexAndErrorMessage] = []
            for (index, record) in records.enumerated() where record.timestamp != -1 {
                let tooOld = now - record.timestamp > config.timestampBeforeMaxMillis
                let tooNew = record.timestamp - now > config.timestampAfterMaxMillis
                guard tooOld || tooNew else { continue }
                errors.append(.init(batchIndex: Int32(index), batchIndexErrorMessage:
                    "Timestamp \(record.timestamp) of message with offset \(record.offset) is out of range. The timestamp should be within [\(low), \(high)]"))
            }
            if !errors.isEmpty {
                return Refusal(code: .invalidTimestamp, message: "One or more records have been rejected due to invalid timestamp", recordErrors: errors)
            }
        }
        if checkKeys {
            let message = "Compacted topic cannot accept message without key in topic partition \(topic)-\(partition)"
            let errors = records.enumerated().filter { $0.element.key == nil }.map {
                ProduceResponse.BatchIndexAndErrorMessage(batchIndex: Int32($0.offset), batchIndexErrorMessage: message)
            }
            if !errors.isEmpty {
                let shown = errors.prefix(3).map { "RecordError(batchIndex=\($0.batchIndex), message='\(message)')" }
                return Refusal(code: .invalidRecord,
                               message: "One or more records have been rejected due to \(errors.count) record errors in total, and only showing the first three errors at most: [\(shown.joined(separator: ", "))]",
                               recordErrors: errors)
            }
        }
        return nil
    }
}
