/// FindCoordinator (key 10) request, v0–4 (flexible from v3: request header v2, compact
/// encodings, tag sections).
///
/// Layout: `key` (v0–3), `key_type` (v1+), `coordinator_keys` (v4+).
///
/// Wire traps:
/// - v0–3 ask for **one** key (`key`); v4+ (KIP-699) are **batched**: `key` is gone and the keys
///   travel in `coordinator_keys`, each answered by its own `FindCoordinatorResponse.Coordinator`.
///   Use `requestedKeys(version:)` to read the keys independently of the version. The broker
///   advertises 0–3 (§1.1), so v4 is only needed by clients that negotiate it.
/// - `keyType`: 0 = consumer group (`groupKeyType`), 1 = transactional id (`transactionKeyType`);
///   v0 carries no key type and always means a group.
public struct FindCoordinatorRequest: KafkaRequest, Equatable {
    public typealias Response = FindCoordinatorResponse
    public static let apiKey = ApiKey.findCoordinator

    /// `keyType` values.
    public static let groupKeyType: Int8 = 0
    public static let transactionKeyType: Int8 = 1

    /// The group id or transactional id (v0–3).
    public var key: String
    /// 0 group, 1 transaction (v1+).
    public var keyType: Int8
    /// The keys to look up (v4+).
    public var coordinatorKeys: [String]

    public init(key: String = "", keyType: Int8 = 0, coordinatorKeys: [String] = []) {
        self.key = key
        self.keyType = keyType
        self.coordinatorKeys = coordinatorKeys
    }

    /// The keys this request, read at `version`, asks about: `[key]` in v0–3, `coordinatorKeys`
    /// from v4.
    public func requestedKeys(version: Int16) -> [String] {
        version >= 4 ? coordinatorKeys : [key]
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version <= 3 { key = try reader.readString("key") }
        if version >= 1 { keyType = try reader.readInt8() }
        if version >= 4 {
            coordinatorKeys = try reader.readArray("coordinator_keys") { (r: inout ProtocolReader) throws(ProtocolError) -> String in
                try r.readString("coordinator key")
            }
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version <= 3 { writer.writeString(key) }
        if version >= 1 { writer.writeInt8(keyType) }
        if version >= 4 { writer.writeArray(coordinatorKeys) { w, key in w.writeString(key) } }
        writer.writeTaggedFields()
    }
}

/// FindCoordinator (key 10) response, v0–4 (flexible from v3: response header v1).
///
/// Layout: `throttle_time_ms` (v1+), then in v0–3 a single result `error_code`, `error_message`
/// (v1–3, nullable), `node_id`, `host`, `port`; in v4+ instead `coordinators [key, node_id, host,
/// port, error_code, error_message (nullable)]`, one per requested key (note the error comes
/// **after** the address there). The single-result fields are stored always and only read and
/// written in v0–3; `coordinators` only in v4+.
///
/// The broker is the coordinator for every group: answer with exactly the node id, host and port
/// it reports in Metadata. Transactional keys (type 1) get COORDINATOR_NOT_AVAILABLE (15).
public struct FindCoordinatorResponse: ProtocolMessage, Equatable {
    /// One key's result (v4+, JSON `Coordinator`).
    public struct Coordinator: Sendable, Equatable {
        public var key: String
        public var nodeId: Int32
        public var host: String
        public var port: Int32
        public var errorCode: ErrorCode
        /// nil = no error message.
        public var errorMessage: String?

        public init(key: String = "", nodeId: Int32 = 0, host: String = "", port: Int32 = 0, errorCode: ErrorCode = .none,
                    errorMessage: String? = nil) {
            self.key = key
            self.nodeId = nodeId
            self.host = host
            self.port = port
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }

        public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            key = try reader.readString("key")
            nodeId = try reader.readInt32()
            host = try reader.readString("host")
            port = try reader.readInt32()
            errorCode = ErrorCode(code: try reader.readInt16())
            errorMessage = try reader.readNullableString("error_message")
            try reader.readTaggedFields()
        }

        public func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(key)
            writer.writeInt32(nodeId)
            writer.writeString(host)
            writer.writeInt32(port)
            writer.writeInt16(errorCode.rawValue)
            writer.writeNullableString(errorMessage)
            writer.writeTaggedFields()
        }
    }

    /// v1+.
    public var throttleTimeMs: Int32
    /// v0–3.
    public var errorCode: ErrorCode
    /// v1–3; nil = no error message.
    public var errorMessage: String?
    /// v0–3.
    public var nodeId: Int32
    /// v0–3.
    public var host: String
    /// v0–3.
    public var port: Int32
    /// v4+: one result per requested key.
    public var coordinators: [Coordinator]

    public init(throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, errorMessage: String? = nil, nodeId: Int32 = 0,
                host: String = "", port: Int32 = 0, coordinators: [Coordinator] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.nodeId = nodeId
        self.host = host
        self.port = port
        self.coordinators = coordinators
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        if version >= 1 { throttleTimeMs = try reader.readInt32() }
        if version <= 3 {
            errorCode = ErrorCode(code: try reader.readInt16())
            if version >= 1 { errorMessage = try reader.readNullableString("error_message") }
            nodeId = try reader.readInt32()
            host = try reader.readString("host")
            port = try reader.readInt32()
        } else {
            coordinators = try reader.readArray("coordinators") { (r: inout ProtocolReader) throws(ProtocolError) -> Coordinator in
                try Coordinator(from: &r, version: version)
            }
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        if version <= 3 {
            writer.writeInt16(errorCode.rawValue)
            if version >= 1 { writer.writeNullableString(errorMessage) }
            writer.writeInt32(nodeId)
            writer.writeString(host)
            writer.writeInt32(port)
        } else {
            writer.writeArray(coordinators) { w, coordinator in coordinator.encode(to: &w, version: version) }
        }
        writer.writeTaggedFields()
    }
}
