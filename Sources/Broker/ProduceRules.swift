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
/// - a batch the producer marked LogAppendTime (attribute bit 3) → INVALID_TIMESTAMP per
///   record, unless a CreateTime topic range-checks it.
/// - a record gets one error at most, the missing key first; any timestamp error makes the
///   partition's code INVALID_TIMESTAMP.
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
        // Only the broker may mark a batch LogAppendTime; Kafka refuses such a batch unless a
        // CreateTime range check applies (its records then carry the batch's max timestamp).
        let producerAppendTime = batches.headers.contains { $0.timestampType == .logAppendTime }
        guard checkTimestamps || checkKeys || producerAppendTime else { return nil }
        let records: [Record]
        do {
            records = try RecordBatchRecords.decode(batches.bytes)
        } catch {
            return Refusal(code: .corruptMessage, message: "malformed record batch: \(error)")
        }
        // Kafka's LogValidator, per record: the key first, then the timestamp (a record gets one
        // error at most); the partition's code is INVALID_TIMESTAMP if any record has that one.
        // Java's wrapping long arithmetic, so extreme timestamps are refused, never a trap.
        let low = now &- config.timestampBeforeMaxMillis
        let high = now &+ config.timestampAfterMaxMillis
        let keyMessage = "Compacted topic cannot accept message without key in topic partition \(topic)-\(partition)"
        var errors: [ProduceResponse.BatchIndexAndErrorMessage] = []
        var timestampErrors = 0
        for (index, record) in records.enumerated() {
            if checkKeys && record.key == nil {
                errors.append(.init(batchIndex: Int32(index), batchIndexErrorMessage: keyMessage))
                continue
            }
            guard config.timestampType == .createTime, record.timestamp != -1 else {
                guard producerAppendTime else { continue }
                timestampErrors += 1
                errors.append(.init(batchIndex: Int32(index), batchIndexErrorMessage:
                    "Invalid timestamp type in message DefaultRecord(offset=\(record.offset), timestamp=\(record.timestamp), key=\(record.key?.count ?? 0) bytes, value=\(record.value?.count ?? 0) bytes). Producer should not set timestamp type to LogAppendTime."))
                continue
            }
            guard checkTimestamps else { continue }
            let difference = now &- record.timestamp
            guard difference > config.timestampBeforeMaxMillis || 0 &- difference > config.timestampAfterMaxMillis else { continue }
            timestampErrors += 1
            errors.append(.init(batchIndex: Int32(index), batchIndexErrorMessage:
                "Timestamp \(record.timestamp) of message with offset \(record.offset) is out of range. The timestamp should be within [\(low), \(high)]"))
        }
        guard !errors.isEmpty else { return nil }
        if timestampErrors > 0 {
            return Refusal(code: .invalidTimestamp, message: "One or more records have been rejected due to invalid timestamp", recordErrors: errors)
        }
        let shown = errors.prefix(3).map { "RecordError(batchIndex=\($0.batchIndex), message='\($0.batchIndexErrorMessage ?? "")')" }
        return Refusal(code: .invalidRecord,
                       message: "One or more records have been rejected due to \(errors.count) record errors in total, and only showing the first three errors at most: [\(shown.joined(separator: ", "))]",
                       recordErrors: errors)
    }
}
