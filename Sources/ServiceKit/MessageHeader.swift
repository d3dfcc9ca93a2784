/// One record header: a UTF-8 name and raw value bytes. Value type.
public struct MessageHeader: Sendable, Equatable, Hashable {
    /// The header name.
    public var name: String
    /// The header value bytes.
    public var value: [UInt8]

    /// Creates a header from raw bytes.
    public init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
    }

    /// Creates a header whose value is the UTF-8 of `text`.
    public init(name: String, text: String) {
        self.init(name: name, value: Array(text.utf8))
    }

    /// The value as UTF-8 text, or nil when it is not valid UTF-8.
    public var text: String? { String(validating: value, as: UTF8.self) }
}

/// Why a stored header list could not be decoded.
public enum HeaderCodecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes ended inside the list.
    case truncated
    /// A header name is not UTF-8.
    case invalidName
    /// Bytes are left after the last header.
    case trailingBytes(Int)

    public var description: String {
        switch self {
        case .truncated: "header list is truncated"
        case .invalidName: "header name is not valid UTF-8"
        case .trailingBytes(let n): "header list has \(n) trailing bytes"
        }
    }
}

/// The byte encoding of a header list in the outbox `headers` column:
/// a big-endian `UInt32` count, then per header a `UInt32` name length, the name's UTF-8,
/// a `UInt32` value length and the value bytes. Order is kept.
public enum HeaderCodec {
    /// Encodes `headers`.
    public static func encode(_ headers: [MessageHeader]) -> [UInt8] {
        var out: [UInt8] = []
        append(UInt32(headers.count), to: &out)
        for header in headers {
            let name = Array(header.name.utf8)
            append(UInt32(name.count), to: &out)
            out += name
            append(UInt32(header.value.count), to: &out)
            out += header.value
        }
        return out
    }

    /// Decodes what `encode` produced; never traps on bad input.
    public static func decode(_ bytes: [UInt8]) throws(HeaderCodecError) -> [MessageHeader] {
        var index = 0
        func u32() throws(HeaderCodecError) -> Int {
            guard bytes.count - index >= 4 else { throw .truncated }
            var v: UInt32 = 0
            for i in 0..<4 { v = v << 8 | UInt32(bytes[index + i]) }
            index += 4
            return Int(v)
        }
        func take(_ n: Int) throws(HeaderCodecError) -> [UInt8] {
            guard bytes.count - index >= n else { throw .truncated }
            defer { index += n }
            return Array(bytes[index..<index + n])
        }
        let count = try u32()
        var headers: [MessageHeader] = []
        for _ in 0..<count {
            guard let name = String(validating: try take(try u32()), as: UTF8.self) else { throw .invalidName }
            headers.append(MessageHeader(name: name, value: try take(try u32())))
        }
        guard index == bytes.count else { throw .trailingBytes(bytes.count - index) }
        return headers
    }

    private static func append(_ v: UInt32, to out: inout [UInt8]) {
        out += [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }
}
