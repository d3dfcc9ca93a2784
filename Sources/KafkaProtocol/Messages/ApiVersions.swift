/// ApiVersions (key 18) request, v0–4. v0–2 have an empty body; v3+ carry the client's software
/// name and version (flexible). The broker must not validate those strings.
public struct ApiVersionsRequest: KafkaRequest, Equatable {
    public typealias Response = ApiVersionsResponse
    public static let apiKey = ApiKey.apiVersions

    public var clientSoftwareName: String
    public var clientSoftwareVersion: String

    public init(clientSoftwareName: String = "", clientSoftwareVersion: String = "") {
        self.clientSoftwareName = clientSoftwareName
        self.clientSoftwareVersion = clientSoftwareVersion
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version >= 3 {
            clientSoftwareName = try reader.readString("client_software_name")
            clientSoftwareVersion = try reader.readString("client_software_version")
            try reader.readTaggedFields()
        }
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version >= 3 {
            writer.writeString(clientSoftwareName)
            writer.writeString(clientSoftwareVersion)
            writer.writeTaggedFields()
        }
    }
}

/// ApiVersions response: error, the API ranges, throttle time (v1+), tags (v3+). The response
/// header is always v0. For an unsupported request version the broker answers in the **v0**
/// layout (`encode(version: 0)`) with error 35 and only its ApiVersions range.
public struct ApiVersionsResponse: ProtocolMessage, Equatable {
    public var errorCode: ErrorCode
    public var apiKeys: [ApiVersionRange]
    public var throttleTimeMs: Int32
    /// Ranges for API keys this project does not know (kept when a client decodes them).
    public var unknownApiKeys: [(key: Int16, min: Int16, max: Int16)] = []

    public init(errorCode: ErrorCode = .none, apiKeys: [ApiVersionRange], throttleTimeMs: Int32 = 0) {
        self.errorCode = errorCode
        self.apiKeys = apiKeys
        self.throttleTimeMs = throttleTimeMs
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.errorCode == b.errorCode && a.apiKeys == b.apiKeys && a.throttleTimeMs == b.throttleTimeMs
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        errorCode = ErrorCode(code: try reader.readInt16())
        var known: [ApiVersionRange] = []
        var unknown: [(Int16, Int16, Int16)] = []
        _ = try reader.readArray("api_keys") { (r: inout ProtocolReader) throws(ProtocolError) -> Void in
            let key = try r.readInt16()
            let min = try r.readInt16()
            let max = try r.readInt16()
            try r.readTaggedFields()
            if let apiKey = ApiKey(rawValue: key) { known.append(ApiVersionRange(apiKey, min, max)) } else { unknown.append((key, min, max)) }
        }
        apiKeys = known
        unknownApiKeys = unknown
        throttleTimeMs = version >= 1 ? try reader.readInt32() : 0
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        writer.writeInt16(errorCode.rawValue)
        writer.writeArray(apiKeys) { w, range in
            w.writeInt16(range.apiKey.rawValue)
            w.writeInt16(range.minVersion)
            w.writeInt16(range.maxVersion)
            w.writeTaggedFields()
        }
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        writer.writeTaggedFields()
    }
}
