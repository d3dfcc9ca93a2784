public import KafkaRecords

/// One piece of an encoded message: bytes, or a run of bytes to be supplied by the sender from
/// elsewhere (record data sent straight from a log file with `sendfile`).
public enum OutputSegment: Sendable, Equatable {
    case bytes([UInt8])
    /// `length` bytes identified by `token`, meaningful to whoever built the message.
    case external(token: Int, length: Int)

    public var count: Int {
        switch self {
        case .bytes(let bytes): bytes.count
        case .external(_, let length): length
        }
    }
}

/// Record data in a message: inline bytes, or an external run (see `OutputSegment.external`).
/// Decoders always produce `.inline`.
public enum RecordsData: Sendable, Equatable {
    case inline([UInt8])
    case external(token: Int, length: Int)

    public static let empty = RecordsData.inline([])

    public var count: Int {
        switch self {
        case .inline(let bytes): bytes.count
        case .external(_, let length): length
        }
    }

    /// The inline bytes (empty for external data).
    public var bytes: [UInt8] {
        if case .inline(let bytes) = self { return bytes }
        return []
    }
}

/// Encodes Kafka protocol fields, in the flexible (compact) or classic encoding; the mirror of
/// `ProtocolReader`. A value type; `Sendable`.
public struct ProtocolWriter: Sendable {
    public var bytes: ByteWriter
    public let flexible: Bool
    private var finished: [OutputSegment] = []

    public init(flexible: Bool, capacity: Int = 256) {
        self.bytes = ByteWriter(capacity: capacity)
        self.flexible = flexible
    }

    public mutating func writeInt8(_ value: Int8) { bytes.writeInt8(value) }
    public mutating func writeInt16(_ value: Int16) { bytes.writeInt16(value) }
    public mutating func writeInt32(_ value: Int32) { bytes.writeInt32(value) }
    public mutating func writeInt64(_ value: Int64) { bytes.writeInt64(value) }
    public mutating func writeUInt16(_ value: UInt16) { bytes.writeUInt16(value) }
    public mutating func writeUInt32(_ value: UInt32) { bytes.writeUInt32(value) }
    public mutating func writeUnsignedVarint(_ value: UInt32) { bytes.writeUnsignedVarint(value) }
    public mutating func writeBool(_ value: Bool) { bytes.writeInt8(value ? 1 : 0) }
    public mutating func writeFloat64(_ value: Double) { bytes.writeInt64(Int64(bitPattern: value.bitPattern)) }

    /// 16 raw bytes (shorter input is zero-padded, longer is cut).
    public mutating func writeUUID(_ value: [UInt8]) {
        for i in 0..<16 { bytes.writeUInt8(i < value.count ? value[i] : 0) }
    }

    private mutating func writeLength(_ length: Int?, classicWidth: Int) {
        if flexible {
            bytes.writeUnsignedVarint(UInt32(truncatingIfNeeded: (length ?? -1) + 1))
        } else if classicWidth == 2 {
            bytes.writeInt16(Int16(truncatingIfNeeded: length ?? -1))
        } else {
            bytes.writeInt32(Int32(truncatingIfNeeded: length ?? -1))
        }
    }

    public mutating func writeString(_ value: String) { writeNullableString(value) }

    public mutating func writeNullableString(_ value: String?) {
        guard let value else { return writeLength(nil, classicWidth: 2) }
        let utf8 = Array(value.utf8)
        writeLength(utf8.count, classicWidth: 2)
        bytes.writeBytes(utf8)
    }

    /// The request header's client id: always an INT16-length nullable string.
    public mutating func writeClassicNullableString(_ value: String?) {
        guard let value else { return bytes.writeInt16(-1) }
        let utf8 = Array(value.utf8)
        bytes.writeInt16(Int16(truncatingIfNeeded: utf8.count))
        bytes.writeBytes(utf8)
    }

    public mutating func writeBytes(_ value: [UInt8]) { writeNullableBytes(value) }

    public mutating func writeNullableBytes(_ value: [UInt8]?) {
        guard let value else { return writeLength(nil, classicWidth: 4) }
        writeLength(value.count, classicWidth: 4)
        bytes.writeBytes(value)
    }

    /// RECORDS: inline bytes, or a length prefix followed by an external segment.
    public mutating func writeRecords(_ records: RecordsData?) {
        switch records {
        case nil: writeLength(nil, classicWidth: 4)
        case .inline(let data)?: writeNullableBytes(data)
        case .external(let token, let length)?:
            writeLength(length, classicWidth: 4)
            finished.append(.bytes(bytes.bytes))
            finished.append(.external(token: token, length: length))
            bytes = ByteWriter(capacity: 256)
        }
    }

    public mutating func writeArray<T>(_ items: [T], _ element: (inout ProtocolWriter, T) -> Void) {
        writeNullableArray(items, element)
    }

    public mutating func writeNullableArray<T>(_ items: [T]?, _ element: (inout ProtocolWriter, T) -> Void) {
        guard let items else {
            if flexible { bytes.writeUnsignedVarint(0) } else { bytes.writeInt32(-1) }
            return
        }
        if flexible { bytes.writeUnsignedVarint(UInt32(items.count + 1)) } else { bytes.writeInt32(Int32(items.count)) }
        for item in items { element(&self, item) }
    }

    /// Writes a tagged-field section (empty by default) when flexible; nothing otherwise.
    public mutating func writeTaggedFields(_ fields: [TaggedField] = []) {
        guard flexible else { return }
        bytes.writeUnsignedVarint(UInt32(fields.count))
        for field in fields.sorted(by: { $0.tag < $1.tag }) {
            bytes.writeUnsignedVarint(field.tag)
            bytes.writeUnsignedVarint(UInt32(field.data.count))
            bytes.writeBytes(field.data)
        }
    }

    /// The bytes of one tagged field's value, written by `body` in the flexible encoding.
    public static func taggedFieldData(_ body: (inout ProtocolWriter) -> Void) -> [UInt8] {
        var writer = ProtocolWriter(flexible: true, capacity: 32)
        body(&writer)
        return writer.encoded
    }

    /// The encoded message as segments (one `.bytes` segment unless external records were written).
    public func segments() -> [OutputSegment] {
        var all = finished
        if !bytes.bytes.isEmpty || all.isEmpty { all.append(.bytes(bytes.bytes)) }
        return all
    }

    /// The encoded message as plain bytes; external segments must not have been written.
    public var encoded: [UInt8] {
        var all: [UInt8] = []
        for segment in segments() { if case .bytes(let data) = segment { all += data } }
        return all
    }
}
