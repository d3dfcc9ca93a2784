/// An appending encoder for big-endian integers, varints and raw bytes into a growable `[UInt8]`.
///
/// The mirror image of ``ByteReader``: same formats (kafka-protocol.md §2.2). Length prefixes
/// whose value is only known after the body is written are reserved with a placeholder and
/// filled in with ``patchInt32(_:at:)`` / ``patchUInt32(_:at:)``.
///
/// Thread-safety: a value type; `Sendable`.
public struct ByteWriter: Sendable {
    /// Everything written so far.
    public private(set) var bytes: [UInt8]

    /// Creates an empty writer, reserving `capacity` bytes up front to avoid regrowth.
    public init(capacity: Int = 0) {
        bytes = []
        if capacity > 0 { bytes.reserveCapacity(capacity) }
    }

    /// Number of bytes written so far (the index the next byte will land at).
    public var count: Int { bytes.count }

    /// Reserves room for at least `capacity` bytes in total.
    public mutating func reserveCapacity(_ capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: Fixed-width integers

    @inline(__always)
    private mutating func append<T: FixedWidthInteger>(bigEndian value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends one signed byte.
    public mutating func writeInt8(_ value: Int8) { bytes.append(UInt8(bitPattern: value)) }
    /// Appends one unsigned byte.
    public mutating func writeUInt8(_ value: UInt8) { bytes.append(value) }
    /// Appends a big-endian `INT16`.
    public mutating func writeInt16(_ value: Int16) { append(bigEndian: value) }
    /// Appends a big-endian `UINT16`.
    public mutating func writeUInt16(_ value: UInt16) { append(bigEndian: value) }
    /// Appends a big-endian `INT32`.
    public mutating func writeInt32(_ value: Int32) { append(bigEndian: value) }
    /// Appends a big-endian `UINT32`.
    public mutating func writeUInt32(_ value: UInt32) { append(bigEndian: value) }
    /// Appends a big-endian `INT64`.
    public mutating func writeInt64(_ value: Int64) { append(bigEndian: value) }

    // MARK: Varints

    /// Appends an `UNSIGNED_VARINT` (LEB128, 1–5 bytes).
    public mutating func writeUnsignedVarint(_ value: UInt32) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: rest))
    }

    /// Appends a zigzag `VARINT` (1–5 bytes).
    public mutating func writeVarint(_ value: Int32) {
        writeUnsignedVarint(ByteWriter.zigzag(value))
    }

    /// Appends a zigzag `VARLONG` (1–10 bytes).
    public mutating func writeVarlong(_ value: Int64) {
        var rest = ByteWriter.zigzag(value)
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: rest))
    }

    /// Zigzag-maps a signed 32-bit value: `(n << 1) ^ (n >> 31)`.
    @inline(__always)
    static func zigzag(_ value: Int32) -> UInt32 {
        UInt32(bitPattern: (value << 1) ^ (value >> 31))
    }

    /// Zigzag-maps a signed 64-bit value: `(n << 1) ^ (n >> 63)`.
    @inline(__always)
    static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    /// Number of bytes ``writeVarint(_:)`` produces for `value`; lets encoders size a record
    /// before writing it instead of encoding twice.
    public static func varintSize(_ value: Int32) -> Int {
        unsignedVarintSize(UInt64(zigzag(value)))
    }

    /// Number of bytes ``writeVarlong(_:)`` produces for `value`.
    public static func varlongSize(_ value: Int64) -> Int {
        unsignedVarintSize(zigzag(value))
    }

    /// Number of bytes LEB128 needs for `value` (1–10).
    public static func unsignedVarintSize(_ value: UInt64) -> Int {
        // Each byte carries 7 bits; a zero value still needs one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    // MARK: Byte runs

    /// Appends the contents of an array.
    public mutating func writeBytes(_ source: [UInt8]) { bytes.append(contentsOf: source) }
    /// Appends the contents of an array slice.
    public mutating func writeBytes(_ source: ArraySlice<UInt8>) { bytes.append(contentsOf: source) }
    /// Appends the contents of raw memory (copied now; the buffer need not outlive the call).
    public mutating func writeBytes(_ source: UnsafeRawBufferPointer) { bytes.append(contentsOf: source) }
    /// Appends any sequence of bytes (for example `string.utf8`).
    public mutating func writeBytes<S: Sequence>(_ source: S) where S.Element == UInt8 {
        bytes.append(contentsOf: source)
    }

    // MARK: Patching

    /// Overwrites the 4 bytes at `index` with `value` in big-endian order.
    ///
    /// `index` must point into bytes already written (`0 <= index && index + 4 <= count`);
    /// it is always an index this writer handed out earlier, never a value read from input,
    /// so violating it is a programming error and traps.
    public mutating func patchInt32(_ value: Int32, at index: Int) {
        patchUInt32(UInt32(bitPattern: value), at: index)
    }

    /// Overwrites the 4 bytes at `index` with `value` in big-endian order (see ``patchInt32(_:at:)``).
    public mutating func patchUInt32(_ value: UInt32, at index: Int) {
        precondition(index >= 0 && index <= bytes.count - 4, "ByteWriter.patch index out of range")
        bytes.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: value.bigEndian, toByteOffset: index, as: UInt32.self)
        }
    }
}
