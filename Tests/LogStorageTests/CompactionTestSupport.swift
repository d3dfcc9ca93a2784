import KafkaRecords
@testable import LogStorage
import SystemIO
import Testing

/// One record of a keyed test batch: key and value (nil = tombstone), as text.
struct KeyedRecord: Equatable, CustomStringConvertible {
    var key: String?
    var value: String?
    var description: String { "\(key ?? "∅")=\(value ?? "⊘")" }
}

/// A validated batch of keyed records (nil key = keyless, nil value = tombstone).
func keyedBatch(_ records: [KeyedRecord], timestamp: Int64 = 1_700_000_000_000, producerId: Int64 = -1,
                producerEpoch: Int16 = -1, baseSequence: Int32 = -1) throws -> ValidatedBatches {
    var builder = RecordBatchBuilder(producerId: producerId, producerEpoch: producerEpoch, baseSequence: baseSequence)
    for (i, record) in records.enumerated() {
        builder.append(RecordInput(key: record.key.map { Array($0.utf8) }, value: record.value.map { Array($0.utf8) },
                                   timestamp: timestamp + Int64(i)))
    }
    return try ValidatedBatches(validating: builder.build())
}

/// The storage settings of a compacted log with small segments.
func compactedConfig(segmentBytes: Int = 1024, policy: CleanupPolicy = .compact) -> LogConfig {
    var config = LogConfig()
    config.segmentBytes = segmentBytes
    config.indexIntervalBytes = 128
    config.durability = .never
    config.cleanupPolicy = policy
    config.minCleanableDirtyRatio = 0.5
    config.deleteRetentionMillis = 60_000
    return config
}

/// A record as read back: its offset, key and value as text.
struct ReadRecord: Equatable, CustomStringConvertible {
    var offset: Int64
    var key: String?
    var value: String?
    var description: String { "\(offset):\(key ?? "∅")=\(value ?? "⊘")" }
}

/// Reads every record from the log start to the high watermark as a consumer does: fetch at
/// `next`, skip records below it, continue after the last batch returned. Checks that offsets
/// only increase (gaps allowed) and every batch's CRC.
func readAllRecords(_ log: PartitionLog, maxBytes: Int = 4096) throws -> [ReadRecord] {
    var result: [ReadRecord] = []
    var next = log.offsets.logStartOffset
    while true {
        let read = try log.read(from: next, maxBytes: maxBytes)
        guard let region = read.region else {
            #expect(next == read.offsets.highWatermark, "a read gives nothing only at the high watermark")
            break
        }
        let bytes = try region.readBytes()
        let batches = try RecordBatchIterator.batches(in: bytes, range: 0..<bytes.count, verifyCRC: true)
        guard let last = batches.last else { Issue.record("empty region"); break }
        #expect(last.header.lastOffset >= next, "a read returns the batch holding \(next) or a later one")
        for (header, range) in batches {
            for record in try RecordBatchRecords.decode(Array(bytes[range])) where record.offset >= next {
                if let previous = result.last { #expect(record.offset > previous.offset, "offsets increase") }
                result.append(ReadRecord(offset: record.offset, key: record.key.map { String(decoding: $0, as: UTF8.self) },
                                         value: record.value.map { String(decoding: $0, as: UTF8.self) }))
            }
            next = max(next, header.lastOffset + 1)
        }
    }
    return result
}

/// The latest value of every key among `records` (tombstones included, as nil), in key order.
func latestValues(_ records: [ReadRecord]) -> [String: String?] {
    var latest: [String: String?] = [:]
    for record in records { if let key = record.key { latest[key] = .some(record.value) } }
    return latest
}

/// Appends `count` batches of `perBatch` records over `keys` keys (values name the batch and
/// position, so each is unique) and returns every record appended with its offset.
@discardableResult
func fillKeyed(_ log: PartitionLog, batches count: Int, perBatch: Int, keys: Int, clock: ManualTimeSource? = nil,
               tombstoneEvery: Int = 0, seed: Int = 0) throws -> [ReadRecord] {
    var written: [ReadRecord] = []
    var n = seed
    for b in 0..<count {
        var records: [KeyedRecord] = []
        for _ in 0..<perBatch {
            let key = "key-\((n &* 7919) % keys)"
            let tombstone = tombstoneEvery > 0 && n % tombstoneEvery == tombstoneEvery - 1
            records.append(KeyedRecord(key: key, value: tombstone ? nil : "v\(n)-b\(b)"))
            n += 1
        }
        let result = try log.append(try keyedBatch(records, timestamp: clock?.wallMillis() ?? 1_700_000_000_000))
        for (i, record) in records.enumerated() {
            written.append(ReadRecord(offset: result.baseOffset + Int64(i), key: record.key, value: record.value))
        }
        clock?.advance(millis: 1)
    }
    return written
}

/// A gzip-compressed batch of keyed records. The deflate stream uses stored (uncompressed)
/// blocks, which every gzip reader accepts; what matters here is that the broker must
/// decompress the batch to compact it.
func gzipBatch(_ records: [KeyedRecord], timestamp: Int64 = 1_700_000_000_000) throws -> ValidatedBatches {
    var builder = RecordBatchBuilder()
    for (i, record) in records.enumerated() {
        builder.append(RecordInput(key: record.key.map { Array($0.utf8) }, value: record.value.map { Array($0.utf8) },
                                   timestamp: timestamp + Int64(i)))
    }
    let plain = builder.encodedRecords
    var gzip: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
    var offset = 0
    repeat {
        let chunk = min(65_535, plain.count - offset)
        let last: UInt8 = offset + chunk == plain.count ? 1 : 0
        gzip += [last, UInt8(chunk & 0xFF), UInt8(chunk >> 8), UInt8(~chunk & 0xFF), UInt8((~chunk >> 8) & 0xFF)]
        gzip += plain[offset..<(offset + chunk)]
        offset += chunk
    } while offset < plain.count
    let crc = crc32IEEE(plain)
    for shift in stride(from: 0, to: 32, by: 8) { gzip.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift))) }
    for shift in stride(from: 0, to: 32, by: 8) { gzip.append(UInt8(truncatingIfNeeded: UInt32(plain.count) >> UInt32(shift))) }
    let bytes = RecordBatchBuilder.assemble(
        attributes: 1, lastOffsetDelta: Int32(records.count - 1), baseTimestamp: timestamp,
        maxTimestamp: timestamp + Int64(records.count - 1), producerId: -1, producerEpoch: -1, baseSequence: -1,
        recordCount: Int32(records.count), records: gzip)
    return try ValidatedBatches(validating: bytes)
}

/// CRC-32 (IEEE 802.3, as gzip uses it), bit by bit: slow but obviously right.
func crc32IEEE(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}
