import KafkaProtocol
import Testing

// Helpers for DataMessagesTests (Produce, Fetch, ListOffsets). Names are prefixed so they do not
// clash with helpers other test files in this module may define.

/// Fully populated sample values (every field non-default, including fields that only exist
/// in some versions) and projections that reset the fields a version does not carry.
enum DataSamples {
    static let uuid: [UInt8] = Array(1...16)
    static let blob: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x42]

    // MARK: Produce

    static func produceRequest(nulls: Bool = false) -> ProduceRequest {
        ProduceRequest(
            transactionalId: nulls ? nil : "txn-1", acks: -1, timeoutMs: 30_000,
            topicData: [
                .init(name: "orders", partitionData: [
                    .init(index: 0, records: .inline(blob)),
                    .init(index: 3, records: nulls ? nil : .inline([])),
                ]),
                .init(name: "é-topic", partitionData: []),
            ])
    }

    static func project(_ value: ProduceRequest, _ version: Int16) -> ProduceRequest {
        var value = value
        if version < 3 { value.transactionalId = nil }
        return value
    }

    static func produceResponse(nulls: Bool = false) -> ProduceResponse {
        ProduceResponse(
            responses: [
                .init(name: "orders", partitionResponses: [
                    .init(index: 0, errorCode: .none, baseOffset: 1234, logAppendTimeMs: 1_700_000_000_000, logStartOffset: 17,
                          recordErrors: nulls ? [] : [.init(batchIndex: 2, batchIndexErrorMessage: "bad"), .init(batchIndex: 5)],
                          errorMessage: nulls ? nil : "dropped"),
                    .init(index: 1, errorCode: .notLeaderOrFollower, baseOffset: -1),
                ]),
                .init(name: "x", partitionResponses: []),
            ],
            throttleTimeMs: 250)
    }

    static func project(_ value: ProduceResponse, _ version: Int16) -> ProduceResponse {
        var value = value
        if version < 1 { value.throttleTimeMs = 0 }
        for t in value.responses.indices {
            for p in value.responses[t].partitionResponses.indices {
                if version < 2 { value.responses[t].partitionResponses[p].logAppendTimeMs = -1 }
                if version < 5 { value.responses[t].partitionResponses[p].logStartOffset = -1 }
                if version < 8 {
                    value.responses[t].partitionResponses[p].recordErrors = []
                    value.responses[t].partitionResponses[p].errorMessage = nil
                }
            }
        }
        return value
    }

    // MARK: Fetch

    static func fetchRequest(nulls: Bool = false) -> FetchRequest {
        FetchRequest(
            clusterId: nulls ? nil : "cluster-A", replicaId: -1,
            maxWaitMs: 500, minBytes: 1, maxBytes: 52_428_800, isolationLevel: 1, sessionId: 77, sessionEpoch: 4,
            topics: [
                .init(topic: "orders", partitions: [
                    .init(partition: 0, currentLeaderEpoch: 6, fetchOffset: 100, lastFetchedEpoch: 5, logStartOffset: 2,
                          partitionMaxBytes: 1_048_576),
                    .init(partition: 2, currentLeaderEpoch: 0, fetchOffset: 0, lastFetchedEpoch: 1, logStartOffset: 0,
                          partitionMaxBytes: 1),
                ]),
                .init(topic: "t2", partitions: []),
            ],
            forgottenTopicsData: nulls ? [] : [.init(topic: "old", partitions: [1, 2, 3])],
            rackId: "rack-1")
    }

    static func project(_ value: FetchRequest, _ version: Int16) -> FetchRequest {
        var value = value
        if version < 12 { value.clusterId = nil }
        if version < 7 {
            value.sessionId = 0
            value.sessionEpoch = -1
            value.forgottenTopicsData = []
        }
        if version < 11 { value.rackId = "" }
        for t in value.topics.indices {
            for p in value.topics[t].partitions.indices {
                if version < 9 { value.topics[t].partitions[p].currentLeaderEpoch = -1 }
                if version < 12 { value.topics[t].partitions[p].lastFetchedEpoch = -1 }
                if version < 5 { value.topics[t].partitions[p].logStartOffset = -1 }
            }
        }
        return value
    }

    static func fetchResponse(nulls: Bool = false) -> FetchResponse {
        FetchResponse(
            throttleTimeMs: 10, errorCode: .none, sessionId: 77,
            responses: [
                .init(topic: "orders", partitions: [
                    .init(partitionIndex: 0, errorCode: .none, highWatermark: 120, lastStableOffset: 118, logStartOffset: 3,
                          divergingEpoch: nulls ? nil : .init(epoch: 4, endOffset: 90),
                          currentLeader: .init(leaderId: 1, leaderEpoch: 6),
                          snapshotId: nulls ? nil : .init(endOffset: 80, epoch: 2),
                          abortedTransactions: nulls ? nil : [.init(producerId: 9000, firstOffset: 101)],
                          preferredReadReplica: 2, records: .inline(blob)),
                    .init(partitionIndex: 1, errorCode: .offsetOutOfRange, highWatermark: 5, lastStableOffset: 5,
                          logStartOffset: 0, abortedTransactions: [], records: nulls ? nil : .inline([])),
                ]),
                .init(topic: "empty", partitions: []),
            ])
    }

    static func project(_ value: FetchResponse, _ version: Int16) -> FetchResponse {
        var value = value
        if version < 7 {
            value.errorCode = .none
            value.sessionId = 0
        }
        for t in value.responses.indices {
            for p in value.responses[t].partitions.indices {
                if version < 5 { value.responses[t].partitions[p].logStartOffset = -1 }
                if version < 11 { value.responses[t].partitions[p].preferredReadReplica = -1 }
                if version < 12 {
                    value.responses[t].partitions[p].divergingEpoch = nil
                    value.responses[t].partitions[p].currentLeader = nil
                    value.responses[t].partitions[p].snapshotId = nil
                }
            }
        }
        return value
    }

    // MARK: ListOffsets

    static func listOffsetsRequest() -> ListOffsetsRequest {
        ListOffsetsRequest(
            replicaId: -1, isolationLevel: 1,
            topics: [
                .init(name: "orders", partitions: [
                    .init(partitionIndex: 0, currentLeaderEpoch: 7, timestamp: ListOffsetsRequest.earliestTimestamp, maxNumOffsets: 5),
                    .init(partitionIndex: 1, currentLeaderEpoch: 0, timestamp: 1_700_000_000_000, maxNumOffsets: 2),
                    .init(partitionIndex: 2, currentLeaderEpoch: 1, timestamp: ListOffsetsRequest.maxTimestamp, maxNumOffsets: 1),
                ]),
                .init(name: "t2", partitions: []),
            ])
    }

    static func project(_ value: ListOffsetsRequest, _ version: Int16) -> ListOffsetsRequest {
        var value = value
        if version < 2 { value.isolationLevel = 0 }
        for t in value.topics.indices {
            for p in value.topics[t].partitions.indices {
                if version < 4 { value.topics[t].partitions[p].currentLeaderEpoch = -1 }
                if version != 0 { value.topics[t].partitions[p].maxNumOffsets = 1 }
            }
        }
        return value
    }

    static func listOffsetsResponse() -> ListOffsetsResponse {
        ListOffsetsResponse(
            throttleTimeMs: 5,
            topics: [
                .init(name: "orders", partitions: [
                    .init(partitionIndex: 0, errorCode: .none, oldStyleOffsets: [42, 0], timestamp: 1_700_000_000_000, offset: 42,
                          leaderEpoch: 3),
                    .init(partitionIndex: 9, errorCode: .unknownTopicOrPartition, oldStyleOffsets: [], timestamp: -1, offset: -1,
                          leaderEpoch: 0),
                ]),
                .init(name: "t2", partitions: []),
            ])
    }

    static func project(_ value: ListOffsetsResponse, _ version: Int16) -> ListOffsetsResponse {
        var value = value
        if version < 2 { value.throttleTimeMs = 0 }
        for t in value.topics.indices {
            for p in value.topics[t].partitions.indices {
                if version == 0 {
                    value.topics[t].partitions[p].timestamp = -1
                    value.topics[t].partitions[p].offset = -1
                } else {
                    value.topics[t].partitions[p].oldStyleOffsets = []
                }
                if version < 4 { value.topics[t].partitions[p].leaderEpoch = -1 }
            }
        }
        return value
    }
}

/// Every type under test with its versions, as "decode these bytes" closures (for fuzzing),
/// and a valid encoding of its sample at a version (for truncation and mutation).
struct DataCodecCase: Sendable, CustomStringConvertible {
    let name: String
    let apiKey: ApiKey
    let versions: ClosedRange<Int16>
    let decode: @Sendable ([UInt8], Int16) throws -> Void
    let sample: @Sendable (Int16) -> [UInt8]

    var description: String { name }

    static func make<M: ProtocolMessage>(_ type: M.Type, _ apiKey: ApiKey, _ versions: ClosedRange<Int16>,
                                         _ sample: @escaping @Sendable () -> M) -> DataCodecCase {
        DataCodecCase(
            name: "\(M.self)", apiKey: apiKey, versions: versions,
            decode: { bytes, version in
                var reader = ProtocolReader(bytes, flexible: apiKey.isFlexible(version))
                _ = try M(from: &reader, version: version)
            },
            sample: { version in encodeBody(sample(), apiKey, version) })
    }

    static let all: [DataCodecCase] = [
        make(ProduceRequest.self, .produce, 0...9) { DataSamples.produceRequest() },
        make(ProduceResponse.self, .produce, 0...9) { DataSamples.produceResponse() },
        make(FetchRequest.self, .fetch, 4...12) { DataSamples.fetchRequest() },
        make(FetchResponse.self, .fetch, 4...12) { DataSamples.fetchResponse() },
        make(ListOffsetsRequest.self, .listOffsets, 0...7) { DataSamples.listOffsetsRequest() },
        make(ListOffsetsResponse.self, .listOffsets, 0...7) { DataSamples.listOffsetsResponse() },
    ]
}
