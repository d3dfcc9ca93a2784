import KafkaRecords

/// The STRING of the broker's internal record formats (committed offsets, transaction state):
/// INT16 byte length (-1 = null) + UTF-8. Texts longer than `Int16.max` bytes cannot be stored;
/// callers refuse them before writing (`fits`).
enum ShortString {
    /// Whether `text` fits in a STRING.
    static func fits(_ text: String) -> Bool { text.utf8.count <= Int(Int16.max) }

    /// Writes `text` (callers have checked `fits`; longer text is cut, never mis-framed).
    static func write(_ text: String, to writer: inout ByteWriter) {
        let utf8 = Array(text.utf8.prefix(Int(Int16.max)))
        writer.writeInt16(Int16(utf8.count))
        writer.writeBytes(utf8)
    }

    /// Reads a STRING; nil for the null string.
    static func read(from reader: inout ByteReader) throws(ByteReaderError) -> String? {
        let length = Int(try reader.readInt16())
        if length < 0 { return nil }
        return String(decoding: try reader.readBytes(count: length), as: UTF8.self)
    }
}
