/// DescribeConfigs (key 32) request, v0–4 (flexible from v4: request header v2, compact
/// encodings, tag sections).
///
/// Layout: `resources [resource_type INT8, resource_name, configuration_keys ([STRING], nullable)]`,
/// `include_synonyms` (v1+), `include_documentation` (v3+). v2 is identical to v1.
///
/// Resource types: 2 = topic, 4 = broker. `configurationKeys == nil` = all keys.
public struct DescribeConfigsRequest: KafkaRequest, Equatable {
    public typealias Response = DescribeConfigsResponse
    public static let apiKey = ApiKey.describeConfigs

    /// One resource to describe (JSON `DescribeConfigsResource`).
    public struct DescribeConfigsResource: Sendable, Equatable {
        /// 2 = topic, 4 = broker.
        public var resourceType: Int8
        public var resourceName: String
        /// nil = all configuration keys.
        public var configurationKeys: [String]?

        public init(resourceType: Int8 = 0, resourceName: String = "", configurationKeys: [String]? = nil) {
            self.resourceType = resourceType
            self.resourceName = resourceName
            self.configurationKeys = configurationKeys
        }

        init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            resourceType = try reader.readInt8()
            resourceName = try reader.readString("resource_name")
            configurationKeys = try reader.readNullableArray("configuration_keys") { (r: inout ProtocolReader) throws(ProtocolError) -> String in
                try r.readString("configuration_keys")
            }
            try reader.readTaggedFields()
        }

        func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt8(resourceType)
            writer.writeString(resourceName)
            writer.writeNullableArray(configurationKeys) { w, key in w.writeString(key) }
            writer.writeTaggedFields()
        }
    }

    public var resources: [DescribeConfigsResource]
    /// v1+.
    public var includeSynonyms: Bool
    /// v3+.
    public var includeDocumentation: Bool

    public init(resources: [DescribeConfigsResource] = [], includeSynonyms: Bool = false, includeDocumentation: Bool = false) {
        self.resources = resources
        self.includeSynonyms = includeSynonyms
        self.includeDocumentation = includeDocumentation
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        resources = try reader.readArray("resources") { (r: inout ProtocolReader) throws(ProtocolError) -> DescribeConfigsResource in
            try DescribeConfigsResource(from: &r, version: version)
        }
        if version >= 1 { includeSynonyms = try reader.readBool() }
        if version >= 3 { includeDocumentation = try reader.readBool() }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        writer.writeArray(resources) { w, resource in resource.encode(to: &w, version: version) }
        if version >= 1 { writer.writeBool(includeSynonyms) }
        if version >= 3 { writer.writeBool(includeDocumentation) }
        writer.writeTaggedFields()
    }
}

/// DescribeConfigs (key 32) response, v0–4 (flexible from v4: response header v1).
///
/// Layout: `throttle_time_ms` (all versions, first), `results [error_code, error_message (nullable),
/// resource_type INT8, resource_name, configs [name, value (nullable), read_only, is_default (v0
/// only), config_source INT8 (v1+), is_sensitive, synonyms (v1+) [name, value (nullable), source
/// INT8], config_type INT8 (v3+), documentation (v3+, nullable)]]`.
///
/// Traps: v0 carries `is_default` where v1+ carry `config_source` (5 = default config,
/// 1 = dynamic topic config, 4 = static broker config); the decoder does not derive one from the
/// other, so a broker answering every version should set both. `synonyms` exist from v1 (may be
/// empty), `config_type` and `documentation` from v3. Resource types: 2 = topic, 4 = broker.
public struct DescribeConfigsResponse: ProtocolMessage, Equatable {
    /// One synonym of a configuration entry (JSON `DescribeConfigsSynonym`, v1+).
    public struct DescribeConfigsSynonym: Sendable, Equatable {
        public var name: String
        public var value: String?
        /// Same values as `configSource`.
        public var source: Int8

        public init(name: String = "", value: String? = nil, source: Int8 = 0) {
            self.name = name
            self.value = value
            self.source = source
        }

        init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            name = try reader.readString("name")
            value = try reader.readNullableString("value")
            source = try reader.readInt8()
            try reader.readTaggedFields()
        }

        func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(name)
            writer.writeNullableString(value)
            writer.writeInt8(source)
            writer.writeTaggedFields()
        }
    }

    /// One configuration entry (JSON `DescribeConfigsResourceResult`).
    public struct DescribeConfigsResourceResult: Sendable, Equatable {
        public var name: String
        public var value: String?
        public var readOnly: Bool
        /// v0 only.
        public var isDefault: Bool
        /// v1+: 5 = default, 1 = dynamic topic, 4 = static broker, 0 = unknown (JSON default −1 is a placeholder).
        public var configSource: Int8
        public var isSensitive: Bool
        /// v1+.
        public var synonyms: [DescribeConfigsSynonym]
        /// v3+ (0 = unknown, 1 boolean, 2 string, 3 int, 4 short, 5 long, 6 double, 7 list, 8 class, 9 password).
        public var configType: Int8
        /// v3+.
        public var documentation: String?

        public init(name: String = "", value: String? = nil, readOnly: Bool = false, isDefault: Bool = false,
                    configSource: Int8 = -1, isSensitive: Bool = false, synonyms: [DescribeConfigsSynonym] = [],
                    configType: Int8 = 0, documentation: String? = nil) {
            self.name = name
            self.value = value
            self.readOnly = readOnly
            self.isDefault = isDefault
            self.configSource = configSource
            self.isSensitive = isSensitive
            self.synonyms = synonyms
            self.configType = configType
            self.documentation = documentation
        }

        init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            self.init()
            name = try reader.readString("name")
            value = try reader.readNullableString("value")
            readOnly = try reader.readBool()
            if version == 0 { isDefault = try reader.readBool() }
            if version >= 1 { configSource = try reader.readInt8() }
            isSensitive = try reader.readBool()
            if version >= 1 {
                synonyms = try reader.readArray("synonyms") { (r: inout ProtocolReader) throws(ProtocolError) -> DescribeConfigsSynonym in
                    try DescribeConfigsSynonym(from: &r, version: version)
                }
            }
            if version >= 3 {
                configType = try reader.readInt8()
                documentation = try reader.readNullableString("documentation")
            }
            try reader.readTaggedFields()
        }

        func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeString(name)
            writer.writeNullableString(value)
            writer.writeBool(readOnly)
            if version == 0 { writer.writeBool(isDefault) }
            if version >= 1 { writer.writeInt8(configSource) }
            writer.writeBool(isSensitive)
            if version >= 1 { writer.writeArray(synonyms) { w, synonym in synonym.encode(to: &w, version: version) } }
            if version >= 3 {
                writer.writeInt8(configType)
                writer.writeNullableString(documentation)
            }
            writer.writeTaggedFields()
        }
    }

    /// The outcome for one resource (JSON `DescribeConfigsResult`).
    public struct DescribeConfigsResult: Sendable, Equatable {
        public var errorCode: ErrorCode
        public var errorMessage: String?
        /// 2 = topic, 4 = broker.
        public var resourceType: Int8
        public var resourceName: String
        public var configs: [DescribeConfigsResourceResult]

        public init(errorCode: ErrorCode = .none, errorMessage: String? = nil, resourceType: Int8 = 0, resourceName: String = "",
                    configs: [DescribeConfigsResourceResult] = []) {
            self.errorCode = errorCode
            self.errorMessage = errorMessage
            self.resourceType = resourceType
            self.resourceName = resourceName
            self.configs = configs
        }

        init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
            errorCode = ErrorCode(code: try reader.readInt16())
            errorMessage = try reader.readNullableString("error_message")
            resourceType = try reader.readInt8()
            resourceName = try reader.readString("resource_name")
            configs = try reader.readArray("configs") { (r: inout ProtocolReader) throws(ProtocolError) -> DescribeConfigsResourceResult in
                try DescribeConfigsResourceResult(from: &r, version: version)
            }
            try reader.readTaggedFields()
        }

        func encode(to writer: inout ProtocolWriter, version: Int16) {
            writer.writeInt16(errorCode.rawValue)
            writer.writeNullableString(errorMessage)
            writer.writeInt8(resourceType)
            writer.writeString(resourceName)
            writer.writeArray(configs) { w, config in config.encode(to: &w, version: version) }
            writer.writeTaggedFields()
        }
    }

    public var throttleTimeMs: Int32
    public var results: [DescribeConfigsResult]

    public init(throttleTimeMs: Int32 = 0, results: [DescribeConfigsResult] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.results = results
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        throttleTimeMs = try reader.readInt32()
        results = try reader.readArray("results") { (r: inout ProtocolReader) throws(ProtocolError) -> DescribeConfigsResult in
            try DescribeConfigsResult(from: &r, version: version)
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        writer.writeInt32(throttleTimeMs)
        writer.writeArray(results) { w, result in result.encode(to: &w, version: version) }
        writer.writeTaggedFields()
    }
}
