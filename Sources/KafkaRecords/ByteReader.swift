/// A cursor that decodes big-endian integers, varints and byte runs from a `[UInt8]`.
///
/// The reader holds the array (a reference-counted copy-on-write buffer, so no bytes are copied),
/// an absolute read ``position`` and an exclusive end index. Every read checks the number of
/// bytes it needs against ``remaining`` *before* touching memory and throws
/// ``ByteReaderError/truncated(needed:available:)`` instead of trapping, so a reader can be
/// pointed at arbitrary network or disk bytes.
///
/// Formats (see kafka-protocol.md §2.2):
/// - fixed-width integers are two's complement, big-endian;
/// - `UNSIGNED_VARINT` is LEB128 (7 data bits per byte, low group first, high bit = more follows);
/// - `VARINT`/`VARLONG` are zigzag-encoded, then LEB128.
///
/// Invariant: `range.lowerBound <= position <= end` at all times.
/// Thread-safety: a value type; `Sendable`. Copies are independent cursors over the same bytes.
public struct ByteReader: Sendable {
    /// The whole underlying array; indices (``position``) are absolute indices into it.
    public let bytes: [UInt8]
    /// The first index this reader may read (the start of the range it was created with).
    public let startIndex: Int
    /// The exclusive end of the readable range.
    public let endIndex: Int
    private var cursor: Int

    /// Creates a reader over `bytes[range]`, or over all of `bytes` when `range` is nil.
    ///
    /// A range that reaches outside `bytes.indices` is clamped to it, so the reader can never
    /// read out of bounds whatever the caller passes.
    public init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        let requested = range ?? bytes.indices
        let clamped = requested.clamped(to: bytes.indices)
        self.startIndex = clamped.lowerBound
        self.endIndex = clamped.upperBound
        self.cursor = clamped.lowerBound
    }

    /// The absolute index (into ``bytes``) of the next byte to read.
    ///
    /// Setting a value outside `startIndex...endIndex` clamps it into that interval, which keeps
    /// the bounds invariant without a trap; a clamped position at the end simply makes the next
    /// read throw `truncated`.
    public var position: Int {
        get { cursor }
        set { cursor = min(max(newValue, startIndex), endIndex) }
    }

    /// Bytes left between ``position`` and the end of the range (never negative).
    public var remaining: Int { endIndex - cursor }

    /// Whether every byte in the range has been consumed.
    public var isAtEnd: Bool { cursor == endIndex }

    // MARK: Fixed-width integers

    /// Checks that `count` bytes remain, then returns the index of the first and advances.
    @inline(__always)
    private mutating func take(_ count: Int) throws(ByteReaderError) -> Int {
        guard count <= endIndex - cursor else {
            throw .truncated(needed: count, available: endIndex - cursor)
        }
        let start = cursor
        cursor += count
        return start
    }

    /// Loads a big-endian fixed-width integer at an index already checked by `take`.
    @inline(__always)
    private func load<T: FixedWidthInteger>(_: T.Type, at index: Int) -> T {
        bytes.withUnsafeBytes { raw in
            T(bigEndian: raw.loadUnaligned(fromByteOffset: index, as: T.self))
        }
    }

    /// Reads one signed byte.
    public mutating func readInt8() throws(ByteReaderError) -> Int8 {
        Int8(bitPattern: bytes[try take(1)])
    }

    /// Reads one unsigned byte.
    public mutating func readUInt8() throws(ByteReaderError) -> UInt8 {
        bytes[try take(1)]
    }

    /// Reads a big-endian `INT16`.
    public mutating func readInt16() throws(ByteReaderError) -> Int16 {
        load(Int16.self, at: try take(2))
    }

    /// Reads a big-endian `UINT16`.
    public mutating func readUInt16() throws(ByteReaderError) -> UInt16 {
        load(UInt16.self, at: try take(2))
    }

    /// Reads a big-endian `INT32`.
    public mutating func readInt32() throws(ByteReaderError) -> Int32 {
        load(Int32.self, at: try take(4))
    }

    /// Reads a big-endian `UINT32`.
    public mutating func readUInt32() throws(ByteReaderError) -> UInt32 {
        load(UInt32.self, at: try take(4))
    }

    /// Reads a big-endian `INT64`.
    public mutating func readInt64() throws(ByteReaderError) -> Int64 {
        load(Int64.self, at: try take(8))
    }

    // MARK: Varints

    /// Reads an `UNSIGNED_VARINT` (LEB128, at most 5 bytes).
    ///
    /// Strict: a 5th byte with the continuation bit or any bit above bit 31 set is rejected as
    /// ``ByteReaderError/malformedVarint`` (no conforming encoder produces one). Running out of
    /// bytes mid-varint throws `truncated`. On error the position is unchanged.
    public mutating func readUnsignedVarint() throws(ByteReaderError) -> UInt32 {
        var result: UInt32 = 0
        var index = cursor
        for group in 0..<5 {
            guard index < endIndex else {
                throw .truncated(needed: group + 1, available: endIndex - cursor)
            }
            let byte = bytes[index]
            index += 1
            // The 5th group only has room for bits 28...31 of a 32-bit value.
            if group == 4 && byte > 0x0F { throw .malformedVarint }
            result |= UInt32(byte & 0x7F) << UInt32(7 * group)
            if byte & 0x80 == 0 {
                cursor = index
                return result
            }
        }
        throw .malformedVarint
    }

    /// Reads a 64-bit LEB128 value (at most 10 bytes, strict about the 10th byte).
    private mutating func readUnsignedVarlong() throws(ByteReaderError) -> UInt64 {
        var result: UInt64 = 0
        var index = cursor
        for group in 0..<10 {
            guard index < endIndex else {
                throw .truncated(needed: group + 1, available: endIndex - cursor)
            }
            let byte = bytes[index]
            index += 1
            // The 10th group only has room for bit 63.
            if group == 9 && byte > 0x01 { throw .malformedVarint }
            result |= UInt64(byte & 0x7F) << UInt64(7 * group)
            if byte & 0x80 == 0 {
                cursor = index
                return result
            }
        }
        throw .malformedVarint
    }

    /// Reads a zigzag `VARINT` (at most 5 bytes): `0→0, 1→−1, 2→1, 3→−2, …`.
    public mutating func readVarint() throws(ByteReaderError) -> Int32 {
        let raw = try readUnsignedVarint()
        return Int32(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// Reads a zigzag `VARLONG` (at most 10 bytes).
    public mutating func readVarlong() throws(ByteReaderError) -> Int64 {
        let raw = try readUnsignedVarlong()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    // MARK: Byte runs

    /// Returns the next `count` bytes as a slice of ``bytes`` (no copy) and advances.
    ///
    /// Throws ``ByteReaderError/negativeLength(_:)`` for `count < 0` and `truncated` when fewer
    /// than `count` bytes remain, so `count` may come straight from an untrusted length field.
    public mutating func readBytes(count: Int) throws(ByteReaderError) -> ArraySlice<UInt8> {
        guard count >= 0 else { throw .negativeLength(count) }
        let start = try take(count)
        return bytes[start..<(start + count)]
    }

    /// Reads `count` bytes and decodes them as UTF-8, throwing ``ByteReaderError/invalidUTF8``
    /// for ill-formed input (the position still advances past the bytes in that case).
    public mutating func readUTF8(count: Int) throws(ByteReaderError) -> String {
        let slice = try readBytes(count: count)
        guard let string = String(validating: slice, as: UTF8.self) else { throw .invalidUTF8 }
        return string
    }

    /// Advances past `count` bytes (`count >= 0`, bounds checked like ``readBytes(count:)``).
    public mutating func skip(_ count: Int) throws(ByteReaderError) {
        guard count >= 0 else { throw .negativeLength(count) }
        _ = try take(count)
    }
}
