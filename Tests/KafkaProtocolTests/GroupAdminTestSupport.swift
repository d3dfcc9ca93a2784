import KafkaProtocol
import Testing

// Helpers for GroupAdminMessagesTests (OffsetCommit, OffsetFetch, ListGroups, DescribeGroups,
// DeleteGroups, InitProducerId). Names carry a `GroupAdmin` / `groupAdmin` prefix so they cannot
// collide with helpers of other test files in this target.

/// Fully populated sample values (every field non-default, including fields that only exist in
/// some versions) and projections that reset the fields a version does not carry.
enum GroupAdminSamples {
    static let blob: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x42]

    // MARK: OffsetCommit (0–8)

    static let offsetCommitVersions: ClosedRange<Int16> = 0...8

    static func offsetCommitRequest(nulls: Bool = false) -> OffsetCommitRequest {
        OffsetCommitRequest(
            groupId: "group-1", generationIdOrMemberEpoch: 7, memberId: "member-1",
            groupInstanceId: nulls ? nil : "instance-1", retentionTimeMs: 86_400_000,
            topics: [
                .init(name: "orders", partitions: [
                    .init(partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: 3, commitTimestamp: 1_700_000_000_000,
                          committedMetadata: nulls ? nil : "meta"),
                    .init(partitionIndex: 5, committedOffset: 0, committedLeaderEpoch: 0, commitTimestamp: 5, committedMetadata: ""),
                ]),
                .init(name: "é-topic", partitions: []),
            ])
    }

    static func project(_ value: OffsetCommitRequest, _ version: Int16) -> OffsetCommitRequest {
        var value = value
        if version < 1 {
            value.generationIdOrMemberEpoch = -1
            value.memberId = ""
        }
        if version < 7 { value.groupInstanceId = nil }
        if !(2...4).contains(version) { value.retentionTimeMs = -1 }
        for t in value.topics.indices {
            for p in value.topics[t].partitions.indices {
                if version < 6 { value.topics[t].partitions[p].committedLeaderEpoch = -1 }
                if version != 1 { value.topics[t].partitions[p].commitTimestamp = -1 }
            }
        }
        return value
    }

    static func offsetCommitResponse() -> OffsetCommitResponse {
        OffsetCommitResponse(
            throttleTimeMs: 25,
            topics: [
                .init(name: "orders", partitions: [
                    .init(partitionIndex: 0, errorCode: .none),
                    .init(partitionIndex: 5, errorCode: .illegalGeneration),
                ]),
                .init(name: "x", partitions: []),
            ])
    }

    static func project(_ value: OffsetCommitResponse, _ version: Int16) -> OffsetCommitResponse {
        var value = value
        if version < 3 { value.throttleTimeMs = 0 }
        return value
    }

    // MARK: OffsetFetch (0–7)

    static let offsetFetchVersions: ClosedRange<Int16> = 0...7

    static func offsetFetchRequest(nulls: Bool = false) -> OffsetFetchRequest {
        OffsetFetchRequest(
            groupId: "group-1",
            topics: nulls ? nil : [.init(name: "orders", partitionIndexes: [0, 1, 5]), .init(name: "t2", partitionIndexes: [])],
            requireStable: true)
    }

    static func project(_ value: OffsetFetchRequest, _ version: Int16) -> OffsetFetchRequest {
        var value = value
        if version < 2 && value.topics == nil { value.topics = [] }
        if version < 7 { value.requireStable = false }
        return value
    }

    static func offsetFetchResponse(nulls: Bool = false) -> OffsetFetchResponse {
        OffsetFetchResponse(
            throttleTimeMs: 10,
            topics: [
                .init(name: "orders", partitions: [
                    .init(partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: 3, metadata: nulls ? nil : "meta",
                          errorCode: .none),
                    .init(partitionIndex: 1, committedOffset: -1, committedLeaderEpoch: 0, metadata: nulls ? "" : nil,
                          errorCode: .unstableOffsetCommit),
                ]),
                .init(name: "t2", partitions: []),
            ],
            errorCode: .coordinatorLoadInProgress)
    }

    static func project(_ value: OffsetFetchResponse, _ version: Int16) -> OffsetFetchResponse {
        var value = value
        if version < 3 { value.throttleTimeMs = 0 }
        if version < 2 { value.errorCode = .none }
        for t in value.topics.indices {
            for p in value.topics[t].partitions.indices where version < 5 {
                value.topics[t].partitions[p].committedLeaderEpoch = -1
            }
        }
        return value
    }

    // MARK: ListGroups (0–5)

    static let listGroupsVersions: ClosedRange<Int16> = 0...5

    static func listGroupsRequest() -> ListGroupsRequest {
        ListGroupsRequest(statesFilter: ["Stable", "Empty"], typesFilter: ["classic"])
    }

    static func project(_ value: ListGroupsRequest, _ version: Int16) -> ListGroupsRequest {
        var value = value
        if version < 4 { value.statesFilter = [] }
        if version < 5 { value.typesFilter = [] }
        return value
    }

    static func listGroupsResponse() -> ListGroupsResponse {
        ListGroupsResponse(
            throttleTimeMs: 3, errorCode: .coordinatorLoadInProgress,
            groups: [
                .init(groupId: "g1", protocolType: "consumer", groupState: "Stable", groupType: "classic"),
                .init(groupId: "offsets-only", protocolType: "", groupState: "Empty", groupType: "classic"),
            ])
    }

    static func project(_ value: ListGroupsResponse, _ version: Int16) -> ListGroupsResponse {
        var value = value
        if version < 1 { value.throttleTimeMs = 0 }
        for g in value.groups.indices {
            if version < 4 { value.groups[g].groupState = "" }
            if version < 5 { value.groups[g].groupType = "" }
        }
        return value
    }

    // MARK: DescribeGroups (0–5)

    static let describeGroupsVersions: ClosedRange<Int16> = 0...5

    static func describeGroupsRequest() -> DescribeGroupsRequest {
        DescribeGroupsRequest(groups: ["g1", "g2", ""], includeAuthorizedOperations: true)
    }

    static func project(_ value: DescribeGroupsRequest, _ version: Int16) -> DescribeGroupsRequest {
        var value = value
        if version < 3 { value.includeAuthorizedOperations = false }
        return value
    }

    static func describeGroupsResponse(nulls: Bool = false) -> DescribeGroupsResponse {
        DescribeGroupsResponse(
            throttleTimeMs: 7,
            groups: [
                .init(errorCode: .none, groupId: "g1", groupState: "Stable", protocolType: "consumer", protocolData: "range",
                      members: [
                          .init(memberId: "m-1", groupInstanceId: nulls ? nil : "inst-1", clientId: "cli", clientHost: "/10.0.0.1",
                                memberMetadata: blob, memberAssignment: [9, 8]),
                          .init(memberId: "m-2", groupInstanceId: nil, clientId: "cli2", clientHost: "/h",
                                memberMetadata: [], memberAssignment: []),
                      ],
                      authorizedOperations: 0x0F00),
                .init(errorCode: .groupAuthorizationFailed, groupId: "g2", groupState: "Dead", protocolType: "",
                      protocolData: "", members: [], authorizedOperations: Int32.min),
            ])
    }

    static func project(_ value: DescribeGroupsResponse, _ version: Int16) -> DescribeGroupsResponse {
        var value = value
        if version < 1 { value.throttleTimeMs = 0 }
        for g in value.groups.indices {
            if version < 3 { value.groups[g].authorizedOperations = Int32.min }
            for m in value.groups[g].members.indices where version < 4 {
                value.groups[g].members[m].groupInstanceId = nil
            }
        }
        return value
    }

    // MARK: DeleteGroups (0–2)

    static let deleteGroupsVersions: ClosedRange<Int16> = 0...2

    static func deleteGroupsRequest() -> DeleteGroupsRequest {
        DeleteGroupsRequest(groupsNames: ["g1", "g2", "é"])
    }

    static func deleteGroupsResponse() -> DeleteGroupsResponse {
        DeleteGroupsResponse(
            throttleTimeMs: 4,
            results: [
                .init(groupId: "g1", errorCode: .none),
                .init(groupId: "g2", errorCode: .nonEmptyGroup),
                .init(groupId: "g3", errorCode: .groupIdNotFound),
            ])
    }

    // MARK: InitProducerId (0–4)

    static let initProducerIdVersions: ClosedRange<Int16> = 0...4

    static func initProducerIdRequest(nulls: Bool = false) -> InitProducerIdRequest {
        InitProducerIdRequest(transactionalId: nulls ? nil : "txn-1", transactionTimeoutMs: 60_000, producerId: 1234,
                              producerEpoch: 5)
    }

    static func project(_ value: InitProducerIdRequest, _ version: Int16) -> InitProducerIdRequest {
        var value = value
        if version < 3 {
            value.producerId = -1
            value.producerEpoch = -1
        }
        return value
    }

    static func initProducerIdResponse() -> InitProducerIdResponse {
        InitProducerIdResponse(throttleTimeMs: 1, errorCode: .producerFenced, producerId: 4000, producerEpoch: 2)
    }
}

/// Every type under test with its versions: a "decode these bytes" closure (for fuzzing; when a
/// decode succeeds it also checks that re-encoding is stable) and a valid encoding of its sample
/// at a version (for truncation and mutation).
struct GroupAdminCodecCase: Sendable, CustomStringConvertible {
    let name: String
    let apiKey: ApiKey
    let versions: ClosedRange<Int16>
    let decode: @Sendable ([UInt8], Int16) throws -> Void
    let sample: @Sendable (Int16) -> [UInt8]

    var description: String { name }

    static func make<M: ProtocolMessage & Equatable>(_ type: M.Type, _ apiKey: ApiKey, _ versions: ClosedRange<Int16>,
                                                     _ sample: @escaping @Sendable () -> M) -> GroupAdminCodecCase {
        GroupAdminCodecCase(
            name: "\(M.self)", apiKey: apiKey, versions: versions,
            decode: { bytes, version in
                var reader = ProtocolReader(bytes, flexible: apiKey.isFlexible(version))
                let value = try M(from: &reader, version: version)
                // A decoded value re-encodes to bytes that decode to the same value.
                let again = encodeBody(value, apiKey, version)
                var second = ProtocolReader(again, flexible: apiKey.isFlexible(version))
                let redecoded = try? M(from: &second, version: version)
                #expect(redecoded == value, "\(M.self) v\(version): re-encoding a decoded value is not stable")
                #expect(second.remaining == 0)
            },
            sample: { version in encodeBody(sample(), apiKey, version) })
    }

    static let all: [GroupAdminCodecCase] = [
        make(OffsetCommitRequest.self, .offsetCommit, GroupAdminSamples.offsetCommitVersions) { GroupAdminSamples.offsetCommitRequest() },
        make(OffsetCommitResponse.self, .offsetCommit, GroupAdminSamples.offsetCommitVersions) { GroupAdminSamples.offsetCommitResponse() },
        make(OffsetFetchRequest.self, .offsetFetch, GroupAdminSamples.offsetFetchVersions) { GroupAdminSamples.offsetFetchRequest() },
        make(OffsetFetchResponse.self, .offsetFetch, GroupAdminSamples.offsetFetchVersions) { GroupAdminSamples.offsetFetchResponse() },
        make(ListGroupsRequest.self, .listGroups, GroupAdminSamples.listGroupsVersions) { GroupAdminSamples.listGroupsRequest() },
        make(ListGroupsResponse.self, .listGroups, GroupAdminSamples.listGroupsVersions) { GroupAdminSamples.listGroupsResponse() },
        make(DescribeGroupsRequest.self, .describeGroups, GroupAdminSamples.describeGroupsVersions) { GroupAdminSamples.describeGroupsRequest() },
        make(DescribeGroupsResponse.self, .describeGroups, GroupAdminSamples.describeGroupsVersions) { GroupAdminSamples.describeGroupsResponse() },
        make(DeleteGroupsRequest.self, .deleteGroups, GroupAdminSamples.deleteGroupsVersions) { GroupAdminSamples.deleteGroupsRequest() },
        make(DeleteGroupsResponse.self, .deleteGroups, GroupAdminSamples.deleteGroupsVersions) { GroupAdminSamples.deleteGroupsResponse() },
        make(InitProducerIdRequest.self, .initProducerId, GroupAdminSamples.initProducerIdVersions) { GroupAdminSamples.initProducerIdRequest() },
        make(InitProducerIdResponse.self, .initProducerId, GroupAdminSamples.initProducerIdVersions) { GroupAdminSamples.initProducerIdResponse() },
    ]
}
