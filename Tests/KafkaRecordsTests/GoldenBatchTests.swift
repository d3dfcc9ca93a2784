import KafkaRecords
import Testing

/// A batch written out byte by byte from the format description (kafka-protocol.md §3.1, §3.4);
/// the CRC was computed independently (bitwise CRC-32C over bytes 21..<82).
@Suite("Golden batch")
struct GoldenBatchTests {
    static let golden = hex("""
        0000000000000000  00000046  FFFFFFFF  02  DFF9C025
        0000  00000001  00000000000003E8  00000000000003ED
        FFFFFFFFFFFFFFFF  FFFF  FFFFFFFF  00000002
        10 00 00 00 02 6B 02 76 00
        16 00 0A 02 01 04 68 69 02 02 68 01
        """)
    // Record 0: length 8 (zigzag 0x10), attrs 0, tsDelta 0, offsetDelta 0, key "k", value "v", 0 headers.
    // Record 1: length 11 (0x16), attrs 0, tsDelta 5 (0x0A), offsetDelta 1 (0x02), key null (0x01),
    //           value "hi", 1 header: key "h", value null.

    static let inputs = [
        RecordInput(key: Array("k".utf8), value: Array("v".utf8), timestamp: 1_000),
        RecordInput(key: nil, value: Array("hi".utf8), headers: [RecordHeader(key: "h", value: nil)], timestamp: 1_005),
    ]

    @Test func builderMatchesGoldenBytes() {
        var builder = RecordBatchBuilder()
        for input in Self.inputs { builder.append(input) }
        #expect(Self.golden.count == 82)
        #expect(builder.estimatedSize == 82)
        #expect(builder.build() == Self.golden)
    }

    @Test func goldenBytesValidateAndDecode() throws {
        #expect(referenceCRC32C(Self.golden[21...]) == 0xDFF9_C025)
        let header = try RecordBatchHeader.validate(Self.golden)
        #expect(header == RecordBatchHeader(
            baseOffset: 0, batchLength: 70, partitionLeaderEpoch: -1, magic: 2, crc: 0xDFF9_C025,
            attributes: 0, lastOffsetDelta: 1, baseTimestamp: 1_000, maxTimestamp: 1_005,
            producerId: -1, producerEpoch: -1, baseSequence: -1, recordCount: 2))
        #expect(try RecordBatchRecords.decode(Self.golden) == [
            Record(offset: 0, timestamp: 1_000, key: Array("k".utf8), value: Array("v".utf8)),
            Record(offset: 1, timestamp: 1_005, key: nil, value: Array("hi".utf8),
                   headers: [RecordHeader(key: "h", value: nil)]),
        ])
    }
}
