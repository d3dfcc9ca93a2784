/// Whole frames: `INT32 length` + header + body, for requests (client side) and responses
/// (broker side), and the matching decoders.
public enum FrameCodec {
    /// Encodes a request frame, length prefix included.
    public static func encodeRequest<R: KafkaRequest>(_ request: R, version: Int16, correlationId: Int32, clientId: String?) -> [UInt8] {
        var writer = ProtocolWriter(flexible: R.apiKey.isFlexible(version))
        writer.writeInt32(0)
        RequestHeader(apiKey: R.apiKey, apiVersion: version, correlationId: correlationId, clientId: clientId).encode(to: &writer)
        request.encode(to: &writer, version: version)
        var bytes = writer.encoded
        let length = Int32(bytes.count - 4)
        withUnsafeBytes(of: length.bigEndian) { bytes.replaceSubrange(0..<4, with: $0) }
        return bytes
    }

    /// Encodes a response frame as segments (external record runs stay external), length prefix
    /// included. The response header version follows `apiKey.responseHeaderVersion(version)`.
    public static func encodeResponse(_ response: some ProtocolMessage, apiKey: ApiKey, version: Int16, correlationId: Int32) -> [OutputSegment] {
        var writer = ProtocolWriter(flexible: apiKey.isFlexible(version))
        writer.writeInt32(correlationId)
        if apiKey.responseHeaderVersion(version) >= 1 { writer.bytes.writeUnsignedVarint(0) }
        response.encode(to: &writer, version: version)
        var segments = writer.segments()
        let total = segments.reduce(0) { $0 + $1.count }
        var prefix = ByteWriterShim.int32(Int32(truncatingIfNeeded: total))
        if case .bytes(let first) = segments[0] {
            prefix += first
            segments[0] = .bytes(prefix)
        } else {
            segments.insert(.bytes(prefix), at: 0)
        }
        return segments
    }

    /// Decodes a response frame (without its length prefix) whose request used `version` of
    /// `apiKey`; returns the correlation id and the body.
    public static func decodeResponse<M: ProtocolMessage>(_ frame: [UInt8], as type: M.Type, apiKey: ApiKey, version: Int16) throws(ProtocolError) -> (correlationId: Int32, body: M) {
        var reader = ProtocolReader(frame, flexible: apiKey.isFlexible(version))
        let correlationId = try reader.readInt32()
        if apiKey.responseHeaderVersion(version) >= 1 { try reader.readTaggedFields() }
        return (correlationId, try M(from: &reader, version: version))
    }

    /// Decodes a request body of a known type from a reader positioned by `RequestHeader.decode`.
    public static func decodeRequest<R: KafkaRequest>(_ type: R.Type, from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) -> R {
        try R(from: &reader, version: version)
    }
}

enum ByteWriterShim {
    static func int32(_ value: Int32) -> [UInt8] {
        [UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
         UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }
}

/// Splits a byte stream into frames: `INT32 length` then that many bytes.
///
/// Feed it whatever arrives (`append`), then take frames with `nextFrame()` until it returns nil
/// ("need more bytes"). A negative length or one over `maxFrameSize` throws `frameTooLarge`
/// before anything is allocated for it; the connection must then be closed. Not thread-safe:
/// one decoder per connection.
public struct FrameDecoder: Sendable {
    public let maxFrameSize: Int
    private var buffer: [UInt8] = []
    private var start = 0

    public init(maxFrameSize: Int = 100 * 1024 * 1024) {
        self.maxFrameSize = maxFrameSize
    }

    /// Bytes received but not yet returned as frames.
    public var bufferedByteCount: Int { buffer.count - start }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        compactIfWorthwhile()
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame (without its length prefix), or nil if more bytes are needed.
    public mutating func nextFrame() throws(ProtocolError) -> [UInt8]? {
        guard buffer.count - start >= 4 else { return nil }
        let length = Int32(bitPattern: UInt32(buffer[start]) << 24 | UInt32(buffer[start + 1]) << 16
                           | UInt32(buffer[start + 2]) << 8 | UInt32(buffer[start + 3]))
        guard length >= 0 && Int(length) <= maxFrameSize else {
            throw .frameTooLarge(length: Int64(length), limit: maxFrameSize)
        }
        guard buffer.count - start - 4 >= Int(length) else { return nil }
        let frameStart = start + 4
        let frame = Array(buffer[frameStart..<(frameStart + Int(length))])
        start = frameStart + Int(length)
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        return frame
    }

    private mutating func compactIfWorthwhile() {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
    }
}
