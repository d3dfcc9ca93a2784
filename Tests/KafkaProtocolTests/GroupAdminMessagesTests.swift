import KafkaProtocol
import Testing

// OffsetCommit (0–8), OffsetFetch (0–7), ListGroups (0–5), DescribeGroups (0–5), DeleteGroups
// (0–2) and InitProducerId (0–4): round trips at every version, golden bytes written by hand from
// Kafka's JSON layouts, header selection, and malformed input. Helpers and samples:
// GroupAdminTestSupport.swift.

@Suite("GroupAdminMessages")
struct GroupAdminMessagesTests {
    // MARK: - Round trips at every version

    @Test("OffsetCommit request round trip", arguments: GroupAdminSamples.offsetCommitVersions)
    func offsetCommitRequestRoundTrip(version: Int16) throws {
        for nulls in [false, true] {
            let value = GroupAdminSamples.offsetCommitRequest(nulls: nulls)
            try checkRoundTrip(value, expected: GroupAdminSamples.project(value, version), .offsetCommit, version)
        }
    }

    @Test("OffsetCommit response round trip", arguments: GroupAdminSamples.offsetCommitVersions)
    func offsetCommitResponseRoundTrip(version: Int16) throws {
        let value = GroupAdminSamples.offsetCommitResponse()
        try checkRoundTrip(value, expected: GroupAdminSamples.project(value, version), .offsetCommit, version)
    }

    @Test("OffsetFetch request round trip", arguments: GroupAdminSamples.offsetFetchVersions)
    func offsetFetchRequestRoundTrip(version: Int16) throws {
        for nulls in [false, true] {
            let value = GroupAdminSamples.offsetFetchRequest(nulls: nulls)
            try checkRoundTrip(value, expected: GroupAdminSamples.project(value, version), .offsetFetch, version)
        }
    }

    @Test("OffsetFetch response round trip", arguments: GroupAdminSamples.offsetFetchVersions)
    func offsetFetchResponseRoundTrip(version: Int16) throws {
        for nulls in [false, true] {
            let value = GroupAdminSamples.offsetFetchResponse(nulls: nulls)
            try checkRoundTrip(value, expected: GroupAdminSamples.project(value, version), .offsetFetch, version)
        }
    }

    @Test("ListGroups request round trip", arguments: GroupAdminSamples.listGroupsVersions)
    func listGroupsRequestRoundTrip(version: Int16) throws {
        let value = GroupAdminSamples.listGroupsRequest()
        try checkRoundTrip(value, expected: GroupAdminSamples.project(value, version), .listGroups, version)
    }

    @Test("ListGroups response round trip", arguments: GroupAdminSamples.listGroupsVersions)
    func listGroupsResponseRoundTrip(version: Int16) throws {
        let value = GroupAdminSamples.listGroupsResponse()
        try checkRoundTrip(value, expected: GroupAdminSamples.project(value, version), .listGroups, version)
    }

    @Test("DescribeGroups request round trip", arguments: GroupAdminSamples.describeGroupsVersions)
    func describeGroupsRequestRoundTrip(version: Int16) throws {
        let value = GroupAdminSamples.describeGroupsRequest()
        try checkRoundTrip(value, expected: GroupAdminSamples.project(value, version), .describeGroups, version)
    }

    @Test("DescribeGroups response round trip", arguments: GroupAdminSamples.describeGroupsVersions)
    func describeGroupsResponseRoundTrip(version: Int16) throws {
        for nulls in [false, true] {
            let value = GroupAdminSamples.describeGroupsResponse(nulls: nulls)
            try checkRoundTrip(value, expected: GroupAdminSamples.project(value, version), .describeGroups, version)
        }
    }

    @Test("DeleteGroups request round trip", arguments: GroupAdminSamples.deleteGroupsVersions)
    func deleteGroupsRequestRoundTrip(version: Int16) throws {
        let value = GroupAdminSamples.deleteGroupsRequest()
        try checkRoundTrip(value, expected: value, .deleteGroups, version)
    }

    @Test("DeleteGroups response round trip", arguments: GroupAdminSamples.deleteGroupsVersions)
    func deleteGroupsResponseRoundTrip(version: Int16) throws {
        let value = GroupAdminSamples.deleteGroupsResponse()
        try checkRoundTrip(value, expected: value, .deleteGroups, version)
    }

    @Test("InitProducerId request round trip", arguments: GroupAdminSamples.initProducerIdVersions)
    func initProducerIdRequestRoundTrip(version: Int16) throws {
        for nulls in [false, true] {
            let value = GroupAdminSamples.initProducerIdRequest(nulls: nulls)
            try checkRoundTrip(value, expected: GroupAdminSamples.project(value, version), .initProducerId, version)
        }
    }

    @Test("InitProducerId response round trip", arguments: GroupAdminSamples.initProducerIdVersions)
    func initProducerIdResponseRoundTrip(version: Int16) throws {
        let value = GroupAdminSamples.initProducerIdResponse()
        try checkRoundTrip(value, expected: value, .initProducerId, version)
    }

    @Test("Defaults follow the JSON definitions")
    func defaults() {
        let commit = OffsetCommitRequest()
        #expect(commit.groupId == "" && commit.generationIdOrMemberEpoch == -1 && commit.memberId == "")
        #expect(commit.groupInstanceId == nil && commit.retentionTimeMs == -1 && commit.topics == [])
        let commitPartition = OffsetCommitRequest.Partition()
        #expect(commitPartition.committedLeaderEpoch == -1 && commitPartition.commitTimestamp == -1)
        #expect(commitPartition.committedOffset == 0 && commitPartition.committedMetadata == "")
        #expect(OffsetCommitResponse.Partition().errorCode == .none && OffsetCommitResponse().throttleTimeMs == 0)
        let fetch = OffsetFetchRequest()
        #expect(fetch.topics == [] && fetch.requireStable == false)
        let fetched = OffsetFetchResponse.Partition()
        #expect(fetched.committedLeaderEpoch == -1 && fetched.metadata == "" && fetched.errorCode == .none)
        #expect(OffsetFetchResponse().errorCode == .none)
        #expect(ListGroupsRequest() == ListGroupsRequest(statesFilter: [], typesFilter: []))
        let listed = ListGroupsResponse.ListedGroup()
        #expect(listed.groupState == "" && listed.groupType == "" && listed.protocolType == "")
        #expect(DescribeGroupsRequest().includeAuthorizedOperations == false)
        #expect(DescribeGroupsResponse.DescribedGroup().authorizedOperations == Int32.min)
        let member = DescribeGroupsResponse.DescribedGroupMember()
        #expect(member.groupInstanceId == nil && member.memberMetadata == [] && member.memberAssignment == [])
        #expect(DeleteGroupsRequest().groupsNames == [] && DeleteGroupsResponse.DeletableGroupResult().errorCode == .none)
        let initRequest = InitProducerIdRequest()
        #expect(initRequest.transactionalId == nil && initRequest.producerId == -1 && initRequest.producerEpoch == -1)
        let initResponse = InitProducerIdResponse()
        #expect(initResponse.producerId == -1 && initResponse.producerEpoch == 0 && initResponse.errorCode == .none)
    }

    // MARK: - Golden bytes

    @Test("OffsetCommit v1, v2 and v7 request golden bytes (commit timestamp v1, retention v2–4, instance id v7)")
    func offsetCommitClassicRequestGolden() throws {
        let v2 = OffsetCommitRequest(groupId: "g", generationIdOrMemberEpoch: 1, memberId: "m", retentionTimeMs: -1, topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 42, committedMetadata: "")]),
        ])
        // group "g", generation 1, member "m", retention -1, topics[1] "t", partitions[1] index 0,
        // offset 42, metadata "".
        try checkGolden(v2, .offsetCommit, 2, """
            0001 67 00000001 0001 6D FFFFFFFFFFFFFFFF 00000001 0001 74 00000001 00000000 000000000000002A 0000
            """)
        // v1: no retention; a per-partition commit timestamp before the (null) metadata.
        var v1 = v2
        v1.retentionTimeMs = -1
        v1.topics[0].partitions[0].commitTimestamp = 1000
        v1.topics[0].partitions[0].committedMetadata = nil
        try checkGolden(v1, .offsetCommit, 1, """
            0001 67 00000001 0001 6D 00000001 0001 74 00000001 00000000 000000000000002A 00000000000003E8 FFFF
            """)
        // v0: group id and topics only.
        try checkGolden(OffsetCommitRequest(groupId: "g", topics: v2.topics), .offsetCommit, 0,
                        "0001 67 00000001 0001 74 00000001 00000000 000000000000002A 0000")
        // v7: null group instance id, no retention, leader epoch.
        var v7 = v2
        v7.topics[0].partitions[0].committedLeaderEpoch = 3
        try checkGolden(v7, .offsetCommit, 7, """
            0001 67 00000001 0001 6D FFFF 00000001 0001 74 00000001 00000000 000000000000002A 00000003 0000
            """)
    }

    @Test("OffsetCommit v8 request golden bytes (flexible)")
    func offsetCommitV8RequestGolden() throws {
        let request = OffsetCommitRequest(groupId: "g", generationIdOrMemberEpoch: 5, memberId: "m", groupInstanceId: "i", topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: 3, committedMetadata: nil)]),
        ])
        // group "g", generation 5, member "m", instance "i", topics[1] "t", partitions[1] index 0,
        // offset 42, leader epoch 3, metadata null, tags of partition, topic, body.
        try checkGolden(request, .offsetCommit, 8, "0267 00000005 026D 0269 02 0274 02 00000000 000000000000002A 00000003 00 00 00 00")
    }

    @Test("OffsetCommit v2, v3 and v8 response golden bytes")
    func offsetCommitResponseGolden() throws {
        let response = OffsetCommitResponse(throttleTimeMs: 100, topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 0, errorCode: .illegalGeneration)]),
        ])
        try checkGolden(response, .offsetCommit, 3, "00000064 00000001 0001 74 00000001 00000000 0016")
        try checkGolden(response, .offsetCommit, 8, "00000064 02 0274 02 00000000 0016 00 00 00")
        try checkGolden(GroupAdminSamples.project(response, 2), .offsetCommit, 2, "00000001 0001 74 00000001 00000000 0016")
    }

    @Test("OffsetFetch v1–3 and v5 response golden bytes: group error code after the topics")
    func offsetFetchClassicResponseGolden() throws {
        let response = OffsetFetchResponse(throttleTimeMs: 0, topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 42, metadata: "", errorCode: .none)]),
        ], errorCode: .notCoordinator)
        // throttle 0, topics[1] "t", partitions[1] index 0, offset 42, metadata "", error 0,
        // then the group-level error 16 as the last field.
        try checkGolden(response, .offsetFetch, 3, "00000000 00000001 0001 74 00000001 00000000 000000000000002A 0000 0000 0010")
        try checkGolden(response, .offsetFetch, 2, "00000001 0001 74 00000001 00000000 000000000000002A 0000 0000 0010")
        try checkGolden(GroupAdminSamples.project(response, 1), .offsetFetch, 1,
                        "00000001 0001 74 00000001 00000000 000000000000002A 0000 0000")
        var v5 = response
        v5.topics[0].partitions[0].committedLeaderEpoch = 7
        v5.topics[0].partitions[0].metadata = nil
        try checkGolden(v5, .offsetFetch, 5, "00000000 00000001 0001 74 00000001 00000000 000000000000002A 00000007 FFFF 0000 0010")
    }

    @Test("OffsetFetch v6 response golden bytes (flexible)")
    func offsetFetchV6ResponseGolden() throws {
        let response = OffsetFetchResponse(throttleTimeMs: 5, topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: -1, committedLeaderEpoch: -1, metadata: nil,
                                                errorCode: .none)]),
        ], errorCode: .none)
        try checkGolden(response, .offsetFetch, 6,
                        "00000005 02 0274 02 00000000 FFFFFFFFFFFFFFFF FFFFFFFF 00 0000 00 00 0000 00")
    }

    @Test("OffsetFetch v1, v2, v6 and v7 request golden bytes (null topics = all, v2+)")
    func offsetFetchRequestGolden() throws {
        let request = OffsetFetchRequest(groupId: "g", topics: [.init(name: "t", partitionIndexes: [0, 1])])
        // group "g", topics[1] "t", partition_indexes [0, 1] (no tag per INT32 element), tags.
        try checkGolden(request, .offsetFetch, 6, "0267 02 0274 03 00000000 00000001 00 00")
        try checkGolden(request, .offsetFetch, 1, "0001 67 00000001 0001 74 00000002 00000000 00000001")
        var all = request
        all.topics = nil
        try checkGolden(all, .offsetFetch, 6, "0267 00 00")
        try checkGolden(all, .offsetFetch, 2, "0001 67 FFFFFFFF")
        all.requireStable = true
        try checkGolden(all, .offsetFetch, 7, "0267 00 01 00")
        // v0–1 have no null array: nil is written as an empty array and read back as one.
        all.requireStable = false
        #expect(encodeBody(all, .offsetFetch, 1) == hex("0001 67 00000000"))
        #expect(try decodeBody(OffsetFetchRequest.self, hex("0001 67 00000000"), .offsetFetch, 1).topics == [])
        #expect(throws: ProtocolError.self) {
            try decodeBody(OffsetFetchRequest.self, hex("0001 67 FFFFFFFF"), .offsetFetch, 1)
        }
    }

    @Test("ListGroups v0 and v1 response golden bytes")
    func listGroupsClassicResponseGolden() throws {
        let response = ListGroupsResponse(errorCode: .none, groups: [.init(groupId: "g", protocolType: "consumer")])
        // error 0, groups[1] "g", "consumer".
        try checkGolden(response, .listGroups, 0, "0000 00000001 0001 67 0008 636F6E73756D6572")
        var v1 = response
        v1.throttleTimeMs = 9
        try checkGolden(v1, .listGroups, 1, "00000009 0000 00000001 0001 67 0008 636F6E73756D6572")
    }

    @Test("ListGroups v4 and v5 response golden bytes (flexible, group state and type)")
    func listGroupsFlexibleResponseGolden() throws {
        let response = ListGroupsResponse(errorCode: .none, groups: [
            .init(groupId: "g", protocolType: "consumer", groupState: "Stable", groupType: "classic"),
        ])
        try checkGolden(GroupAdminSamples.project(response, 4), .listGroups, 4,
                        "00000000 0000 02 0267 09636F6E73756D6572 07537461626C65 00 00")
        try checkGolden(response, .listGroups, 5,
                        "00000000 0000 02 0267 09636F6E73756D6572 07537461626C65 08636C6173736963 00 00")
    }

    @Test("ListGroups request golden bytes: empty v0–2, tags only v3, filters v4/v5")
    func listGroupsRequestGolden() throws {
        let request = ListGroupsRequest(statesFilter: ["Stable"], typesFilter: ["classic"])
        try checkGolden(ListGroupsRequest(), .listGroups, 0, "")
        try checkGolden(ListGroupsRequest(), .listGroups, 2, "")
        try checkGolden(ListGroupsRequest(), .listGroups, 3, "00")
        try checkGolden(GroupAdminSamples.project(request, 4), .listGroups, 4, "02 07537461626C65 00")
        try checkGolden(request, .listGroups, 5, "02 07537461626C65 02 08636C6173736963 00")
    }

    @Test("DescribeGroups v5 response golden bytes (flexible, authorized operations last)")
    func describeGroupsV5ResponseGolden() throws {
        let response = DescribeGroupsResponse(throttleTimeMs: 0, groups: [
            .init(errorCode: .none, groupId: "g", groupState: "Stable", protocolType: "consumer", protocolData: "range", members: [
                .init(memberId: "m", groupInstanceId: "i", clientId: "c", clientHost: "h", memberMetadata: [1, 2], memberAssignment: [3]),
            ]),
        ])
        // throttle, groups[1]: error 0, "g", "Stable", "consumer", "range", members[1]: "m",
        // instance "i", "c", "h", metadata 0102, assignment 03, member tags; then authorized
        // operations INT32 min, group tags, body tags.
        try checkGolden(response, .describeGroups, 5, """
            00000000 02 0000 0267 07537461626C65 09636F6E73756D6572 0672616E6765
            02 026D 0269 0263 0268 030102 0203 00 80000000 00 00
            """)
    }

    @Test("DescribeGroups v3 and v0 response golden bytes")
    func describeGroupsClassicResponseGolden() throws {
        let response = DescribeGroupsResponse(throttleTimeMs: 0, groups: [
            .init(errorCode: .none, groupId: "g", groupState: "Stable", protocolType: "consumer", protocolData: "range", members: [
                .init(memberId: "m", clientId: "c", clientHost: "h", memberMetadata: [1, 2], memberAssignment: [3]),
            ], authorizedOperations: 0x0F00),
        ])
        try checkGolden(response, .describeGroups, 3, """
            00000000 00000001 0000 0001 67 0006 537461626C65 0008 636F6E73756D6572 0005 72616E6765
            00000001 0001 6D 0001 63 0001 68 00000002 0102 00000001 03 00000F00
            """)
        try checkGolden(GroupAdminSamples.project(response, 0), .describeGroups, 0, """
            00000001 0000 0001 67 0006 537461626C65 0008 636F6E73756D6572 0005 72616E6765
            00000001 0001 6D 0001 63 0001 68 00000002 0102 00000001 03
            """)
    }

    @Test("DescribeGroups request golden bytes")
    func describeGroupsRequestGolden() throws {
        let request = DescribeGroupsRequest(groups: ["g"], includeAuthorizedOperations: true)
        try checkGolden(GroupAdminSamples.project(request, 0), .describeGroups, 0, "00000001 0001 67")
        try checkGolden(request, .describeGroups, 3, "00000001 0001 67 01")
        try checkGolden(request, .describeGroups, 5, "02 0267 01 00")
    }

    @Test("DeleteGroups v0 and v2 golden bytes")
    func deleteGroupsGolden() throws {
        let request = DeleteGroupsRequest(groupsNames: ["g1", "g2"])
        try checkGolden(request, .deleteGroups, 0, "00000002 0002 6731 0002 6732")
        try checkGolden(request, .deleteGroups, 2, "03 036731 036732 00")
        let response = DeleteGroupsResponse(throttleTimeMs: 0, results: [.init(groupId: "g", errorCode: .groupIdNotFound)])
        // throttle time is present already in v0.
        try checkGolden(response, .deleteGroups, 0, "00000000 00000001 0001 67 0045")
        try checkGolden(response, .deleteGroups, 2, "00000000 02 0267 0045 00 00")
    }

    @Test("InitProducerId v0 and v2 response golden bytes: throttle time first at v0")
    func initProducerIdResponseGolden() throws {
        let response = InitProducerIdResponse(throttleTimeMs: 100, errorCode: .none, producerId: 1000, producerEpoch: 0)
        try checkGolden(response, .initProducerId, 0, "00000064 0000 00000000000003E8 0000")
        try checkGolden(response, .initProducerId, 2, "00000064 0000 00000000000003E8 0000 00")
        let refused = InitProducerIdResponse(errorCode: .transactionalIdAuthorizationFailed)
        try checkGolden(refused, .initProducerId, 1, "00000000 0035 FFFFFFFFFFFFFFFF 0000")
    }

    @Test("InitProducerId v0, v2 and v3 request golden bytes")
    func initProducerIdRequestGolden() throws {
        let idempotent = InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: 60_000)
        try checkGolden(idempotent, .initProducerId, 0, "FFFF 0000EA60")
        try checkGolden(idempotent, .initProducerId, 2, "00 0000EA60 00")
        try checkGolden(idempotent, .initProducerId, 3, "00 0000EA60 FFFFFFFFFFFFFFFF FFFF 00")
        let transactional = InitProducerIdRequest(transactionalId: "tx", transactionTimeoutMs: 60_000, producerId: 7, producerEpoch: 2)
        try checkGolden(transactional, .initProducerId, 4, "037478 0000EA60 0000000000000007 0002 00")
        try checkGolden(GroupAdminSamples.project(transactional, 1), .initProducerId, 1, "0002 7478 0000EA60")
    }

    @Test("Unknown tagged fields are skipped")
    func unknownTagsSkipped() throws {
        // OffsetCommit v8 request with unknown tags in the partition, the topic and the body.
        let commit = hex("""
            0267 00000005 026D 0269 02 0274 02 00000000 000000000000002A 00000003 00 01 2A 01 FF
            02 00 00 05 02 AABB   01 07 03 010203
            """)
        let request = try decodeBody(OffsetCommitRequest.self, commit, .offsetCommit, 8)
        #expect(request.groupInstanceId == "i")
        #expect(request.topics.first?.partitions.first == .init(partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: 3,
                                                               committedMetadata: nil))
        // ListGroups v3 request: only a tag section, with one unknown tag.
        #expect(try decodeBody(ListGroupsRequest.self, hex("01 00 02 0102"), .listGroups, 3) == ListGroupsRequest())
        // DescribeGroups v5 response: unknown tag in the member.
        let describe = hex("""
            00000000 02 0000 0267 07537461626C65 09636F6E73756D6572 0672616E6765
            02 026D 0269 0263 0268 030102 0203 01 05 01 00 80000000 00 00
            """)
        let groups = try decodeBody(DescribeGroupsResponse.self, describe, .describeGroups, 5).groups
        #expect(groups.first?.members.first?.memberAssignment == [3])
        #expect(groups.first?.authorizedOperations == Int32.min)
        // InitProducerId v2 response with an unknown body tag.
        let initResponse = try decodeBody(InitProducerIdResponse.self, hex("00000000 0000 0000000000000001 0000 01 09 00"),
                                                .initProducerId, 2)
        #expect(initResponse.producerId == 1)
    }

    @Test("Unknown error codes decode as unknownServerError")
    func unknownErrorCode() throws {
        let decoded = try decodeBody(DeleteGroupsResponse.self, hex("00000000 00000001 0001 67 7FFF"), .deleteGroups, 0)
        #expect(decoded.results.first?.errorCode == .unknownServerError)
    }

    // MARK: - Headers and frames

    /// Encodes a request frame and checks the header version (v1 below the first flexible
    /// version, v2 with its tag byte from there on), then decodes header and body back; does the
    /// same for the response frame (header v0 or v1).
    private func checkFrames<R: KafkaRequest & Equatable>(_ request: R, _ response: R.Response, version: Int16,
                                                          sourceLocation: SourceLocation = #_sourceLocation) throws
    where R.Response: Equatable {
        let apiKey = R.apiKey
        let flexible = apiKey.isFlexible(version)
        #expect(apiKey.requestHeaderVersion(version) == (flexible ? 2 : 1), sourceLocation: sourceLocation)
        #expect(apiKey.responseHeaderVersion(version) == (flexible ? 1 : 0), sourceLocation: sourceLocation)

        let frame = FrameCodec.encodeRequest(request, version: version, correlationId: 42, clientId: "cli")
        let body = encodeBody(request, apiKey, version)
        // length, key, version, correlation id, client id (INT16 length even in v2), [tags], body.
        let header: [UInt8] = [0x00, UInt8(apiKey.rawValue), 0x00, UInt8(version), 0x00, 0x00, 0x00, 42, 0x00, 0x03] + Array("cli".utf8)
            + (flexible ? [0x00] : [])
        let length = header.count + body.count
        #expect(frame == [0, 0, UInt8(length >> 8), UInt8(length & 0xFF)] + header + body, sourceLocation: sourceLocation)
        let (decodedHeader, bodyReader) = try RequestHeader.decode(Array(frame.dropFirst(4)))
        #expect(decodedHeader == RequestHeader(apiKey: apiKey, apiVersion: version, correlationId: 42, clientId: "cli"),
                sourceLocation: sourceLocation)
        #expect(bodyReader.flexible == flexible, sourceLocation: sourceLocation)
        var reader = bodyReader
        #expect(try FrameCodec.decodeRequest(R.self, from: &reader, version: version) == request, sourceLocation: sourceLocation)
        #expect(reader.remaining == 0, sourceLocation: sourceLocation)

        let segments = FrameCodec.encodeResponse(response, apiKey: apiKey, version: version, correlationId: 7)
        var responseFrame: [UInt8] = []
        for segment in segments { if case .bytes(let bytes) = segment { responseFrame += bytes } }
        let responseHeader: [UInt8] = flexible ? [0, 0, 0, 7, 0] : [0, 0, 0, 7]
        let responseBody = encodeBody(response, apiKey, version)
        let responseLength = responseHeader.count + responseBody.count
        #expect(responseFrame == [0, 0, UInt8(responseLength >> 8), UInt8(responseLength & 0xFF)] + responseHeader + responseBody,
                sourceLocation: sourceLocation)
        let (correlationId, decoded) = try FrameCodec.decodeResponse(Array(responseFrame.dropFirst(4)), as: R.Response.self,
                                                                     apiKey: apiKey, version: version)
        #expect(correlationId == 7, sourceLocation: sourceLocation)
        #expect(decoded == response, sourceLocation: sourceLocation)
    }

    @Test("OffsetCommit headers at the flexible boundary (7 → 8)", arguments: [Int16(7), 8])
    func offsetCommitHeaders(version: Int16) throws {
        try checkFrames(GroupAdminSamples.project(GroupAdminSamples.offsetCommitRequest(), version),
                        GroupAdminSamples.project(GroupAdminSamples.offsetCommitResponse(), version), version: version)
    }

    @Test("OffsetFetch headers at the flexible boundary (5 → 6)", arguments: [Int16(5), 6])
    func offsetFetchHeaders(version: Int16) throws {
        try checkFrames(GroupAdminSamples.project(GroupAdminSamples.offsetFetchRequest(), version),
                        GroupAdminSamples.project(GroupAdminSamples.offsetFetchResponse(), version), version: version)
    }

    @Test("ListGroups headers at the flexible boundary (2 → 3)", arguments: [Int16(2), 3])
    func listGroupsHeaders(version: Int16) throws {
        try checkFrames(GroupAdminSamples.project(GroupAdminSamples.listGroupsRequest(), version),
                        GroupAdminSamples.project(GroupAdminSamples.listGroupsResponse(), version), version: version)
    }

    @Test("DescribeGroups headers at the flexible boundary (4 → 5)", arguments: [Int16(4), 5])
    func describeGroupsHeaders(version: Int16) throws {
        try checkFrames(GroupAdminSamples.project(GroupAdminSamples.describeGroupsRequest(), version),
                        GroupAdminSamples.project(GroupAdminSamples.describeGroupsResponse(), version), version: version)
    }

    @Test("DeleteGroups headers at the flexible boundary (1 → 2)", arguments: [Int16(1), 2])
    func deleteGroupsHeaders(version: Int16) throws {
        try checkFrames(GroupAdminSamples.deleteGroupsRequest(), GroupAdminSamples.deleteGroupsResponse(), version: version)
    }

    @Test("InitProducerId headers at the flexible boundary (1 → 2)", arguments: [Int16(1), 2])
    func initProducerIdHeaders(version: Int16) throws {
        try checkFrames(GroupAdminSamples.project(GroupAdminSamples.initProducerIdRequest(), version),
                        GroupAdminSamples.initProducerIdResponse(), version: version)
    }

    // MARK: - Malformed input

    @Test("Every truncation of a valid encoding throws", arguments: GroupAdminCodecCase.all)
    func truncations(codec: GroupAdminCodecCase) {
        for version in codec.versions {
            let bytes = codec.sample(version)
            #expect(throws: Never.self) { try codec.decode(bytes, version) }
            for cut in 0..<bytes.count {
                #expect(throws: ProtocolError.self, "\(codec) v\(version) cut at \(cut)") {
                    try codec.decode(Array(bytes.prefix(cut)), version)
                }
            }
        }
    }

    @Test("Huge counts and lengths in short buffers throw invalidLength at once")
    func hugeLengths() {
        let clock = ContinuousClock()
        let start = clock.now
        /// Fields written by `body`, a huge count/length (`1e9` classic INT32, or compact 1e9+1),
        /// then a few trailing bytes.
        func bytes(flexible: Bool, huge: Int32 = 1_000_000_000, _ body: (inout ProtocolWriter) -> Void) -> [UInt8] {
            var writer = ProtocolWriter(flexible: flexible)
            body(&writer)
            if flexible { writer.writeUnsignedVarint(UInt32(huge) + 1) } else { writer.writeInt32(huge) }
            return writer.encoded + [0, 1, 2, 3]
        }
        for version in [Int16(2), 8] {
            let flexible = version >= 8
            let commit = bytes(flexible: flexible) { w in
                w.writeString("g"); w.writeInt32(1); w.writeString("m")
                if version >= 7 { w.writeNullableString(nil) }
                if version <= 4 { w.writeInt64(-1) }
            }
            #expect(throws: ProtocolError.invalidLength(field: "topics", value: 1_000_000_000)) {
                try decodeBody(OffsetCommitRequest.self, commit, .offsetCommit, version)
            }
        }
        for version in [Int16(3), 6] {
            let flexible = version >= 6
            let fetch = bytes(flexible: flexible) { w in
                w.writeString("g")
                w.writeArray([0]) { w, _ in w.writeString("t") }
            }
            #expect(throws: ProtocolError.invalidLength(field: "partition_indexes", value: 1_000_000_000)) {
                try decodeBody(OffsetFetchRequest.self, fetch, .offsetFetch, version)
            }
            let fetchResponse = bytes(flexible: flexible) { w in w.writeInt32(0) }
            #expect(throws: ProtocolError.invalidLength(field: "topics", value: 1_000_000_000)) {
                try decodeBody(OffsetFetchResponse.self, fetchResponse, .offsetFetch, version)
            }
        }
        let states = bytes(flexible: true) { _ in }
        #expect(throws: ProtocolError.invalidLength(field: "states_filter", value: 1_000_000_000)) {
            try decodeBody(ListGroupsRequest.self, states, .listGroups, 4)
        }
        let listed = bytes(flexible: false) { w in w.writeInt16(0) }
        #expect(throws: ProtocolError.invalidLength(field: "groups", value: 1_000_000_000)) {
            try decodeBody(ListGroupsResponse.self, listed, .listGroups, 0)
        }
        // DescribeGroups v4 response: member_metadata of 2^31-1 bytes.
        let metadata = bytes(flexible: false, huge: Int32.max) { w in
            w.writeInt32(0)
            w.writeInt32(1)
            w.writeInt16(0); w.writeString("g"); w.writeString("Stable"); w.writeString("consumer"); w.writeString("range")
            w.writeInt32(1)
            w.writeString("m"); w.writeNullableString(nil); w.writeString("c"); w.writeString("h")
        }
        #expect(throws: ProtocolError.invalidLength(field: "member_metadata", value: Int64(Int32.max))) {
            try decodeBody(DescribeGroupsResponse.self, metadata, .describeGroups, 4)
        }
        for version in [Int16(1), 2] {
            let delete = bytes(flexible: version >= 2) { _ in }
            #expect(throws: ProtocolError.invalidLength(field: "groups_names", value: 1_000_000_000)) {
                try decodeBody(DeleteGroupsRequest.self, delete, .deleteGroups, version)
            }
        }
        let describe = bytes(flexible: true, huge: Int32.max) { _ in }
        #expect(throws: ProtocolError.invalidLength(field: "groups", value: Int64(Int32.max))) {
            try decodeBody(DescribeGroupsRequest.self, describe, .describeGroups, 5)
        }
        // InitProducerId v0 request: transactional id of 32767 bytes.
        let transactional = hex("7FFF 0102")
        #expect(throws: ProtocolError.invalidLength(field: "transactional_id", value: 32767)) {
            try decodeBody(InitProducerIdRequest.self, transactional, .initProducerId, 0)
        }
        #expect(clock.now - start < .seconds(1))
    }

    @Test("Random garbage and mutated encodings never crash a decoder", arguments: GroupAdminCodecCase.all)
    func garbage(codec: GroupAdminCodecCase) {
        for seed in UInt64(0)..<400 {
            var rng = TestRNG(seed: seed &* 0x1_0000_0001 &+ UInt64(codec.apiKey.rawValue))
            for version in codec.versions {
                let random = rng.garbage(Int(rng.next() % 96))
                _ = try? codec.decode(random, version)
                var mutated = codec.sample(version)
                for _ in 0...(rng.next() % 4) where !mutated.isEmpty {
                    let index = Int(rng.next() % UInt64(mutated.count))
                    mutated[index] = rng.next() % 3 == 0 ? 0xFF : UInt8(truncatingIfNeeded: rng.next())
                }
                _ = try? codec.decode(mutated, version)
                // A valid prefix followed by garbage reaches the deeper fields.
                let valid = codec.sample(version)
                let cut = Int(rng.next() % UInt64(valid.count + 1))
                _ = try? codec.decode(Array(valid.prefix(cut)) + rng.garbage(Int(rng.next() % 32)), version)
            }
        }
    }
}
