/// Rebuilds a RecordBatch v2 around a subset of its records, for log compaction.
///
/// The rebuilt batch keeps what identifies the original: base offset, last offset delta (so the
/// batch still spans the same offsets, with gaps where records were removed), partition leader
/// epoch, producer id, epoch and base sequence, and the timestamp-type, transactional and control
/// attribute bits. Each kept record keeps its offset and timestamp (deltas are recomputed).
/// The records area is written uncompressed, whatever the original codec (a compacted batch is
/// read by every client in either form; the broker has no compressors).
///
/// KIP-534 delete horizon: when `deleteHorizonMs` is given, attribute bit 6 is set and the base
/// timestamp field holds the horizon (record timestamps stay correct: their deltas are taken
/// from it, as Kafka does). A batch that already carries a horizon keeps it unless a new one is
/// given.
///
/// Thread-safety: stateless.
public enum RecordBatchRewriter {
    /// Attribute bit 6: the base timestamp is the batch's delete horizon (KIP-534).
    public static let deleteHorizonFlag: Int16 = 0x40

    /// The batch `header` describes, holding only `records` (a subsequence of its records, in
    /// order; may be empty, which keeps an empty batch for producer state).
    public static func rewrite(_ header: RecordBatchHeader, keeping records: [Record], deleteHorizonMs: Int64? = nil) -> [UInt8] {
        let horizon = deleteHorizonMs ?? header.deleteHorizonMs
        var attributes = header.attributes & 0x38  // timestamp type, transactional, control
        if horizon != nil { attributes |= deleteHorizonFlag }
        let baseTimestamp = horizon ?? records.first?.timestamp ?? header.baseTimestamp
        var maxTimestamp = header.maxTimestamp
        if header.timestampType == .createTime, let newest = records.map(\.timestamp).max() { maxTimestamp = newest }
        var area = ByteWriter()
        for record in records {
            RecordBatchBuilder.encode(
                RecordInput(key: record.key, value: record.value, headers: record.headers, timestamp: record.timestamp),
                offsetDelta: Int32(truncatingIfNeeded: record.offset &- header.baseOffset),
                timestampDelta: record.timestamp &- baseTimestamp,
                into: &area)
        }
        return RecordBatchBuilder.assemble(
            attributes: attributes, lastOffsetDelta: header.lastOffsetDelta, baseTimestamp: baseTimestamp,
            maxTimestamp: maxTimestamp, producerId: header.producerId, producerEpoch: header.producerEpoch,
            baseSequence: header.baseSequence, recordCount: Int32(records.count), records: area.bytes,
            baseOffset: header.baseOffset, partitionLeaderEpoch: header.partitionLeaderEpoch)
    }
}

extension RecordBatchHeader {
    /// The KIP-534 delete horizon (attribute bit 6 set: the base timestamp field), or nil.
    public var deleteHorizonMs: Int64? {
        attributes & RecordBatchRewriter.deleteHorizonFlag != 0 ? baseTimestamp : nil
    }
}
