import KafkaRecords
import Testing

@Suite("Byte reader and writer")
struct ByteCodecTests {
    // MARK: Vectors from kafka-protocol.md §2.2

    @Test(arguments: [
        (UInt32(0), "00"), (127, "7F"), (128, "80 01"), (300, "AC 02"),
        (16_383, "FF 7F"), (16_384, "80 80 01"), (UInt32.max, "FF FF FF FF 0F"),
    ])
    func unsignedVarintVectors(_ value: UInt32, _ encoded: String) throws {
        var writer = ByteWriter()
        writer.writeUnsignedVarint(value)
        #expect(writer.bytes == hex(encoded))
        var reader = ByteReader(hex(encoded))
        #expect(try reader.readUnsignedVarint() == value)
        #expect(reader.remaining == 0)
    }

    @Test(arguments: [
        (Int32(0), "00"), (-1, "01"), (1, "02"), (-2, "03"), (64, "80 01"), (-64, "7F"),
        (Int32.max, "FE FF FF FF 0F"), (Int32.min, "FF FF FF FF 0F"),
    ])
    func zigzagVarintVectors(_ value: Int32, _ encoded: String) throws {
        var writer = ByteWriter()
        writer.writeVarint(value)
        #expect(writer.bytes == hex(encoded))
        #expect(ByteWriter.varintSize(value) == writer.count)
        var reader = ByteReader(hex(encoded))
        #expect(try reader.readVarint() == value)
    }

    @Test func nullRecordKeyIsOne() {
        var writer = ByteWriter()
        writer.writeVarint(-1)
        #expect(writer.bytes == [0x01])
    }

    @Test func varintAndVarlongRoundTripExtremes() throws {
        let ints: [Int32] = [0, 1, -1, 63, 64, -64, -65, 8_191, 8_192, Int32.max, Int32.min, Int32.max - 1, Int32.min + 1]
        let longs: [Int64] = [0, 1, -1, Int64(Int32.max) + 1, Int64(Int32.min) - 1, Int64.max, Int64.min, Int64.max - 1, Int64.min + 1]
        var writer = ByteWriter()
        for value in ints { writer.writeVarint(value) }
        for value in longs { writer.writeVarlong(value) }
        var reader = ByteReader(writer.bytes)
        for value in ints { #expect(try reader.readVarint() == value) }
        for value in longs { #expect(try reader.readVarlong() == value) }
        #expect(reader.isAtEnd)

        var single = ByteWriter()
        single.writeVarlong(Int64.min)
        #expect(single.count == 10)
        #expect(ByteWriter.varlongSize(Int64.min) == 10)
        #expect(ByteWriter.varlongSize(0) == 1)
    }

    @Test func randomVarintsRoundTrip() throws {
        var rng = SplitMix64(seed: 99)
        var writer = ByteWriter()
        var ints: [Int32] = []
        var longs: [Int64] = []
        for _ in 0..<2_000 {
            let shift = rng.next() % 64
            let long = Int64(bitPattern: rng.next()) >> shift
            let int = Int32(truncatingIfNeeded: long)
            ints.append(int)
            longs.append(long)
            writer.writeVarint(int)
            writer.writeVarlong(long)
            writer.writeUnsignedVarint(UInt32(truncatingIfNeeded: long))
        }
        var reader = ByteReader(writer.bytes)
        for index in ints.indices {
            #expect(try reader.readVarint() == ints[index])
            #expect(try reader.readVarlong() == longs[index])
            #expect(try reader.readUnsignedVarint() == UInt32(truncatingIfNeeded: longs[index]))
        }
        #expect(reader.isAtEnd)
    }

    // MARK: Malformed varints

    @Test(arguments: [
        "80 80 80 80 80 01",  // 6 bytes
        "FF FF FF FF FF 0F",
        "80 80 80 80 10",     // 5th byte carries bit 32
        "FF FF FF FF 7F",
    ])
    func malformedVarintsThrow(_ encoded: String) {
        var reader = ByteReader(hex(encoded))
        #expect(throws: ByteReaderError.malformedVarint) { try reader.readUnsignedVarint() }
        var signed = ByteReader(hex(encoded))
        #expect(throws: ByteReaderError.malformedVarint) { try signed.readVarint() }
        #expect(signed.position == 0)
    }

    @Test func malformedVarlongsThrow() throws {
        var tooLong = ByteReader([UInt8](repeating: 0x80, count: 10) + [0x01])
        #expect(throws: ByteReaderError.malformedVarint) { try tooLong.readVarlong() }
        var overflow = ByteReader([UInt8](repeating: 0xFF, count: 9) + [0x02])
        #expect(throws: ByteReaderError.malformedVarint) { try overflow.readVarlong() }
        var maximal = ByteReader([UInt8](repeating: 0xFF, count: 9) + [0x01])
        #expect(try maximal.readVarlong() == Int64.min)
    }

    @Test func truncatedVarintsThrowTruncated() {
        var reader = ByteReader(hex("80 80"))
        #expect(throws: ByteReaderError.truncated(needed: 3, available: 2)) { try reader.readVarint() }
        var empty = ByteReader([])
        #expect(throws: ByteReaderError.truncated(needed: 1, available: 0)) { try empty.readVarlong() }
    }

    // MARK: Fixed-width integers and byte runs

    @Test func fixedWidthIntegersAreBigEndian() throws {
        var writer = ByteWriter(capacity: 64)
        writer.writeInt8(-2)
        writer.writeInt16(0x0102)
        writer.writeUInt16(0xFFFE)
        writer.writeInt32(-0x0102_0304)
        writer.writeUInt32(0xDEAD_BEEF)
        writer.writeInt64(0x0102_0304_0506_0708)
        #expect(writer.bytes == hex("FE 0102 FFFE FEFDFCFC DEADBEEF 0102030405060708"))
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readInt8() == -2)
        #expect(try reader.readInt16() == 0x0102)
        #expect(try reader.readUInt16() == 0xFFFE)
        #expect(try reader.readInt32() == -0x0102_0304)
        #expect(try reader.readUInt32() == 0xDEAD_BEEF)
        #expect(try reader.readInt64() == 0x0102_0304_0506_0708)
        #expect(throws: ByteReaderError.truncated(needed: 1, available: 0)) { try reader.readInt8() }
    }

    @Test func readsAreBoundsCheckedAgainstTheRange() throws {
        let bytes: [UInt8] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        var reader = ByteReader(bytes, range: 2..<7)
        #expect(reader.position == 2)
        #expect(reader.remaining == 5)
        #expect(throws: ByteReaderError.truncated(needed: 8, available: 5)) { try reader.readInt64() }
        #expect(reader.position == 2)  // a failed read does not move
        #expect(try reader.readInt32() == 0x0203_0405)
        #expect(throws: ByteReaderError.truncated(needed: 2, available: 1)) { try reader.readInt16() }
        #expect(try reader.readBytes(count: 1) == [6])
        #expect(reader.isAtEnd)
    }

    @Test func readBytesIsAZeroCopySlice() throws {
        let bytes: [UInt8] = [9, 8, 7, 6]
        var reader = ByteReader(bytes)
        try reader.skip(1)
        let slice = try reader.readBytes(count: 2)
        #expect(slice.startIndex == 1)
        #expect(Array(slice) == [8, 7])
        #expect(throws: ByteReaderError.negativeLength(-1)) { try reader.readBytes(count: -1) }
        #expect(throws: ByteReaderError.negativeLength(-3)) { try reader.skip(-3) }
        #expect(throws: ByteReaderError.truncated(needed: 5, available: 1)) { try reader.skip(5) }
        #expect(throws: ByteReaderError.truncated(needed: Int.max, available: 1)) { try reader.readBytes(count: Int.max) }
    }

    @Test func rangeAndPositionAreClamped() throws {
        var reader = ByteReader([1, 2, 3], range: -5..<100)
        #expect(reader.remaining == 3)
        reader.position = 1_000
        #expect(reader.position == 3)
        #expect(reader.remaining == 0)
        reader.position = -4
        #expect(reader.position == 0)
        #expect(try reader.readInt8() == 1)
        let empty = ByteReader([1, 2, 3], range: 10..<20)
        #expect(empty.remaining == 0)
    }

    @Test func utf8Decoding() throws {
        var reader = ByteReader(Array("héllo".utf8) + [0xC3, 0x28])
        #expect(try reader.readUTF8(count: 6) == "héllo")
        #expect(throws: ByteReaderError.invalidUTF8) { try reader.readUTF8(count: 2) }
    }

    @Test func writeBytesOverloadsAndPatching() {
        var writer = ByteWriter()
        writer.writeInt32(0)
        writer.writeBytes([1, 2])
        writer.writeBytes([0, 3, 4][1...])
        writer.writeBytes("A".utf8)
        [UInt8(5)].withUnsafeBytes { writer.writeBytes($0) }
        writer.patchInt32(Int32(writer.count - 4), at: 0)
        #expect(writer.bytes == [0, 0, 0, 6, 1, 2, 3, 4, 0x41, 5])
        writer.patchUInt32(0xAABB_CCDD, at: 6)
        #expect(writer.bytes == [0, 0, 0, 6, 1, 2, 0xAA, 0xBB, 0xCC, 0xDD])
    }
}
