/// The header of every request (v1, or v2 with a tag section for flexible versions).
///
/// Layout: api_key INT16, api_version INT16, correlation_id INT32, client_id NULLABLE_STRING
/// (INT16 length even in v2), then in v2 a tagged-field section.
public struct RequestHeader: Sendable, Equatable {
    public var apiKey: ApiKey
    public var apiVersion: Int16
    public var correlationId: Int32
    public var clientId: String?

    public init(apiKey: ApiKey, apiVersion: Int16, correlationId: Int32, clientId: String?) {
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.correlationId = correlationId
        self.clientId = clientId
    }

    /// The fixed first 8 bytes, readable for any API key (so an unknown one can be reported
    /// with its correlation id).
    public static func peek(_ frame: [UInt8]) throws(ProtocolError) -> (apiKey: Int16, apiVersion: Int16, correlationId: Int32) {
        var reader = ProtocolReader(frame, flexible: false)
        return (try reader.readInt16(), try reader.readInt16(), try reader.readInt32())
    }

    /// Parses the header at the start of `frame` and returns it with a reader positioned at the
    /// body, set up for the body's encoding. Throws `unknownApiKey` for keys this project does
    /// not know.
    public static func decode(_ frame: [UInt8]) throws(ProtocolError) -> (RequestHeader, ProtocolReader) {
        var reader = ProtocolReader(frame, flexible: false)
        let rawKey = try reader.readInt16()
        guard let apiKey = ApiKey(rawValue: rawKey) else { throw .unknownApiKey(rawKey) }
        let version = try reader.readInt16()
        let correlationId = try reader.readInt32()
        let clientId = try reader.readClassicNullableString()
        let flexible = apiKey.isFlexible(version)
        var body = ProtocolReader(reader.bytes, flexible: flexible)
        if apiKey.requestHeaderVersion(version) >= 2 { try body.readTaggedFields() }
        return (RequestHeader(apiKey: apiKey, apiVersion: version, correlationId: correlationId, clientId: clientId), body)
    }

    /// Writes this header (and, in v2, an empty tag section).
    public func encode(to writer: inout ProtocolWriter) {
        writer.writeInt16(apiKey.rawValue)
        writer.writeInt16(apiVersion)
        writer.writeInt32(correlationId)
        writer.writeClassicNullableString(clientId)
        if apiKey.requestHeaderVersion(apiVersion) >= 2 {
            writer.bytes.writeUnsignedVarint(0)
        }
    }
}
