import KafkaRecords

/// The field encodings shared by the hand-written group state records
/// (`ConsumerGroupStateRecord`, `ClassicGroupStateRecord`): STRING / NSTRING as INT32 length +
/// UTF-8 (length -1 = null), BYTES as INT32 length + raw bytes, and element counts checked
/// against the bytes left so a corrupt count is never allocated. Readers throw past the end;
/// callers turn that into "malformed" (nil).
enum StateRecordFields {
    static func writeString(_ text: String?, to writer: inout ByteWriter) {
        guard let text else {
            writer.writeInt32(-1)
            return
        }
        writeBytes(Array(text.utf8), to: &writer)
    }

    /// A STRING or NSTRING (nil = null); throws past the end.
    static func readString(_ reader: inout ByteReader) throws(ByteReaderError) -> String? {
        try readBytes(&reader).map { String(decoding: $0, as: UTF8.self) }
    }

    /// BYTES: INT32 length + the bytes (clamped to `Int32.max`, which no group state reaches).
    static func writeBytes(_ bytes: [UInt8], to writer: inout ByteWriter) {
        writer.writeInt32(Int32(clamping: bytes.count))
        writer.writeBytes(bytes.prefix(Int(Int32.max)))
    }

    /// BYTES, or nil for a negative length (null); throws past the end.
    static func readBytes(_ reader: inout ByteReader) throws(ByteReaderError) -> [UInt8]? {
        let length = try reader.readInt32()
        if length < 0 { return nil }
        return Array(try reader.readBytes(count: Int(length)))
    }

    /// A count whose elements take at least `minimumSize` bytes each; a count the remaining
    /// bytes cannot hold is corrupt (thrown as past-the-end, never allocated).
    static func readCount(_ reader: inout ByteReader, minimumSize: Int) throws(ByteReaderError) -> Int32 {
        let count = try reader.readInt32()
        guard count >= 0, Int(count) * minimumSize <= reader.remaining else { throw ByteReaderError.truncated(needed: Int(count) * minimumSize, available: reader.remaining) }
        return count
    }

    /// A group state key: `INT8 0` (version), STRING group id. The same group always gives
    /// the same bytes, so a log compacts by it.
    static func encodeGroupKey(_ groupId: String) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInt8(0)
        writeString(groupId, to: &writer)
        return writer.bytes
    }

    /// The group id of a key written by `encodeGroupKey`, or nil for anything else (another
    /// version, an empty or null id, trailing bytes).
    static func decodeGroupKey(_ bytes: [UInt8]) -> String? {
        var reader = ByteReader(bytes)
        do {
            guard try reader.readInt8() == 0, let id = try readString(&reader), !id.isEmpty, reader.remaining == 0 else { return nil }
            return id
        } catch {
            return nil
        }
    }
}
