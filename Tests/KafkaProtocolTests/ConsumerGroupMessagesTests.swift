import KafkaProtocol
import Testing

// The consumer group protocol (KIP-848): ConsumerGroupHeartbeat (0–1) and ConsumerGroupDescribe
// (0–1). Golden bytes written by hand from Kafka's JSON layouts: every version is flexible, so
// strings and arrays are compact (length + 1) and every struct ends with a tag section.
// Heartbeat v1 adds SubscribedTopicRegex; Describe v1 adds each member's MemberType.

@Suite("ConsumerGroupMessages")
struct ConsumerGroupMessagesTests {
    /// Topic id 01 02 … 10.
    private static let topicId: [UInt8] = (1...16).map { UInt8($0) }
    private static let topicIdHex = "0102030405060708090a0b0c0d0e0f10"

    // MARK: - ConsumerGroupHeartbeat

    @Test("ConsumerGroupHeartbeat v0 and v1 request golden bytes: the regex exists only in v1")
    func heartbeatRequest() throws {
        let join = ConsumerGroupHeartbeatRequest(
            groupId: "g", memberId: "m", memberEpoch: 0, instanceId: "i", rackId: nil, rebalanceTimeoutMs: 300_000,
            subscribedTopicNames: ["t"], subscribedTopicRegex: nil, serverAssignor: "range",
            topicPartitions: [])
        // group, member, epoch 0, instance "i", rack null, rebalance 300000 (0x493e0), topics[1] "t",
        // [v1: regex null], assignor "range", owned partitions [] (01), body tags.
        try checkGolden(join, .consumerGroupHeartbeat, 0,
                        "0267 026d 00000000 0269 00 000493e0 02 0274 0672616e6765 01 00")
        try checkGolden(join, .consumerGroupHeartbeat, 1,
                        "0267 026d 00000000 0269 00 000493e0 02 0274 00 0672616e6765 01 00")
        // A steady heartbeat: everything unchanged (nulls, -1), owning t-0 and t-1; regex "^t.*".
        let steady = ConsumerGroupHeartbeatRequest(
            groupId: "g", memberId: "m", memberEpoch: 7, instanceId: nil, rackId: nil, rebalanceTimeoutMs: -1,
            subscribedTopicNames: nil, subscribedTopicRegex: "^t.*", serverAssignor: nil,
            topicPartitions: [.init(topicId: Self.topicId, partitions: [0, 1])])
        try checkGolden(steady, .consumerGroupHeartbeat, 1,
                        "0267 026d 00000007 00 00 ffffffff 00 055e742e2a 00 02 \(Self.topicIdHex) 03 00000000 00000001 00 00")
        #expect(ConsumerGroupHeartbeatRequest(groupId: "g", memberId: "m", memberEpoch: 1).rebalanceTimeoutMs == -1)
    }

    @Test("ConsumerGroupHeartbeat response golden bytes: nullable assignment")
    func heartbeatResponse() throws {
        let response = ConsumerGroupHeartbeatResponse(
            throttleTimeMs: 0, errorCode: .none, errorMessage: nil, memberId: "m", memberEpoch: 3,
            heartbeatIntervalMs: 5000,
            assignment: .init(topicPartitions: [.init(topicId: Self.topicId, partitions: [2])]))
        for version: Int16 in 0...1 {
            try checkGolden(response, .consumerGroupHeartbeat, version,
                            "00000000 0000 00 026d 00000003 00001388 01 02 \(Self.topicIdHex) 02 00000002 00 00 00")
        }
        let fenced = ConsumerGroupHeartbeatResponse(
            throttleTimeMs: 0, errorCode: .fencedMemberEpoch, errorMessage: "x", memberId: nil, memberEpoch: -1,
            heartbeatIntervalMs: 0, assignment: nil)
        // Error 110 (0x6e), message "x", member null, epoch -1, interval 0, assignment -1.
        try checkGolden(fenced, .consumerGroupHeartbeat, 1, "00000000 006e 0278 00 ffffffff 00000000 ff 00")
    }

    // MARK: - ConsumerGroupDescribe

    @Test("ConsumerGroupDescribe v0 and v1 golden bytes: MemberType only in v1")
    func describe() throws {
        for version: Int16 in 0...1 {
            try checkGolden(ConsumerGroupDescribeRequest(groupIds: ["g"], includeAuthorizedOperations: false),
                            .consumerGroupDescribe, version, "02 0267 00 00")
        }
        let owned = ConsumerGroupDescribeResponse.Assignment(
            topicPartitions: [.init(topicId: Self.topicId, topicName: "t", partitions: [0])])
        var member = ConsumerGroupDescribeResponse.Member(
            memberId: "m", instanceId: "i", rackId: nil, memberEpoch: 2, clientId: "c", clientHost: "h",
            subscribedTopicNames: ["t"], subscribedTopicRegex: nil, assignment: owned,
            targetAssignment: .init(topicPartitions: []))
        #expect(member.memberType == -1)
        member.memberType = 1
        let response = ConsumerGroupDescribeResponse(throttleTimeMs: 0, groups: [
            .init(errorCode: .none, errorMessage: nil, groupId: "g", groupState: "Stable", groupEpoch: 2,
                  assignmentEpoch: 2, assignorName: "uniform", members: [member]),
        ])
        #expect(response.groups[0].authorizedOperations == Int32.min)
        let memberHead = "02 026d 0269 00 00000002 0263 0268 02 0274 00"
        let assignments = "02 \(Self.topicIdHex) 0274 02 00000000 00 00  01 00"
        try checkGolden(response, .consumerGroupDescribe, 1, """
            00000000 02
              0000 00 0267 07537461626c65 00000002 00000002 08756e69666f726d
              \(memberHead) \(assignments) 01 00
              80000000 00
            00
            """)
        // v0 has no MemberType: it decodes to its default (-1).
        var v0 = response
        v0.groups[0].members[0].memberType = -1
        try checkGolden(v0, .consumerGroupDescribe, 0, """
            00000000 02
              0000 00 0267 07537461626c65 00000002 00000002 08756e69666f726d
              \(memberHead) \(assignments) 00
              80000000 00
            00
            """)
    }
}
