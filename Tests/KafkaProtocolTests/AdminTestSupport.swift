import KafkaProtocol
import Testing

// Helpers for AdminMessagesTests (Metadata, CreateTopics, DeleteTopics, DescribeConfigs).
// Names carry an `admin` prefix so they cannot collide with other test files in this target.

/// Encodes `message` at `version` with the encoding `apiKey` prescribes for that version.
func adminEncode(_ message: some ProtocolMessage, apiKey: ApiKey, version: Int16) -> [UInt8] {
    var writer = ProtocolWriter(flexible: apiKey.isFlexible(version))
    message.encode(to: &writer, version: version)
    return writer.encoded
}

/// Decodes `bytes` as `type` at `version`; returns the value and the bytes left unread.
func adminDecode<M: ProtocolMessage>(_ type: M.Type, _ bytes: [UInt8], apiKey: ApiKey, version: Int16) throws(ProtocolError) -> (value: M, remaining: Int) {
    var reader = ProtocolReader(bytes, flexible: apiKey.isFlexible(version))
    let value = try M(from: &reader, version: version)
    return (value, reader.remaining)
}

/// Checks, at `version`: encoding `full` writes exactly the bytes of `expected` (fields the
/// version lacks are not written), and decoding them gives back `expected`, consuming all bytes.
func adminCheckRoundTrip<M: ProtocolMessage & Equatable>(full: M, expected: M, apiKey: ApiKey, version: Int16,
                                                        sourceLocation: SourceLocation = #_sourceLocation) throws {
    let fullBytes = adminEncode(full, apiKey: apiKey, version: version)
    let expectedBytes = adminEncode(expected, apiKey: apiKey, version: version)
    #expect(fullBytes == expectedBytes, "v\(version): fields outside the version were written", sourceLocation: sourceLocation)
    let (decoded, remaining) = try adminDecode(M.self, fullBytes, apiKey: apiKey, version: version)
    #expect(decoded == expected, "v\(version) round trip", sourceLocation: sourceLocation)
    #expect(remaining == 0, "v\(version): \(remaining) bytes left unread", sourceLocation: sourceLocation)
}

/// Every strict prefix of `bytes` must fail to decode (and never crash).
func adminCheckTruncations<M: ProtocolMessage>(_ type: M.Type, _ bytes: [UInt8], apiKey: ApiKey, version: Int16,
                                               sourceLocation: SourceLocation = #_sourceLocation) {
    for length in 0..<bytes.count {
        let prefix = Array(bytes[0..<length])
        #expect(throws: ProtocolError.self, "v\(version) prefix \(length)/\(bytes.count)", sourceLocation: sourceLocation) {
            _ = try adminDecode(M.self, prefix, apiKey: apiKey, version: version)
        }
    }
}

/// Decodes arbitrary bytes; when that succeeds, re-encoding and decoding again must be stable.
/// Returns whether the decode succeeded.
@discardableResult
func adminFuzzDecode<M: ProtocolMessage & Equatable>(_ type: M.Type, _ bytes: [UInt8], apiKey: ApiKey, version: Int16,
                                                     normalize: (M) -> M = { $0 }) -> Bool {
    guard let value = (try? adminDecode(M.self, bytes, apiKey: apiKey, version: version))?.value else { return false }
    let again = adminEncode(value, apiKey: apiKey, version: version)
    let redecoded = try? adminDecode(M.self, again, apiKey: apiKey, version: version)
    #expect(redecoded?.value == normalize(value), "v\(version): re-encoding a decoded value is not stable")
    #expect(redecoded?.remaining == 0)
    return true
}

/// A 16-byte UUID filled from `seed` (never all zero for seed > 0).
func adminUUID(_ seed: UInt8) -> [UInt8] {
    (0..<16).map { UInt8(truncatingIfNeeded: Int(seed) &* 31 &+ $0 &* 7) | (($0 == 0) ? 1 : 0) }
}

/// The all-zero UUID ("no topic id").
let adminZeroUUID = [UInt8](repeating: 0, count: 16)

/// Concatenates hand-written byte groups (one group per wire field keeps golden vectors readable).
func adminBytes(_ parts: [UInt8]...) -> [UInt8] {
    parts.flatMap { $0 }
}

/// UTF-8 bytes of a string literal, for golden vectors.
func adminUTF8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// UNSIGNED_VARINT encoding (LEB128), for hand-built compact lengths.
func adminUVarint(_ value: UInt32) -> [UInt8] {
    var value = value
    var out: [UInt8] = []
    while value >= 0x80 {
        out.append(UInt8(value & 0x7F) | 0x80)
        value >>= 7
    }
    out.append(UInt8(value))
    return out
}

// MARK: - Fully populated samples and their per-version projections

/// Fully populated messages (`full*`) and the value each version can carry (`*(at:)`: fields the
/// version lacks reset to their defaults).
enum AdminSamples {
    static let metadataVersions: ClosedRange<Int16> = 0...12
    static let createTopicsVersions: ClosedRange<Int16> = 0...7
    static let deleteTopicsVersions: ClosedRange<Int16> = 0...6
    static let describeConfigsVersions: ClosedRange<Int16> = 0...4

    // Metadata

    static let fullMetadataRequest = MetadataRequest(
        topics: [.init(topicId: adminUUID(1), name: "orders"), .init(topicId: adminUUID(2), name: "payments")],
        allowAutoTopicCreation: false, includeClusterAuthorizedOperations: true, includeTopicAuthorizedOperations: true)

    static func metadataRequest(at v: Int16) -> MetadataRequest {
        var r = fullMetadataRequest
        if v < 10 { r.topics = r.topics?.map { .init(name: $0.name) } }
        if v < 4 { r.allowAutoTopicCreation = true }
        if !(8...10).contains(v) { r.includeClusterAuthorizedOperations = false }
        if v < 8 { r.includeTopicAuthorizedOperations = false }
        return r
    }

    static let fullMetadataResponse = MetadataResponse(
        throttleTimeMs: 25,
        brokers: [.init(nodeId: 1, host: "broker-1", port: 9092, rack: "rack-a"), .init(nodeId: 2, host: "b2", port: 9093, rack: nil)],
        clusterId: "cluster-xyz", controllerId: 1,
        topics: [
            .init(errorCode: .none, name: "orders", topicId: adminUUID(3), isInternal: true, partitions: [
                .init(errorCode: .none, partitionIndex: 0, leaderId: 1, leaderEpoch: 7, replicaNodes: [1, 2], isrNodes: [1], offlineReplicas: [2]),
                .init(errorCode: .leaderNotAvailable, partitionIndex: 1, leaderId: -1, leaderEpoch: 3, replicaNodes: [2], isrNodes: [], offlineReplicas: []),
            ], topicAuthorizedOperations: 0x0F),
            .init(errorCode: .unknownTopicOrPartition, name: "missing", topicId: adminUUID(4), isInternal: false, partitions: [],
                  topicAuthorizedOperations: 0x1F),
        ],
        clusterAuthorizedOperations: 0x3F)

    static func metadataResponse(at v: Int16) -> MetadataResponse {
        var r = fullMetadataResponse
        if v < 3 { r.throttleTimeMs = 0 }
        if v < 1 { r.brokers = r.brokers.map { var b = $0; b.rack = nil; return b } }
        if v < 2 { r.clusterId = nil }
        if v < 1 { r.controllerId = -1 }
        r.topics = r.topics.map { topic in
            var t = topic
            if v < 10 { t.topicId = adminZeroUUID }
            if v < 1 { t.isInternal = false }
            if v < 8 { t.topicAuthorizedOperations = Int32.min }
            t.partitions = t.partitions.map { partition in
                var p = partition
                if v < 7 { p.leaderEpoch = -1 }
                if v < 5 { p.offlineReplicas = [] }
                return p
            }
            return t
        }
        if !(8...10).contains(v) { r.clusterAuthorizedOperations = Int32.min }
        return r
    }

    // CreateTopics

    static let fullCreateTopicsRequest = CreateTopicsRequest(
        topics: [
            .init(name: "orders", numPartitions: 3, replicationFactor: 1, assignments: [],
                  configs: [.init(name: "cleanup.policy", value: "compact"), .init(name: "retention.ms", value: nil)]),
            .init(name: "manual", numPartitions: -1, replicationFactor: -1,
                  assignments: [.init(partitionIndex: 0, brokerIds: [1]), .init(partitionIndex: 1, brokerIds: [1, 2])], configs: []),
        ],
        timeoutMs: 30000, validateOnly: true)

    static func createTopicsRequest(at v: Int16) -> CreateTopicsRequest {
        var r = fullCreateTopicsRequest
        if v < 1 { r.validateOnly = false }
        return r
    }

    static let fullCreateTopicsResponse = CreateTopicsResponse(
        throttleTimeMs: 10,
        topics: [
            .init(name: "orders", topicId: adminUUID(5), errorCode: .none, errorMessage: "fine", numPartitions: 3, replicationFactor: 1,
                  configs: [.init(name: "cleanup.policy", value: "compact", readOnly: false, configSource: 1, isSensitive: false),
                            .init(name: "secret", value: nil, readOnly: true, configSource: 5, isSensitive: true)]),
            .init(name: "dup", topicId: adminUUID(6), errorCode: .topicAlreadyExists, errorMessage: "exists",
                  numPartitions: -1, replicationFactor: -1, configs: nil),
            .init(name: "empty", topicId: adminUUID(7), errorCode: .none, errorMessage: nil, numPartitions: 1, replicationFactor: 1, configs: []),
        ])

    static func createTopicsResponse(at v: Int16) -> CreateTopicsResponse {
        var r = fullCreateTopicsResponse
        if v < 2 { r.throttleTimeMs = 0 }
        r.topics = r.topics.map { topic in
            var t = topic
            if v < 7 { t.topicId = adminZeroUUID }
            if v < 1 { t.errorMessage = nil }
            if v < 5 { t.numPartitions = -1; t.replicationFactor = -1; t.configs = nil }
            return t
        }
        return r
    }

    // DeleteTopics

    static let fullDeleteTopicsRequest = DeleteTopicsRequest(
        topics: [.init(name: "orders", topicId: adminZeroUUID), .init(name: nil, topicId: adminUUID(8))],
        topicNames: ["orders", "payments"], timeoutMs: 15000)

    static func deleteTopicsRequest(at v: Int16) -> DeleteTopicsRequest {
        var r = fullDeleteTopicsRequest
        if v < 6 { r.topics = [] } else { r.topicNames = [] }
        return r
    }

    static let fullDeleteTopicsResponse = DeleteTopicsResponse(
        throttleTimeMs: 5,
        responses: [.init(name: "orders", topicId: adminUUID(9), errorCode: .none, errorMessage: nil),
                    .init(name: "payments", topicId: adminUUID(10), errorCode: .unknownTopicOrPartition, errorMessage: "no such topic")])

    static func deleteTopicsResponse(at v: Int16) -> DeleteTopicsResponse {
        var r = fullDeleteTopicsResponse
        if v < 1 { r.throttleTimeMs = 0 }
        r.responses = r.responses.map { result in
            var t = result
            if v < 6 { t.topicId = adminZeroUUID }
            if v < 5 { t.errorMessage = nil }
            return t
        }
        return r
    }

    // DescribeConfigs

    static let fullDescribeConfigsRequest = DescribeConfigsRequest(
        resources: [.init(resourceType: 2, resourceName: "orders", configurationKeys: ["cleanup.policy", "retention.ms"]),
                    .init(resourceType: 4, resourceName: "1", configurationKeys: nil)],
        includeSynonyms: true, includeDocumentation: true)

    static func describeConfigsRequest(at v: Int16) -> DescribeConfigsRequest {
        var r = fullDescribeConfigsRequest
        if v < 1 { r.includeSynonyms = false }
        if v < 3 { r.includeDocumentation = false }
        return r
    }

    static let fullDescribeConfigsResponse = DescribeConfigsResponse(
        throttleTimeMs: 3,
        results: [
            .init(errorCode: .none, errorMessage: nil, resourceType: 2, resourceName: "orders", configs: [
                .init(name: "cleanup.policy", value: "compact", readOnly: false, isDefault: false, configSource: 1, isSensitive: false,
                      synonyms: [.init(name: "cleanup.policy", value: "compact", source: 1), .init(name: "log.cleanup.policy", value: nil, source: 5)],
                      configType: 7, documentation: "What to do with old segments."),
                .init(name: "retention.ms", value: "604800000", readOnly: true, isDefault: true, configSource: 5, isSensitive: true,
                      synonyms: [], configType: 5, documentation: nil),
            ]),
            .init(errorCode: .unknownTopicOrPartition, errorMessage: "unknown topic", resourceType: 2, resourceName: "missing", configs: []),
        ])

    static func describeConfigsResponse(at v: Int16) -> DescribeConfigsResponse {
        var r = fullDescribeConfigsResponse
        r.results = r.results.map { result in
            var res = result
            res.configs = res.configs.map { config in
                var c = config
                if v != 0 { c.isDefault = false }
                if v < 1 { c.configSource = -1; c.synonyms = [] }
                if v < 3 { c.configType = 0; c.documentation = nil }
                return c
            }
            return res
        }
        return r
    }
}
