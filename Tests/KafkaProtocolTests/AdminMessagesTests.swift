import KafkaProtocol
import Testing

// Metadata (0–12), CreateTopics (0–7), DeleteTopics (0–6), DescribeConfigs (0–4): round trips at
// every version, hand-written golden bytes, header selection and malformed input.

// MARK: - Round trips at every version

@Suite("AdminMessages round trips")
struct AdminMessagesRoundTripTests {
    @Test("Metadata round trip", arguments: AdminSamples.metadataVersions)
    func metadata(version: Int16) throws {
        try adminCheckRoundTrip(full: AdminSamples.fullMetadataRequest, expected: AdminSamples.metadataRequest(at: version),
                                apiKey: .metadata, version: version)
        try adminCheckRoundTrip(full: AdminSamples.fullMetadataResponse, expected: AdminSamples.metadataResponse(at: version),
                                apiKey: .metadata, version: version)
    }

    @Test("CreateTopics round trip", arguments: AdminSamples.createTopicsVersions)
    func createTopics(version: Int16) throws {
        try adminCheckRoundTrip(full: AdminSamples.fullCreateTopicsRequest, expected: AdminSamples.createTopicsRequest(at: version),
                                apiKey: .createTopics, version: version)
        try adminCheckRoundTrip(full: AdminSamples.fullCreateTopicsResponse, expected: AdminSamples.createTopicsResponse(at: version),
                                apiKey: .createTopics, version: version)
    }

    @Test("DeleteTopics round trip", arguments: AdminSamples.deleteTopicsVersions)
    func deleteTopics(version: Int16) throws {
        try adminCheckRoundTrip(full: AdminSamples.fullDeleteTopicsRequest, expected: AdminSamples.deleteTopicsRequest(at: version),
                                apiKey: .deleteTopics, version: version)
        try adminCheckRoundTrip(full: AdminSamples.fullDeleteTopicsResponse, expected: AdminSamples.deleteTopicsResponse(at: version),
                                apiKey: .deleteTopics, version: version)
    }

    @Test("DescribeConfigs round trip", arguments: AdminSamples.describeConfigsVersions)
    func describeConfigs(version: Int16) throws {
        try adminCheckRoundTrip(full: AdminSamples.fullDescribeConfigsRequest, expected: AdminSamples.describeConfigsRequest(at: version),
                                apiKey: .describeConfigs, version: version)
        try adminCheckRoundTrip(full: AdminSamples.fullDescribeConfigsResponse, expected: AdminSamples.describeConfigsResponse(at: version),
                                apiKey: .describeConfigs, version: version)
    }

    @Test("Empty (all-default) messages round trip", arguments: AdminSamples.metadataVersions)
    func defaults(version: Int16) throws {
        // Metadata v0 has no null topic array: nil is written as [] (= all topics there).
        let metadata = version == 0 ? MetadataRequest(topics: []) : MetadataRequest()
        try adminCheckRoundTrip(full: MetadataRequest(), expected: metadata, apiKey: .metadata, version: version)
        try adminCheckRoundTrip(full: MetadataResponse(), expected: MetadataResponse(), apiKey: .metadata, version: version)
        if AdminSamples.createTopicsVersions.contains(version) {
            try adminCheckRoundTrip(full: CreateTopicsRequest(), expected: CreateTopicsRequest(), apiKey: .createTopics, version: version)
            try adminCheckRoundTrip(full: CreateTopicsResponse(), expected: CreateTopicsResponse(), apiKey: .createTopics, version: version)
        }
        if AdminSamples.deleteTopicsVersions.contains(version) {
            try adminCheckRoundTrip(full: DeleteTopicsRequest(), expected: DeleteTopicsRequest(), apiKey: .deleteTopics, version: version)
            try adminCheckRoundTrip(full: DeleteTopicsResponse(), expected: DeleteTopicsResponse(), apiKey: .deleteTopics, version: version)
        }
        if AdminSamples.describeConfigsVersions.contains(version) {
            try adminCheckRoundTrip(full: DescribeConfigsRequest(), expected: DescribeConfigsRequest(), apiKey: .describeConfigs, version: version)
            try adminCheckRoundTrip(full: DescribeConfigsResponse(), expected: DescribeConfigsResponse(), apiKey: .describeConfigs, version: version)
        }
    }

    @Test("Metadata topic-array nullability: v0 empty = all, v1+ null = all, empty = none")
    func metadataAllTopics() throws {
        let all = MetadataRequest(topics: nil)
        let none = MetadataRequest(topics: [])
        for version in AdminSamples.metadataVersions {
            let decodedAll = try adminDecode(MetadataRequest.self, adminEncode(all, apiKey: .metadata, version: version),
                                             apiKey: .metadata, version: version).value
            let decodedNone = try adminDecode(MetadataRequest.self, adminEncode(none, apiKey: .metadata, version: version),
                                              apiKey: .metadata, version: version).value
            #expect(decodedAll.requestsAllTopics(version: version))
            #expect(decodedNone.requestsAllTopics(version: version) == (version == 0))
            #expect(decodedAll.topics == (version == 0 ? [] : nil))
            #expect(decodedNone.topics == [])
        }
    }

    @Test("Null topic names where nullable: Metadata request v10+, Metadata response v12, DeleteTopics v6")
    func nullNames() throws {
        for version: Int16 in 10...12 {
            let request = MetadataRequest(topics: [.init(topicId: adminUUID(11), name: nil)])
            try adminCheckRoundTrip(full: request, expected: request, apiKey: .metadata, version: version)
        }
        let response = MetadataResponse(topics: [.init(errorCode: .unknownTopicId, name: nil, topicId: adminUUID(12))])
        try adminCheckRoundTrip(full: response, expected: response, apiKey: .metadata, version: 12)
        let deleted = DeleteTopicsResponse(responses: [.init(name: nil, topicId: adminUUID(13), errorCode: .unknownTopicId)])
        try adminCheckRoundTrip(full: deleted, expected: deleted, apiKey: .deleteTopics, version: 6)
        // Before the field is nullable a nil name is written as the empty string.
        let encoded = adminEncode(MetadataRequest(topics: [.init(name: nil)]), apiKey: .metadata, version: 9)
        #expect(encoded == [0x02, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00])
    }
}

// MARK: - Golden bytes (written by hand from the JSON layouts)

@Suite("AdminMessages golden bytes")
struct AdminMessagesGoldenTests {
    @Test func metadataRequestV0V1V4() {
        // v0: topics ["t"]: INT32 count, STRING.
        #expect(adminEncode(MetadataRequest(topics: [.init(name: "t")]), apiKey: .metadata, version: 0)
                == adminBytes([0x00, 0x00, 0x00, 0x01], [0x00, 0x01, 0x74]))
        #expect(adminEncode(MetadataRequest(topics: [.init(name: "t")]), apiKey: .metadata, version: 1)
                == adminBytes([0x00, 0x00, 0x00, 0x01], [0x00, 0x01, 0x74]))
        // v0 all topics = empty array; v1 all topics = null array.
        #expect(adminEncode(MetadataRequest(), apiKey: .metadata, version: 0) == [0x00, 0x00, 0x00, 0x00])
        #expect(adminEncode(MetadataRequest(), apiKey: .metadata, version: 1) == [0xFF, 0xFF, 0xFF, 0xFF])
        // v4: + allow_auto_topic_creation.
        #expect(adminEncode(MetadataRequest(allowAutoTopicCreation: false), apiKey: .metadata, version: 4)
                == [0xFF, 0xFF, 0xFF, 0xFF, 0x00])
    }

    @Test func metadataRequestV9V12() {
        // v9: compact array (1+1), compact string "t", topic tags, allow_auto, include_cluster_ops,
        // include_topic_ops, tags.
        let v9 = MetadataRequest(topics: [.init(name: "t")], allowAutoTopicCreation: true)
        #expect(adminEncode(v9, apiKey: .metadata, version: 9)
                == adminBytes([0x02], [0x02, 0x74], [0x00], [0x01], [0x00], [0x00], [0x00]))
        // v12: topic by id with a null name; no include_cluster_authorized_operations any more.
        let id = adminUUID(20)
        let v12 = MetadataRequest(topics: [.init(topicId: id, name: nil)], includeTopicAuthorizedOperations: true)
        #expect(adminEncode(v12, apiKey: .metadata, version: 12)
                == adminBytes([0x02], id, [0x00], [0x00], [0x01], [0x01], [0x00]))
    }

    static let singleBrokerResponse = MetadataResponse(
        brokers: [.init(nodeId: 1, host: "localhost", port: 9092)], clusterId: "c1", controllerId: 1,
        topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, leaderId: 1, leaderEpoch: 0, replicaNodes: [1], isrNodes: [1])])])

    @Test func metadataResponseV0() {
        let expected = adminBytes(
            [0x00, 0x00, 0x00, 0x01],                                   // brokers: 1
            [0x00, 0x00, 0x00, 0x01], [0x00, 0x09], adminUTF8("localhost"), [0x00, 0x00, 0x23, 0x84],
            [0x00, 0x00, 0x00, 0x01],                                   // topics: 1
            [0x00, 0x00], [0x00, 0x01, 0x74],                           // error, name
            [0x00, 0x00, 0x00, 0x01],                                   // partitions: 1
            [0x00, 0x00], [0x00, 0x00, 0x00, 0x00], [0x00, 0x00, 0x00, 0x01], // error, index, leader
            [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01],           // replicas [1]
            [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01])           // isr [1]
        #expect(adminEncode(Self.singleBrokerResponse, apiKey: .metadata, version: 0) == expected)
    }

    @Test func metadataResponseV9() {
        let expected = adminBytes(
            [0x00, 0x00, 0x00, 0x00],                                   // throttle
            [0x02],                                                     // brokers: 1
            [0x00, 0x00, 0x00, 0x01], [0x0A], adminUTF8("localhost"), [0x00, 0x00, 0x23, 0x84], [0x00], [0x00], // rack null, tags
            [0x03, 0x63, 0x31],                                         // cluster id "c1"
            [0x00, 0x00, 0x00, 0x01],                                   // controller
            [0x02],                                                     // topics: 1
            [0x00, 0x00], [0x02, 0x74], [0x00],                         // error, name, is_internal
            [0x02],                                                     // partitions: 1
            [0x00, 0x00], [0x00, 0x00, 0x00, 0x00], [0x00, 0x00, 0x00, 0x01], [0x00, 0x00, 0x00, 0x00], // error, index, leader, epoch
            [0x02, 0x00, 0x00, 0x00, 0x01], [0x02, 0x00, 0x00, 0x00, 0x01], [0x01], [0x00], // replicas, isr, offline [], tags
            [0x80, 0x00, 0x00, 0x00], [0x00],                           // topic_authorized_operations, tags
            [0x80, 0x00, 0x00, 0x00],                                   // cluster_authorized_operations
            [0x00])                                                     // tags
        #expect(adminEncode(Self.singleBrokerResponse, apiKey: .metadata, version: 9) == expected)
    }

    @Test func createTopicsRequestV0() {
        let request = CreateTopicsRequest(topics: [.init(name: "t", numPartitions: 3, replicationFactor: 1,
                                                         configs: [.init(name: "a", value: "b")])])
        let expected = adminBytes(
            [0x00, 0x00, 0x00, 0x01], [0x00, 0x01, 0x74],               // topics: 1, name
            [0x00, 0x00, 0x00, 0x03], [0x00, 0x01],                     // partitions, replication factor
            [0x00, 0x00, 0x00, 0x00],                                   // assignments: 0
            [0x00, 0x00, 0x00, 0x01], [0x00, 0x01, 0x61], [0x00, 0x01, 0x62], // configs: a=b
            [0x00, 0x00, 0xEA, 0x60])                                   // timeout 60000 (default)
        #expect(adminEncode(request, apiKey: .createTopics, version: 0) == expected)
        #expect(adminEncode(request, apiKey: .createTopics, version: 1) == expected + [0x00]) // + validate_only
    }

    @Test func createTopicsResponseV5() throws {
        let response = CreateTopicsResponse(topics: [.init(name: "t", numPartitions: 3, replicationFactor: 1,
                                                           configs: [.init(name: "a", value: "b", configSource: 5)])])
        let expected = adminBytes(
            [0x00, 0x00, 0x00, 0x00], [0x02],                           // throttle, topics: 1
            [0x02, 0x74], [0x00, 0x00], [0x00],                         // name, error, message null
            [0x00, 0x00, 0x00, 0x03], [0x00, 0x01],                     // num_partitions, replication_factor
            [0x02], [0x02, 0x61], [0x02, 0x62], [0x00], [0x05], [0x00], [0x00], // configs: a=b, ro, source 5, sensitive, tags
            [0x00], [0x00])                                             // topic tags, tags
        #expect(adminEncode(response, apiKey: .createTopics, version: 5) == expected)
        // v7 inserts the topic id after the name.
        var withId = response
        withId.topics[0].topicId = adminUUID(21)
        #expect(adminEncode(withId, apiKey: .createTopics, version: 7)
                == Array(expected[0..<7]) + adminUUID(21) + Array(expected[7...]))

        // Tagged field 0 (topic_config_error_code) is decoded; an unknown tag 5 is skipped.
        var tagged = Array(expected.dropLast(2))
        tagged += [0x02, 0x00, 0x02, 0x00, 0x28, 0x05, 0x01, 0xAB, 0x00]
        let decoded = try adminDecode(CreateTopicsResponse.self, tagged, apiKey: .createTopics, version: 5)
        #expect(decoded.remaining == 0)
        #expect(decoded.value.topics.first?.topicConfigErrorCode == .invalidConfig)
        var expectedValue = response
        expectedValue.topics[0].topicConfigErrorCode = .invalidConfig
        #expect(decoded.value == expectedValue)
        // ... and written back as Kafka writes it: tag 0 only when not NONE.
        #expect(adminEncode(decoded.value, apiKey: .createTopics, version: 5) == Array(expected.dropLast(2)) + [0x01, 0x00, 0x02, 0x00, 0x28, 0x00])
        #expect(adminEncode(response, apiKey: .createTopics, version: 5) == expected)
    }

    @Test func deleteTopicsGolden() {
        // v1 request: topic_names ["t"], timeout 30000.
        let names = DeleteTopicsRequest(topicNames: ["t"], timeoutMs: 30000)
        #expect(adminEncode(names, apiKey: .deleteTopics, version: 1)
                == adminBytes([0x00, 0x00, 0x00, 0x01], [0x00, 0x01, 0x74], [0x00, 0x00, 0x75, 0x30]))
        // v4 request: compact.
        #expect(adminEncode(names, apiKey: .deleteTopics, version: 4)
                == adminBytes([0x02], [0x02, 0x74], [0x00, 0x00, 0x75, 0x30], [0x00]))
        // v6 request: topics [{name null, topic_id}].
        let byId = DeleteTopicsRequest(topics: [.init(name: nil, topicId: adminUUID(22))], timeoutMs: 30000)
        #expect(adminEncode(byId, apiKey: .deleteTopics, version: 6)
                == adminBytes([0x02], [0x00], adminUUID(22), [0x00], [0x00, 0x00, 0x75, 0x30], [0x00]))
        // v0 response: responses [{name "t", error 3}].
        let response = DeleteTopicsResponse(responses: [.init(name: "t", errorCode: .unknownTopicOrPartition)])
        #expect(adminEncode(response, apiKey: .deleteTopics, version: 0)
                == adminBytes([0x00, 0x00, 0x00, 0x01], [0x00, 0x01, 0x74], [0x00, 0x03]))
        // v5 response: throttle, compact, error_message null.
        #expect(adminEncode(response, apiKey: .deleteTopics, version: 5)
                == adminBytes([0x00, 0x00, 0x00, 0x00], [0x02], [0x02, 0x74], [0x00, 0x03], [0x00], [0x00], [0x00]))
    }

    @Test func describeConfigsRequestV0V4() {
        let request = DescribeConfigsRequest(resources: [.init(resourceType: 2, resourceName: "t", configurationKeys: nil)])
        #expect(adminEncode(request, apiKey: .describeConfigs, version: 0)
                == adminBytes([0x00, 0x00, 0x00, 0x01], [0x02], [0x00, 0x01, 0x74], [0xFF, 0xFF, 0xFF, 0xFF]))
        #expect(adminEncode(request, apiKey: .describeConfigs, version: 4)
                == adminBytes([0x02], [0x02], [0x02, 0x74], [0x00], [0x00], [0x00], [0x00], [0x00]))
    }

    static let oneConfig = DescribeConfigsResponse(results: [.init(resourceType: 2, resourceName: "t", configs: [
        .init(name: "a", value: "b", isDefault: true, configSource: 5, configType: 2),
    ])])

    @Test func describeConfigsResponseV0() {
        let expected = adminBytes(
            [0x00, 0x00, 0x00, 0x00], [0x00, 0x00, 0x00, 0x01],         // throttle, results: 1
            [0x00, 0x00], [0xFF, 0xFF], [0x02], [0x00, 0x01, 0x74],     // error, message null, type topic, name
            [0x00, 0x00, 0x00, 0x01], [0x00, 0x01, 0x61], [0x00, 0x01, 0x62], // configs: 1, name, value
            [0x00], [0x01], [0x00])                                     // read_only, is_default, is_sensitive
        #expect(adminEncode(Self.oneConfig, apiKey: .describeConfigs, version: 0) == expected)
    }

    @Test func describeConfigsResponseV4() {
        let expected = adminBytes(
            [0x00, 0x00, 0x00, 0x00], [0x02],                           // throttle, results: 1
            [0x00, 0x00], [0x00], [0x02], [0x02, 0x74],                 // error, message null, type, name
            [0x02], [0x02, 0x61], [0x02, 0x62],                         // configs: 1, name, value
            [0x00], [0x05], [0x00], [0x01],                             // read_only, config_source, sensitive, synonyms []
            [0x02], [0x00], [0x00],                                     // config_type, documentation null, tags
            [0x00], [0x00])                                             // result tags, tags
        #expect(adminEncode(Self.oneConfig, apiKey: .describeConfigs, version: 4) == expected)
    }
}

// MARK: - Headers and frames

@Suite("AdminMessages headers")
struct AdminMessagesHeaderTests {
    /// Encodes a frame and checks the header version (v1 below `firstFlexible`, v2 with its tag
    /// byte from there on), then decodes header and body back.
    func checkRequest<R: KafkaRequest & Equatable>(_ request: R, version: Int16, headerV2: Bool) throws {
        let frame = FrameCodec.encodeRequest(request, version: version, correlationId: 42, clientId: "cli")
        let body = adminEncode(request, apiKey: R.apiKey, version: version)
        let header = adminBytes([0x00, UInt8(R.apiKey.rawValue)], [0x00, UInt8(version)], [0x00, 0x00, 0x00, 42],
                                [0x00, 0x03], adminUTF8("cli"), headerV2 ? [0x00] : [])
        let length = header.count + body.count
        #expect(frame == adminBytes([0x00, 0x00, UInt8(length >> 8), UInt8(length & 0xFF)], header, body))

        let (decodedHeader, bodyReader) = try RequestHeader.decode(Array(frame.dropFirst(4)))
        #expect(decodedHeader == RequestHeader(apiKey: R.apiKey, apiVersion: version, correlationId: 42, clientId: "cli"))
        #expect(bodyReader.flexible == headerV2)
        var reader = bodyReader
        let decoded = try FrameCodec.decodeRequest(R.self, from: &reader, version: version)
        #expect(decoded == request)
        #expect(reader.remaining == 0)
    }

    /// Response frames: header v0 (correlation id only) or v1 (+ tag byte).
    func checkResponse<M: ProtocolMessage & Equatable>(_ response: M, apiKey: ApiKey, version: Int16, headerV1: Bool) throws {
        let segments = FrameCodec.encodeResponse(response, apiKey: apiKey, version: version, correlationId: 7)
        var frame: [UInt8] = []
        for segment in segments { if case .bytes(let bytes) = segment { frame += bytes } }
        let body = adminEncode(response, apiKey: apiKey, version: version)
        let header: [UInt8] = headerV1 ? [0x00, 0x00, 0x00, 0x07, 0x00] : [0x00, 0x00, 0x00, 0x07]
        let length = header.count + body.count
        #expect(frame == adminBytes([0x00, 0x00, UInt8(length >> 8), UInt8(length & 0xFF)], header, body))
        let (correlationId, decoded) = try FrameCodec.decodeResponse(Array(frame.dropFirst(4)), as: M.self, apiKey: apiKey, version: version)
        #expect(correlationId == 7)
        #expect(decoded == response)
    }

    @Test func metadataHeaders() throws {
        try checkRequest(AdminSamples.metadataRequest(at: 8), version: 8, headerV2: false)
        try checkRequest(AdminSamples.metadataRequest(at: 9), version: 9, headerV2: true)
        try checkResponse(AdminSamples.metadataResponse(at: 8), apiKey: .metadata, version: 8, headerV1: false)
        try checkResponse(AdminSamples.metadataResponse(at: 9), apiKey: .metadata, version: 9, headerV1: true)
    }

    @Test func createTopicsHeaders() throws {
        try checkRequest(AdminSamples.createTopicsRequest(at: 4), version: 4, headerV2: false)
        try checkRequest(AdminSamples.createTopicsRequest(at: 5), version: 5, headerV2: true)
        try checkResponse(AdminSamples.createTopicsResponse(at: 4), apiKey: .createTopics, version: 4, headerV1: false)
        try checkResponse(AdminSamples.createTopicsResponse(at: 5), apiKey: .createTopics, version: 5, headerV1: true)
    }

    @Test func deleteTopicsHeaders() throws {
        try checkRequest(AdminSamples.deleteTopicsRequest(at: 3), version: 3, headerV2: false)
        try checkRequest(AdminSamples.deleteTopicsRequest(at: 4), version: 4, headerV2: true)
        try checkResponse(AdminSamples.deleteTopicsResponse(at: 3), apiKey: .deleteTopics, version: 3, headerV1: false)
        try checkResponse(AdminSamples.deleteTopicsResponse(at: 4), apiKey: .deleteTopics, version: 4, headerV1: true)
    }

    @Test func describeConfigsHeaders() throws {
        try checkRequest(AdminSamples.describeConfigsRequest(at: 3), version: 3, headerV2: false)
        try checkRequest(AdminSamples.describeConfigsRequest(at: 4), version: 4, headerV2: true)
        try checkResponse(AdminSamples.describeConfigsResponse(at: 3), apiKey: .describeConfigs, version: 3, headerV1: false)
        try checkResponse(AdminSamples.describeConfigsResponse(at: 4), apiKey: .describeConfigs, version: 4, headerV1: true)
    }

    @Test func headerVersionRuleAcrossRanges() {
        for (key, versions, firstFlexible) in [(ApiKey.metadata, AdminSamples.metadataVersions, Int16(9)),
                                               (.createTopics, AdminSamples.createTopicsVersions, 5),
                                               (.deleteTopics, AdminSamples.deleteTopicsVersions, 4),
                                               (.describeConfigs, AdminSamples.describeConfigsVersions, 4)] {
            for version in versions {
                #expect(key.requestHeaderVersion(version) == (version >= firstFlexible ? 2 : 1))
                #expect(key.responseHeaderVersion(version) == (version >= firstFlexible ? 1 : 0))
            }
        }
    }
}

// MARK: - Malformed input

@Suite("AdminMessages malformed input")
struct AdminMessagesMalformedTests {
    @Test("Every truncation of a valid encoding throws")
    func truncations() {
        for v in AdminSamples.metadataVersions {
            adminCheckTruncations(MetadataRequest.self, adminEncode(AdminSamples.fullMetadataRequest, apiKey: .metadata, version: v), apiKey: .metadata, version: v)
            adminCheckTruncations(MetadataResponse.self, adminEncode(AdminSamples.fullMetadataResponse, apiKey: .metadata, version: v), apiKey: .metadata, version: v)
        }
        for v in AdminSamples.createTopicsVersions {
            adminCheckTruncations(CreateTopicsRequest.self, adminEncode(AdminSamples.fullCreateTopicsRequest, apiKey: .createTopics, version: v), apiKey: .createTopics, version: v)
            adminCheckTruncations(CreateTopicsResponse.self, adminEncode(AdminSamples.fullCreateTopicsResponse, apiKey: .createTopics, version: v), apiKey: .createTopics, version: v)
        }
        for v in AdminSamples.deleteTopicsVersions {
            adminCheckTruncations(DeleteTopicsRequest.self, adminEncode(AdminSamples.fullDeleteTopicsRequest, apiKey: .deleteTopics, version: v), apiKey: .deleteTopics, version: v)
            adminCheckTruncations(DeleteTopicsResponse.self, adminEncode(AdminSamples.fullDeleteTopicsResponse, apiKey: .deleteTopics, version: v), apiKey: .deleteTopics, version: v)
        }
        for v in AdminSamples.describeConfigsVersions {
            adminCheckTruncations(DescribeConfigsRequest.self, adminEncode(AdminSamples.fullDescribeConfigsRequest, apiKey: .describeConfigs, version: v), apiKey: .describeConfigs, version: v)
            adminCheckTruncations(DescribeConfigsResponse.self, adminEncode(AdminSamples.fullDescribeConfigsResponse, apiKey: .describeConfigs, version: v), apiKey: .describeConfigs, version: v)
        }
    }

    /// A count of 1_000_000_000 followed by a few bytes must be rejected before any allocation.
    @Test("Huge array counts throw invalidLength quickly")
    func hugeCounts() {
        let classic: [UInt8] = [0x3B, 0x9A, 0xCA, 0x00]   // INT32 1_000_000_000
        let compact = adminUVarint(1_000_000_001)          // COMPACT_ARRAY count + 1
        let tail: [UInt8] = [0x00, 0x01, 0x74, 0x00, 0x00]
        let huge = ProtocolError.invalidLength(field: "topics", value: 1_000_000_000)
        let start = ContinuousClock.now
        for _ in 0..<1000 {
            #expect(throws: huge) { _ = try adminDecode(MetadataRequest.self, classic + tail, apiKey: .metadata, version: 1) }
            #expect(throws: huge) { _ = try adminDecode(MetadataRequest.self, compact + tail, apiKey: .metadata, version: 9) }
            #expect(throws: huge) { _ = try adminDecode(CreateTopicsRequest.self, classic + tail, apiKey: .createTopics, version: 0) }
            #expect(throws: huge) { _ = try adminDecode(CreateTopicsRequest.self, compact + tail, apiKey: .createTopics, version: 5) }
            #expect(throws: huge) { _ = try adminDecode(DeleteTopicsRequest.self, compact + tail, apiKey: .deleteTopics, version: 6) }
        }
        #expect(ContinuousClock.now - start < .seconds(5))
        let names = ProtocolError.invalidLength(field: "topic_names", value: 1_000_000_000)
        #expect(throws: names) { _ = try adminDecode(DeleteTopicsRequest.self, classic + tail, apiKey: .deleteTopics, version: 0) }
        let resources = ProtocolError.invalidLength(field: "resources", value: 1_000_000_000)
        #expect(throws: resources) { _ = try adminDecode(DescribeConfigsRequest.self, classic + tail, apiKey: .describeConfigs, version: 0) }
        #expect(throws: resources) { _ = try adminDecode(DescribeConfigsRequest.self, compact + tail, apiKey: .describeConfigs, version: 4) }
        // Responses, and nested arrays (replica list inside a partition).
        let brokers = ProtocolError.invalidLength(field: "brokers", value: 1_000_000_000)
        #expect(throws: brokers) { _ = try adminDecode(MetadataResponse.self, classic + tail, apiKey: .metadata, version: 0) }
        let results = ProtocolError.invalidLength(field: "results", value: 1_000_000_000)
        #expect(throws: results) { _ = try adminDecode(DescribeConfigsResponse.self, [0, 0, 0, 0] + classic + tail, apiKey: .describeConfigs, version: 0) }
        let nested = adminBytes(
            [0x00, 0x00, 0x00, 0x00], [0x01], [0x00], [0x00, 0x00, 0x00, 0x01], // throttle, brokers [], cluster null, controller
            [0x02], [0x00, 0x00], [0x02, 0x74], [0x00],                         // topics: 1, error, name, is_internal
            [0x02], [0x00, 0x00], [0, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0],      // partitions: 1, error, index, leader, epoch
            compact, tail)                                                      // replica_nodes count 1e9
        let replicas = ProtocolError.invalidLength(field: "replica_nodes", value: 1_000_000_000)
        #expect(throws: replicas) { _ = try adminDecode(MetadataResponse.self, nested, apiKey: .metadata, version: 9) }
        // Negative counts other than -1 are invalid too; null where not nullable is invalid.
        #expect(throws: ProtocolError.invalidLength(field: "topics", value: -2)) {
            _ = try adminDecode(MetadataRequest.self, [0xFF, 0xFF, 0xFF, 0xFE], apiKey: .metadata, version: 1)
        }
        #expect(throws: ProtocolError.self) { _ = try adminDecode(MetadataRequest.self, [0xFF, 0xFF, 0xFF, 0xFF], apiKey: .metadata, version: 0) }
        #expect(throws: ProtocolError.self) { _ = try adminDecode(CreateTopicsResponse.self, [0x00], apiKey: .createTopics, version: 5) }
    }

    static let everyDecoder: [(name: String, versions: ClosedRange<Int16>, run: @Sendable ([UInt8], Int16) -> Bool)] = [
        ("MetadataRequest", AdminSamples.metadataVersions, { adminFuzzDecode(MetadataRequest.self, $0, apiKey: .metadata, version: $1) }),
        ("MetadataResponse", AdminSamples.metadataVersions, { adminFuzzDecode(MetadataResponse.self, $0, apiKey: .metadata, version: $1) }),
        ("CreateTopicsRequest", AdminSamples.createTopicsVersions, { adminFuzzDecode(CreateTopicsRequest.self, $0, apiKey: .createTopics, version: $1) }),
        ("CreateTopicsResponse", AdminSamples.createTopicsVersions, { adminFuzzDecode(CreateTopicsResponse.self, $0, apiKey: .createTopics, version: $1) }),
        ("DeleteTopicsRequest", AdminSamples.deleteTopicsVersions, { adminFuzzDecode(DeleteTopicsRequest.self, $0, apiKey: .deleteTopics, version: $1) }),
        ("DeleteTopicsResponse", AdminSamples.deleteTopicsVersions, { adminFuzzDecode(DeleteTopicsResponse.self, $0, apiKey: .deleteTopics, version: $1) }),
        ("DescribeConfigsRequest", AdminSamples.describeConfigsVersions, { adminFuzzDecode(DescribeConfigsRequest.self, $0, apiKey: .describeConfigs, version: $1) }),
        ("DescribeConfigsResponse", AdminSamples.describeConfigsVersions, { adminFuzzDecode(DescribeConfigsResponse.self, $0, apiKey: .describeConfigs, version: $1) }),
    ]

    @Test("Random garbage never crashes any decoder at any version", arguments: 0..<8)
    func garbage(decoderIndex: Int) {
        let decoder = Self.everyDecoder[decoderIndex]
        for seed in 0..<400 as Range<UInt64> {
            var rng = TestRNG(seed: seed &* 7919 &+ UInt64(decoderIndex))
            for version in decoder.versions {
                _ = decoder.run(rng.garbage(maxCount: 96), version)
            }
        }
    }

    @Test("Mutated valid encodings never crash and re-encode stably")
    func mutations() {
        let valid: [(Int, ClosedRange<Int16>, (Int16) -> [UInt8])] = [
            (0, AdminSamples.metadataVersions, { adminEncode(AdminSamples.fullMetadataRequest, apiKey: .metadata, version: $0) }),
            (1, AdminSamples.metadataVersions, { adminEncode(AdminSamples.fullMetadataResponse, apiKey: .metadata, version: $0) }),
            (2, AdminSamples.createTopicsVersions, { adminEncode(AdminSamples.fullCreateTopicsRequest, apiKey: .createTopics, version: $0) }),
            (3, AdminSamples.createTopicsVersions, { adminEncode(AdminSamples.fullCreateTopicsResponse, apiKey: .createTopics, version: $0) }),
            (4, AdminSamples.deleteTopicsVersions, { adminEncode(AdminSamples.fullDeleteTopicsRequest, apiKey: .deleteTopics, version: $0) }),
            (5, AdminSamples.deleteTopicsVersions, { adminEncode(AdminSamples.fullDeleteTopicsResponse, apiKey: .deleteTopics, version: $0) }),
            (6, AdminSamples.describeConfigsVersions, { adminEncode(AdminSamples.fullDescribeConfigsRequest, apiKey: .describeConfigs, version: $0) }),
            (7, AdminSamples.describeConfigsVersions, { adminEncode(AdminSamples.fullDescribeConfigsResponse, apiKey: .describeConfigs, version: $0) }),
        ]
        var rng = TestRNG(seed: 0xC0FFEE)
        var decodedCount = 0
        for (index, versions, encode) in valid {
            for version in versions {
                let original = encode(version)
                for _ in 0..<150 {
                    var bytes = original
                    for _ in 0..<Int.random(in: 1...3, using: &rng) {
                        let position = Int.random(in: 0..<bytes.count, using: &rng)
                        bytes[position] = UInt8.random(in: 0...255, using: &rng)
                    }
                    if Self.everyDecoder[index].run(bytes, version) { decodedCount += 1 }
                }
            }
        }
        #expect(decodedCount > 0)
    }
}
