import KafkaRecords
@testable import LogStorage
import SystemIO
import Synchronization
import Testing

/// A small deterministic PRNG so every randomized test is reproducible from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds one validated batch of `records` records whose values name `tag`, so batches can be told apart.
func makeBatch(tag: Int, records: Int = 1, timestamp: Int64 = 1_700_000_000_000, valueSize: Int = 16) throws -> ValidatedBatches {
    var builder = RecordBatchBuilder()
    for i in 0..<records {
        var value = Array("batch-\(tag)-record-\(i)-".utf8)
        while value.count < valueSize { value.append(UInt8(truncatingIfNeeded: value.count &* 31 &+ tag)) }
        builder.append(RecordInput(key: Array("k\(i)".utf8), value: value, timestamp: timestamp + Int64(i)))
    }
    return try ValidatedBatches(validating: builder.build())
}

/// What a stored batch is, for comparing a log against what was appended: its offsets and the
/// CRC-covered bytes (which appending never changes).
struct StoredBatch: Equatable, CustomStringConvertible {
    var baseOffset: Int64
    var lastOffset: Int64
    var body: [UInt8]
    var description: String { "[\(baseOffset)...\(lastOffset) \(body.count)B]" }

    init(baseOffset: Int64, batch: ValidatedBatches) {
        self.baseOffset = baseOffset
        self.lastOffset = baseOffset + batch.offsetCount - 1
        self.body = Array(batch.bytes[21...])
    }

    init(header: RecordBatchHeader, bytes: ArraySlice<UInt8>) {
        baseOffset = header.baseOffset
        lastOffset = header.lastOffset
        body = Array(bytes.dropFirst(21))
    }
}

/// Reads every batch from the log start to the high watermark, checking the read contract on
/// the way (whole batches only, contiguous offsets, each read starts at the batch holding the
/// requested offset).
func readAll(_ log: PartitionLog, maxBytes: Int = 64 * 1024) throws -> [StoredBatch] {
    var result: [StoredBatch] = []
    var next = log.offsets.logStartOffset
    while true {
        let read = try log.read(from: next, maxBytes: maxBytes)
        guard let region = read.region else {
            #expect(next == read.offsets.highWatermark)
            break
        }
        let bytes = try region.readBytes()
        #expect(bytes.count == region.length)
        let batches = try RecordBatchIterator.batches(in: bytes, range: 0..<bytes.count, verifyCRC: true)
        #expect(batches.reduce(0) { $0 + $1.range.count } == bytes.count, "region must hold whole batches only")
        guard let first = batches.first else { Issue.record("empty region"); break }
        #expect(first.header.baseOffset <= next && first.header.lastOffset >= next, "read must start at the batch containing \(next)")
        for (header, range) in batches {
            if let previous = result.last { #expect(header.baseOffset == previous.lastOffset + 1, "offsets must be contiguous") }
            result.append(StoredBatch(header: header, bytes: bytes[range]))
        }
        next = batches[batches.count - 1].header.lastOffset + 1
    }
    return result
}

/// Collects log lines so tests can assert on what was reported.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    var logger: Logger {
        Logger(component: "test", minimumLevel: .debug) { [self] level, component, message in
            lines.withLock { $0.append("\(level) \(component): \(message)") }
        }
    }
    var all: [String] { lines.withLock { $0 } }
    var warnings: [String] { all.filter { $0.hasPrefix("WARN") } }
}

func smallConfig(durability: DurabilityPolicy = .never, segmentBytes: Int = 4096, indexInterval: Int = 256) -> LogConfig {
    var config = LogConfig()
    config.segmentBytes = segmentBytes
    config.indexIntervalBytes = indexInterval
    config.durability = durability
    return config
}
