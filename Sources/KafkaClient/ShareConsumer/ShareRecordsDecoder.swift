import KafkaProtocol

/// Turns one partition of a ShareFetch answer into share records: the record batches are
/// CRC-checked (and decompressed, control batches skipped — ``FetchedRecordsDecoder``), and only
/// the records inside the `AcquiredRecords` ranges are decoded, each with its range's delivery
/// count; records outside the ranges belong to other members or are done, and are skipped
/// unread (a consumer taking one record at a time out of large batches would otherwise decode
/// every batch whole for each record).
///
/// Offsets inside an acquired range that have no record (compacted away, control batches) are
/// reported as `gaps`, which the consumer acknowledges as such (wire type 0).
///
/// Stateless; safe from any thread.
enum ShareRecordsDecoder {
    /// The member's records and the acquired offsets without a record.
    struct Decoded: Sendable, Equatable {
        var records: [ShareRecord]
        var gaps: [Int64]
    }

    static func decode(_ bytes: [UInt8], topic: String, partition: Int32,
                       acquired: [ShareFetchResponse.AcquiredRecords]) throws(KafkaClientError) -> Decoded {
        let ranges = acquired.filter { $0.firstOffset <= $0.lastOffset }.sorted { $0.firstOffset < $1.firstOffset }
        guard let first = ranges.first else { return Decoded(records: [], gaps: []) }
        let decoded = try FetchedRecordsDecoder.decode(bytes, topic: topic, partition: partition, fetchOffset: first.firstOffset,
                                                       only: ranges.map { $0.firstOffset...$0.lastOffset })
        let all = decoded.records
        var records: [ShareRecord] = []
        var gaps: [Int64] = []
        var index = 0
        for range in ranges {
            while index < all.count && all[index].offset < range.firstOffset { index += 1 }
            var expected = range.firstOffset
            while index < all.count && all[index].offset <= range.lastOffset {
                let record = all[index]
                while expected < record.offset { gaps.append(expected); expected += 1 }
                records.append(ShareRecord(topic: topic, partition: partition, offset: record.offset, key: record.key, value: record.value,
                                           headers: record.headers, timestamp: record.timestamp, timestampType: record.timestampType,
                                           deliveryCount: range.deliveryCount))
                expected = record.offset &+ 1
                index += 1
            }
            // Offsets past the last record in the data are gaps only when the data covered them
            // (a batch cut off by the size limit is not); records absent at the end stay locked
            // and come back after the lock expires.
            if decoded.nextOffset > range.lastOffset {
                while expected <= range.lastOffset { gaps.append(expected); expected += 1 }
            }
        }
        return Decoded(records: records, gaps: gaps)
    }
}
