public import KafkaRecords

/// Decodes Kafka protocol fields from a frame, in the flexible (compact) or classic encoding.
///
/// `flexible` is fixed per message (from the API version): strings, bytes and arrays then use
/// their compact forms and `readTaggedFields()` reads a tag section; otherwise the classic
/// INT16/INT32 lengths are used and tag sections are absent. Every length and count is checked
/// against the bytes that remain before anything is allocated. A value type over a `[UInt8]`;
/// `Sendable`.
public struct ProtocolReader: Sendable {
    public var bytes: ByteReader
    public let flexible: Bool

    public init(_ bytes: [UInt8], range: Range<Int>? = nil, flexible: Bool) {
        self.bytes = ByteReader(bytes, range: range)
        self.flexible = flexible
    }

    public init(_ reader: ByteReader, flexible: Bool) {
        self.bytes = reader
        self.flexible = flexible
    }

    public var remaining: Int { bytes.remaining }

    // Each read maps the byte reader's error into `ProtocolError.malformed`.
    public mutating func readInt8() throws(ProtocolError) -> Int8 {
        do { return try bytes.readInt8() } catch { throw .malformed(error) }
    }
    public mutating func readInt16() throws(ProtocolError) -> Int16 {
        do { return try bytes.readInt16() } catch { throw .malformed(error) }
    }
    public mutating func readInt32() throws(ProtocolError) -> Int32 {
        do { return try bytes.readInt32() } catch { throw .malformed(error) }
    }
    public mutating func readInt64() throws(ProtocolError) -> Int64 {
        do { return try bytes.readInt64() } catch { throw .malformed(error) }
    }
    public mutating func readUInt16() throws(ProtocolError) -> UInt16 {
        do { return try bytes.readUInt16() } catch { throw .malformed(error) }
    }
    public mutating func readUInt32() throws(ProtocolError) -> UInt32 {
        do { return try bytes.readUInt32() } catch { throw .malformed(error) }
    }
    public mutating func readUnsignedVarint() throws(ProtocolError) -> UInt32 {
        do { return try bytes.readUnsignedVarint() } catch { throw .malformed(error) }
    }
    public mutating func readVarint() throws(ProtocolError) -> Int32 {
        do { return try bytes.readVarint() } catch { throw .malformed(error) }
    }
    /// `count` raw bytes (bounds-checked, no copy).
    public mutating func readRaw(count: Int) throws(ProtocolError) -> ArraySlice<UInt8> {
        do { return try bytes.readBytes(count: count) } catch { throw .malformed(error) }
    }
    public mutating func readBool() throws(ProtocolError) -> Bool { try readInt8() != 0 }

    public mutating func readFloat64() throws(ProtocolError) -> Double {
        Double(bitPattern: UInt64(bitPattern: try readInt64()))
    }

    /// 16 raw bytes.
    public mutating func readUUID() throws(ProtocolError) -> [UInt8] {
        Array(try readRaw(count: 16))
    }

    /// A length prefix: INT16 (`classicWidth` 2) or INT32 (4) classically, UNSIGNED_VARINT N+1
    /// when flexible. Returns nil for null (-1 / 0). Lengths beyond the remaining bytes throw.
    private mutating func readLength(classicWidth: Int, field: String) throws(ProtocolError) -> Int? {
        let length: Int64
        if flexible {
            length = Int64(try readUnsignedVarint()) - 1
        } else {
            length = classicWidth == 2 ? Int64(try readInt16()) : Int64(try readInt32())
        }
        if length == -1 { return nil }
        guard length >= 0 && length <= Int64(remaining) else { throw .invalidLength(field: field, value: length) }
        return Int(length)
    }

    /// STRING / COMPACT_STRING (null is an error).
    public mutating func readString(_ field: String = "string") throws(ProtocolError) -> String {
        guard let value = try readNullableString(field) else { throw .invalidValue("\(field) must not be null") }
        return value
    }

    /// NULLABLE_STRING / COMPACT_NULLABLE_STRING. Invalid UTF-8 is replaced, not rejected
    /// (Kafka's own decoder is lenient here too).
    public mutating func readNullableString(_ field: String = "string") throws(ProtocolError) -> String? {
        guard let count = try readLength(classicWidth: 2, field: field) else { return nil }
        let slice = try readRaw(count: count)
        return String(decoding: slice, as: UTF8.self)
    }

    /// A client id in a request header: always INT16-length nullable string, even in flexible headers.
    public mutating func readClassicNullableString() throws(ProtocolError) -> String? {
        let length = Int(try readInt16())
        if length == -1 { return nil }
        guard length >= 0 && length <= remaining else { throw .invalidLength(field: "client_id", value: Int64(length)) }
        return String(decoding: try readRaw(count: length), as: UTF8.self)
    }

    /// BYTES / COMPACT_BYTES (null is an error).
    public mutating func readBytes(_ field: String = "bytes") throws(ProtocolError) -> [UInt8] {
        guard let value = try readNullableBytes(field) else { throw .invalidValue("\(field) must not be null") }
        return value
    }

    /// NULLABLE_BYTES / COMPACT_NULLABLE_BYTES (also RECORDS).
    public mutating func readNullableBytes(_ field: String = "bytes") throws(ProtocolError) -> [UInt8]? {
        guard let count = try readLength(classicWidth: 4, field: field) else { return nil }
        return Array(try readRaw(count: count))
    }

    /// ARRAY / COMPACT_ARRAY (null is an error: read as empty only where Kafka allows, via
    /// `readNullableArray`). Each element must consume at least one byte, so a count larger
    /// than the remaining bytes is rejected before any allocation.
    public mutating func readArray<T>(_ field: String = "array", _ element: (inout ProtocolReader) throws(ProtocolError) -> T) throws(ProtocolError) -> [T] {
        guard let items = try readNullableArray(field, element) else { throw .invalidValue("\(field) must not be null") }
        return items
    }

    /// Nullable ARRAY / COMPACT_ARRAY.
    public mutating func readNullableArray<T>(_ field: String = "array", _ element: (inout ProtocolReader) throws(ProtocolError) -> T) throws(ProtocolError) -> [T]? {
        let count: Int64 = flexible ? Int64(try readUnsignedVarint()) - 1 : Int64(try readInt32())
        if count == -1 { return nil }
        guard count >= 0 && count <= Int64(remaining) else { throw .invalidLength(field: field, value: count) }
        var items: [T] = []
        items.reserveCapacity(Int(count))
        for _ in 0..<count { items.append(try element(&self)) }
        return items
    }

    /// A nullable struct outside a tag section: INT8 -1 for null, else 1 followed by the struct.
    public mutating func readNullableStruct<T>(_ body: (inout ProtocolReader) throws(ProtocolError) -> T) throws(ProtocolError) -> T? {
        try readInt8() < 0 ? nil : try body(&self)
    }

    /// Reads (and skips) a tagged-field section when flexible; returns the unknown fields.
    @discardableResult
    public mutating func readTaggedFields() throws(ProtocolError) -> [TaggedField] {
        guard flexible else { return [] }
        let count = try readUnsignedVarint()
        guard Int(count) <= remaining else { throw .invalidLength(field: "tagged fields", value: Int64(count)) }
        var fields: [TaggedField] = []
        for _ in 0..<count {
            let tag = try readUnsignedVarint()
            let size = Int(try readUnsignedVarint())
            guard size <= remaining else { throw .invalidLength(field: "tagged field \(tag)", value: Int64(size)) }
            fields.append(TaggedField(tag: tag, data: Array(try readRaw(count: size))))
        }
        return fields
    }
}

/// One tagged field as read from the wire (tag number and raw bytes).
public struct TaggedField: Sendable, Equatable {
    public var tag: UInt32
    public var data: [UInt8]
    public init(tag: UInt32, data: [UInt8]) {
        self.tag = tag
        self.data = data
    }
}
