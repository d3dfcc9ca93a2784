import KafkaProtocol
import Testing

// The share-group APIs (KIP-932, with KIP-1206 and KIP-1222 in ShareFetch/ShareAcknowledge v2
// and KIP-1226 in DescribeShareGroupOffsets v1): ShareGroupHeartbeat (1), ShareGroupDescribe
// (1), ShareFetch (1–2), ShareAcknowledge (1–2), DescribeShareGroupOffsets (0–1),
// AlterShareGroupOffsets (0), DeleteShareGroupOffsets (0), and FindCoordinator v6 (share key
// type). Golden bytes written by hand from Kafka's JSON layouts; every version of these APIs is
// flexible, so strings and arrays are compact (length + 1) and every struct ends with a tag
// section. The random sweeps over every version are in GeneratedMessagesTests.

@Suite("ShareGroupMessages")
struct ShareGroupMessagesTests {
    /// Topic id 01 02 … 10.
    private static let topicId: [UInt8] = (1...16).map { UInt8($0) }
    private static let topicIdHex = "0102030405060708090a0b0c0d0e0f10"

    // MARK: - ShareGroupHeartbeat

    @Test("ShareGroupHeartbeat v1 request golden bytes")
    func heartbeatRequest() throws {
        let join = ShareGroupHeartbeatRequest(groupId: "g", memberId: "m", memberEpoch: 0, rackId: nil,
                                              subscribedTopicNames: ["t"])
        // group "g", member "m", epoch 0, rack null (00), topics[1] "t", body tags.
        try checkGolden(join, .shareGroupHeartbeat, 1, "0267 026d 00000000 00 02 0274 00")
        // Unchanged subscription: null array (00); rack "r".
        let steady = ShareGroupHeartbeatRequest(groupId: "g", memberId: "m", memberEpoch: 3, rackId: "r",
                                                subscribedTopicNames: nil)
        try checkGolden(steady, .shareGroupHeartbeat, 1, "0267 026d 00000003 0272 00 00")
    }

    @Test("ShareGroupHeartbeat v1 response golden bytes: nullable assignment")
    func heartbeatResponse() throws {
        let response = ShareGroupHeartbeatResponse(
            throttleTimeMs: 0, errorCode: .none, errorMessage: nil, memberId: "m", memberEpoch: 1,
            heartbeatIntervalMs: 5000,
            assignment: .init(topicPartitions: [.init(topicId: Self.topicId, partitions: [0, 1])]))
        // throttle, error, message null, member "m", epoch 1, interval 5000, assignment present
        // (01), topicPartitions[1]: id, partitions[2], topic tags, assignment tags, body tags.
        try checkGolden(response, .shareGroupHeartbeat, 1,
                        "00000000 0000 00 026d 00000001 00001388 01 02 \(Self.topicIdHex) 03 00000000 00000001 00 00 00")
        var none = response
        none.assignment = nil
        none.memberId = nil
        // No assignment: int8 -1.
        try checkGolden(none, .shareGroupHeartbeat, 1, "00000000 0000 00 00 00000001 00001388 ff 00")
    }

    // MARK: - ShareGroupDescribe

    @Test("ShareGroupDescribe v1 golden bytes")
    func describe() throws {
        try checkGolden(ShareGroupDescribeRequest(groupIds: ["g"], includeAuthorizedOperations: true),
                        .shareGroupDescribe, 1, "02 0267 01 00")
        let member = ShareGroupDescribeResponse.Member(
            memberId: "m", rackId: nil, memberEpoch: 2, clientId: "c", clientHost: "h",
            subscribedTopicNames: ["t"],
            assignment: .init(topicPartitions: [.init(topicId: Self.topicId, topicName: "t", partitions: [0])]))
        let response = ShareGroupDescribeResponse(throttleTimeMs: 0, groups: [
            .init(errorCode: .none, errorMessage: nil, groupId: "g", groupState: "Stable", groupEpoch: 2,
                  assignmentEpoch: 2, assignorName: "simple", members: [member]),
        ])
        #expect(response.groups[0].authorizedOperations == Int32.min)
        try checkGolden(response, .shareGroupDescribe, 1, """
            00000000 02
              0000 00 0267 07537461626c65 00000002 00000002 0773696d706c65
              02 026d 00 00000002 0263 0268 02 0274
                02 \(Self.topicIdHex) 0274 02 00000000 00
                00
                00
              80000000 00
            00
            """)
    }

    // MARK: - ShareFetch

    /// Acknowledges 5–7 as accepted and renews 8; fetches up to 500 records.
    private static let fetchV2 = ShareFetchRequest(
        groupId: "g", memberId: "m", shareSessionEpoch: 1, maxWaitMs: 500, minBytes: 1,
        maxRecords: 500, batchSize: 500, shareAcquireMode: 1, isRenewAck: true,
        topics: [.init(topicId: topicId, partitions: [
            .init(partitionIndex: 0, acknowledgementBatches: [
                .init(firstOffset: 5, lastOffset: 7, acknowledgeTypes: [1]),
                .init(firstOffset: 8, lastOffset: 8, acknowledgeTypes: [4]),
            ]),
        ])])

    private static let fetchBodyHex = """
        02 \(topicIdHex)
          02 00000000
            03 0000000000000005 0000000000000007 02 01 00
               0000000000000008 0000000000000008 02 04 00
          00
        00
        01 00
        """

    @Test("ShareFetch v2 request golden bytes with acknowledgement batches")
    func shareFetchV2Request() throws {
        #expect(Self.fetchV2.maxBytes == 0x7fff_ffff)
        // group, member, session epoch 1, max wait 500, min bytes 1, max bytes, max records 500,
        // batch size 500, acquire mode 1 (record limit), renew flag, topics, forgotten [], tags.
        try checkGolden(Self.fetchV2, .shareFetch, 2,
                        "0267 026d 00000001 000001f4 00000001 7fffffff 000001f4 000001f4 01 01 " + Self.fetchBodyHex)
    }

    @Test("ShareFetch v1 request: no acquire mode or renew flag on the wire")
    func shareFetchV1Request() throws {
        var v1 = Self.fetchV2
        v1.shareAcquireMode = 0
        v1.isRenewAck = false
        try checkGolden(v1, .shareFetch, 1,
                        "0267 026d 00000001 000001f4 00000001 7fffffff 000001f4 000001f4 " + Self.fetchBodyHex)
        try checkRoundTrip(Self.fetchV2, expected: v1, .shareFetch, 1)
    }

    @Test("ShareFetch v1 response golden bytes: records and acquired ranges")
    func shareFetchResponse() throws {
        let response = ShareFetchResponse(
            throttleTimeMs: 0, errorCode: .none, errorMessage: nil, acquisitionLockTimeoutMs: 30000,
            responses: [.init(topicId: Self.topicId, partitions: [
                .init(partitionIndex: 0, errorCode: .none, errorMessage: nil, acknowledgeErrorCode: .none,
                      acknowledgeErrorMessage: nil, currentLeader: .init(leaderId: 1, leaderEpoch: 5),
                      records: .inline([1, 2, 3]),
                      acquiredRecords: [.init(firstOffset: 5, lastOffset: 7, deliveryCount: 1)]),
            ])],
            nodeEndpoints: [])
        let body = """
            00000000 0000 00 00007530
            02 \(Self.topicIdHex)
              02 00000000 0000 00 0000 00 00000001 00000005 00
                 04 010203
                 02 0000000000000005 0000000000000007 0001 00
                 00
              00
            01 00
            """
        try checkGolden(response, .shareFetch, 1, body)
        // v2 has the same response layout.
        try checkGolden(response, .shareFetch, 2, body)
    }

    // MARK: - ShareAcknowledge

    @Test("ShareAcknowledge v1 and v2 request golden bytes")
    func shareAcknowledgeRequest() throws {
        let request = ShareAcknowledgeRequest(
            groupId: "g", memberId: "m", shareSessionEpoch: 2, isRenewAck: false,
            topics: [.init(topicId: Self.topicId, partitions: [
                .init(partitionIndex: 0, acknowledgementBatches: [.init(firstOffset: 5, lastOffset: 6, acknowledgeTypes: [1, 3])]),
            ])])
        let topics = "02 \(Self.topicIdHex) 02 00000000 02 0000000000000005 0000000000000006 03 01 03 00 00 00 00"
        try checkGolden(request, .shareAcknowledge, 1, "0267 026d 00000002 " + topics)
        try checkGolden(request, .shareAcknowledge, 2, "0267 026d 00000002 00 " + topics)
    }

    @Test("ShareAcknowledge v1 response golden bytes; v2 adds the lock timeout")
    func shareAcknowledgeResponse() throws {
        let response = ShareAcknowledgeResponse(
            throttleTimeMs: 0, errorCode: .none, errorMessage: nil,
            responses: [.init(topicId: Self.topicId, partitions: [
                .init(partitionIndex: 0, errorCode: .invalidRecordState, errorMessage: nil,
                      currentLeader: .init(leaderId: 1, leaderEpoch: 5)),
            ])],
            nodeEndpoints: [.init(nodeId: 1, host: "h", port: 9092, rack: nil)])
        let rest = """
            02 \(Self.topicIdHex)
              02 00000000 0079 00 00000001 00000005 00 00
              00
            02 00000001 0268 00002384 00 00
            00
            """
        // INVALID_RECORD_STATE is 121 (0x79).
        try checkGolden(response, .shareAcknowledge, 1, "00000000 0000 00 " + rest)
        var v2 = response
        v2.acquisitionLockTimeoutMs = 30000
        try checkGolden(v2, .shareAcknowledge, 2, "00000000 0000 00 00007530 " + rest)
        try checkRoundTrip(v2, expected: response, .shareAcknowledge, 1)
    }

    // MARK: - Share group offsets

    @Test("DescribeShareGroupOffsets v0 request golden bytes (topics or null = all)")
    func describeOffsetsRequest() throws {
        let some = DescribeShareGroupOffsetsRequest(groups: [
            .init(groupId: "g", topics: [.init(topicName: "t", partitions: [0])]),
        ])
        try checkGolden(some, .describeShareGroupOffsets, 0, "02 0267 02 0274 02 00000000 00 00 00")
        let all = DescribeShareGroupOffsetsRequest(groups: [.init(groupId: "g", topics: nil)])
        try checkGolden(all, .describeShareGroupOffsets, 0, "02 0267 00 00 00")
        try checkGolden(all, .describeShareGroupOffsets, 1, "02 0267 00 00 00")
    }

    @Test("DescribeShareGroupOffsets response: lag from v1")
    func describeOffsetsResponse() throws {
        var partition = DescribeShareGroupOffsetsResponse.DescribeShareGroupOffsetsResponsePartition(
            partitionIndex: 0, startOffset: 10, leaderEpoch: 3, errorCode: .none, errorMessage: nil)
        #expect(partition.lag == -1)
        partition.lag = 4
        let response = DescribeShareGroupOffsetsResponse(throttleTimeMs: 0, groups: [
            .init(groupId: "g", topics: [.init(topicName: "t", topicId: Self.topicId, partitions: [partition])],
                  errorCode: .none, errorMessage: nil),
        ])
        try checkGolden(response, .describeShareGroupOffsets, 1, """
            00000000 02 0267
              02 0274 \(Self.topicIdHex)
                02 00000000 000000000000000a 00000003 0000000000000004 0000 00 00
                00
              0000 00 00
            00
            """)
        var v0 = response
        v0.groups[0].topics[0].partitions[0].lag = -1
        try checkGolden(v0, .describeShareGroupOffsets, 0, """
            00000000 02 0267
              02 0274 \(Self.topicIdHex)
                02 00000000 000000000000000a 00000003 0000 00 00
                00
              0000 00 00
            00
            """)
    }

    @Test("AlterShareGroupOffsets and DeleteShareGroupOffsets v0 golden bytes")
    func alterAndDeleteOffsets() throws {
        let alter = AlterShareGroupOffsetsRequest(groupId: "g", topics: [
            .init(topicName: "t", partitions: [.init(partitionIndex: 0, startOffset: 42)]),
        ])
        try checkGolden(alter, .alterShareGroupOffsets, 0, "0267 02 0274 02 00000000 000000000000002a 00 00 00")
        let altered = AlterShareGroupOffsetsResponse(throttleTimeMs: 0, errorCode: .none, errorMessage: nil, responses: [
            .init(topicName: "t", topicId: Self.topicId, partitions: [.init(partitionIndex: 0, errorCode: .none, errorMessage: nil)]),
        ])
        try checkGolden(altered, .alterShareGroupOffsets, 0,
                        "00000000 0000 00 02 0274 \(Self.topicIdHex) 02 00000000 0000 00 00 00 00")
        let delete = DeleteShareGroupOffsetsRequest(groupId: "g", topics: [.init(topicName: "t")])
        try checkGolden(delete, .deleteShareGroupOffsets, 0, "0267 02 0274 00 00")
        // NON_EMPTY_GROUP is 68 (0x44).
        let deleted = DeleteShareGroupOffsetsResponse(throttleTimeMs: 0, errorCode: .nonEmptyGroup, errorMessage: nil, responses: [])
        try checkGolden(deleted, .deleteShareGroupOffsets, 0, "00000000 0044 00 01 00")
    }

    // MARK: - FindCoordinator v6 and error codes

    @Test("FindCoordinator v6: share key type 2, same layout as v4")
    func findCoordinatorV6() throws {
        let request = FindCoordinatorRequest(keyType: 2, coordinatorKeys: ["g:\(Self.topicIdHex):0"])
        let key = Array("g:\(Self.topicIdHex):0".utf8)
        let keyHex = key.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        let lengthHex = String(key.count + 1, radix: 16)
        try checkGolden(request, .findCoordinator, 6, "02 02 \(lengthHex)\(keyHex) 00")
        #expect(encodeBody(request, .findCoordinator, 6) == encodeBody(request, .findCoordinator, 4))
        #expect(ApiKey.findCoordinator.codecVersions == 0...6)
    }

    @Test("Share-group error codes")
    func errorCodes() {
        #expect(ErrorCode.invalidRecordState.rawValue == 121)
        #expect(ErrorCode.shareSessionNotFound.rawValue == 122)
        #expect(ErrorCode.invalidShareSessionEpoch.rawValue == 123)
        #expect(ErrorCode.fencedStateEpoch.rawValue == 124)
        #expect(ErrorCode.shareSessionLimitReached.rawValue == 133)
        #expect(ErrorCode(code: 133) == .shareSessionLimitReached)
        #expect(ErrorCode.shareSessionNotFound.isRetriable && ErrorCode.invalidShareSessionEpoch.isRetriable)
        #expect(ApiKey.shareFetch.codecVersions == 1...2 && ApiKey.shareFetch.firstFlexibleVersion == 0)
    }
}
