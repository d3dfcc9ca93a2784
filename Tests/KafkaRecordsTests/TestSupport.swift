import KafkaRecords
import Testing

/// Deterministic PRNG (SplitMix64) so every "random" test is reproducible from its seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(UInt8(truncatingIfNeeded: next())) }
        return result
    }
}

/// Parses hex such as "0A ff 10" (whitespace ignored). Test-only: traps on bad literals.
func hex(_ text: String) -> [UInt8] {
    let digits = text.filter { !$0.isWhitespace }.map { Character(String($0)) }
    var result: [UInt8] = []
    var index = 0
    while index + 1 < digits.count {
        result.append(UInt8(String(digits[index...index + 1]), radix: 16)!)
        index += 2
    }
    return result
}

/// Bit-at-a-time CRC-32C straight from the definition: an implementation independent of
/// both the table-driven and the hardware code under test.
func referenceCRC32C<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 {
            crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1
        }
    }
    return ~crc
}

/// Encodes raw record-area bytes with the writer (for hand-made, possibly malformed, records).
func recordArea(_ build: (inout ByteWriter) -> Void) -> [UInt8] {
    var writer = ByteWriter()
    build(&writer)
    return writer.bytes
}

/// A batch around `records` with a valid CRC and the given header fields.
func batch(
    records: [UInt8],
    recordCount: Int32 = 1,
    lastOffsetDelta: Int32 = 0,
    attributes: Int16 = 0,
    baseTimestamp: Int64 = 1_000,
    maxTimestamp: Int64 = 1_000,
    baseOffset: Int64 = 0
) -> [UInt8] {
    RecordBatchBuilder.assemble(
        attributes: attributes, lastOffsetDelta: lastOffsetDelta, baseTimestamp: baseTimestamp,
        maxTimestamp: maxTimestamp, producerId: -1, producerEpoch: -1, baseSequence: -1,
        recordCount: recordCount, records: records, baseOffset: baseOffset)
}

/// A typical small batch built with the builder.
func sampleBatch(records count: Int = 3, firstTimestamp: Int64 = 1_700_000_000_000, seed: UInt64 = 1) -> [UInt8] {
    var rng = SplitMix64(seed: seed)
    var builder = RecordBatchBuilder()
    for index in 0..<count {
        builder.append(RecordInput(
            key: index % 3 == 0 ? nil : rng.bytes(Int(rng.next() % 8)),
            value: rng.bytes(Int(rng.next() % 40)),
            headers: index % 2 == 0 ? [RecordHeader(key: "h\(index)", value: rng.bytes(3))] : [],
            timestamp: firstTimestamp + Int64(index)))
    }
    return builder.build()
}

/// Runs `body` and returns the `RecordBatchError` it threw, or nil when it did not throw.
/// (Closures cannot infer a typed `throws` without the FullTypedThrows feature, so the error
/// is downcast; any other error type fails the test.)
func caught<T>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) -> RecordBatchError? {
    do {
        _ = try body()
        return nil
    } catch let error as RecordBatchError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Whether `error` is `.malformedRecord` (any message).
func isMalformedRecord(_ error: RecordBatchError?) -> Bool {
    if case .malformedRecord = error { return true }
    return false
}
