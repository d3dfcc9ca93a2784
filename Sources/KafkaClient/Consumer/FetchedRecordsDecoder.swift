import KafkaRecords

/// Turns one partition's `records` bytes from a Fetch response into consumer records
/// (kafka-protocol.md §4.5, §7.1).
///
/// - Every complete batch is CRC-checked; a trailing partial batch (brokers cut responses at
///   the size limit) is ignored.
/// - Batches are returned whole by the broker, so records below the fetch offset (the start of
///   the batch containing it) are skipped.
/// - Control batches (transaction markers) are skipped, but still advance the position.
/// - With `abortedTransactions` (read_committed), the records of aborted transactions are
///   dropped (see ``AbortedTransactionFilter``); their offsets are passed over too.
/// - gzip, snappy, lz4 and zstd batches are decompressed (KafkaRecords' pure-Swift decoders,
///   capped at 64 MiB per batch). A batch with an invalid codec (5–7) throws
///   `unsupported(.fetch, ...)` naming it, the partition and offset; the position stays before it.
///
/// Stateless; safe from any thread.
enum FetchedRecordsDecoder {
    /// The records at or after the fetch offset, in offset order, and the next position.
    struct Decoded: Sendable, Equatable {
        var records: [ConsumerRecord]
        /// The offset to fetch next: past the last complete batch, never below the fetch offset.
        var nextOffset: Int64
    }

    /// Decodes `bytes` (one partition's `records` field) fetched at `fetchOffset`; throws
    /// `broker(.corruptMessage, ...)` for an invalid (or undecompressable) batch and
    /// `unsupported(.fetch, ...)` for one with an invalid codec.
    ///
    /// With `only` (offset ranges sorted by start), only the records inside them are decoded
    /// and returned: batches outside every range are passed over after their CRC check, and
    /// records outside inside a batch are skipped by their length (see
    /// `RecordBatchRecords.decode(keeping:)`); `nextOffset` still covers every complete batch.
    static func decode(_ bytes: [UInt8], topic: String, partition: Int32, fetchOffset: Int64,
                       abortedTransactions: [(producerId: Int64, firstOffset: Int64)]? = nil,
                       only ranges: [ClosedRange<Int64>]? = nil) throws(KafkaClientError) -> Decoded {
        let keeping: ((Int64) -> Bool)? = ranges.map { ranges in { offset in ranges.contains { $0.contains(offset) } } }
        var iterator = RecordBatchIterator(bytes, verifyCRC: true)
        var filter = abortedTransactions.map { AbortedTransactionFilter($0) }
        var next = fetchOffset
        var records: [ConsumerRecord] = []
        while true {
            let element: RecordBatchIterator.Element?
            do {
                element = try iterator.next()
            } catch {
                throw .broker(.corruptMessage, context: "Fetch of \(topic)-\(partition) at offset \(next): invalid record batch (\(error))")
            }
            guard let (header, range) = element else { break }
            guard header.lastOffset >= next else { continue }
            if filter != nil {
                var controlType: Int16?
                if header.isControl {
                    controlType = AbortedTransactionFilter.controlType(ofKey: (try? RecordBatchRecords.decode(bytes, at: range.lowerBound, verifyCRC: false))?.first?.key)
                }
                if filter?.skips(header, controlType: controlType) == true {
                    next = header.lastOffset &+ 1
                    continue
                }
            }
            if header.isControl {
                next = header.lastOffset &+ 1
                continue
            }
            if let ranges, !ranges.contains(where: { $0.overlaps(header.baseOffset...max(header.baseOffset, header.lastOffset)) }) {
                next = max(next, header.lastOffset &+ 1)
                continue
            }
            guard header.compression != nil else {
                let name = "unknown codec \(header.attributes & 0x07)"
                throw .unsupported(.fetch, reason: "\(topic)-\(partition) has a \(name)-compressed record batch at offset \(header.baseOffset); "
                    + "it cannot be decompressed (seek past offset \(header.lastOffset))")
            }
            let decoded: [Record]
            do {
                decoded = try RecordBatchRecords.decode(bytes, at: range.lowerBound, verifyCRC: false, keeping: keeping)
            } catch {
                throw .broker(.corruptMessage, context: "Fetch of \(topic)-\(partition): record batch at offset \(header.baseOffset) (\(error))")
            }
            for record in decoded where record.offset >= next {
                records.append(ConsumerRecord(topic: topic, partition: partition, offset: record.offset, timestamp: record.timestamp,
                                              timestampType: header.timestampType, key: record.key, value: record.value,
                                              headers: record.headers))
                next = record.offset &+ 1
            }
            next = max(next, header.lastOffset &+ 1)
        }
        return Decoded(records: records, nextOffset: next)
    }
}
