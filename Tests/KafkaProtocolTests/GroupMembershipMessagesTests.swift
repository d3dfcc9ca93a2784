import KafkaProtocol
import Testing

// FindCoordinator (0–4), JoinGroup (0–9), SyncGroup (0–5), Heartbeat (0–4) and LeaveGroup (0–5):
// round trips at every version, golden bytes written by hand from Kafka's JSON layouts, header
// selection at each flexible boundary, and malformed input. Helpers and samples:
// GroupMembershipTestSupport.swift.

@Suite("GroupMembershipMessages")
struct GroupMembershipMessagesTests {
    // MARK: - Round trips at every version

    @Test("FindCoordinator request round trip", arguments: Int16(0)...4)
    func findCoordinatorRequestRoundTrip(version: Int16) throws {
        let value = MembershipSamples.findCoordinatorRequest()
        try checkRoundTrip(value, expected: MembershipSamples.project(value, version), .findCoordinator, version)
    }

    @Test("FindCoordinator response round trip", arguments: Int16(0)...4)
    func findCoordinatorResponseRoundTrip(version: Int16) throws {
        for nulls in [false, true] {
            let value = MembershipSamples.findCoordinatorResponse(nulls: nulls)
            try checkRoundTrip(value, expected: MembershipSamples.project(value, version), .findCoordinator, version)
        }
    }

    @Test("JoinGroup request round trip", arguments: Int16(0)...9)
    func joinGroupRequestRoundTrip(version: Int16) throws {
        for nulls in [false, true] {
            let value = MembershipSamples.joinGroupRequest(nulls: nulls)
            try checkRoundTrip(value, expected: MembershipSamples.project(value, version), .joinGroup, version)
        }
    }

    @Test("JoinGroup response round trip", arguments: Int16(0)...9)
    func joinGroupResponseRoundTrip(version: Int16) throws {
        for nulls in [false, true] {
            let value = MembershipSamples.joinGroupResponse(nulls: nulls)
            try checkRoundTrip(value, expected: MembershipSamples.project(value, version), .joinGroup, version)
        }
    }

    @Test("SyncGroup request round trip", arguments: Int16(0)...5)
    func syncGroupRequestRoundTrip(version: Int16) throws {
        for nulls in [false, true] {
            let value = MembershipSamples.syncGroupRequest(nulls: nulls)
            try checkRoundTrip(value, expected: MembershipSamples.project(value, version), .syncGroup, version)
        }
    }

    @Test("SyncGroup response round trip", arguments: Int16(0)...5)
    func syncGroupResponseRoundTrip(version: Int16) throws {
        for nulls in [false, true] {
            let value = MembershipSamples.syncGroupResponse(nulls: nulls)
            try checkRoundTrip(value, expected: MembershipSamples.project(value, version), .syncGroup, version)
        }
    }

    @Test("Heartbeat request round trip", arguments: Int16(0)...4)
    func heartbeatRequestRoundTrip(version: Int16) throws {
        for nulls in [false, true] {
            let value = MembershipSamples.heartbeatRequest(nulls: nulls)
            try checkRoundTrip(value, expected: MembershipSamples.project(value, version), .heartbeat, version)
        }
    }

    @Test("Heartbeat response round trip", arguments: Int16(0)...4)
    func heartbeatResponseRoundTrip(version: Int16) throws {
        let value = MembershipSamples.heartbeatResponse()
        try checkRoundTrip(value, expected: MembershipSamples.project(value, version), .heartbeat, version)
    }

    @Test("LeaveGroup request round trip", arguments: Int16(0)...5)
    func leaveGroupRequestRoundTrip(version: Int16) throws {
        for nulls in [false, true] {
            let value = MembershipSamples.leaveGroupRequest(nulls: nulls)
            try checkRoundTrip(value, expected: MembershipSamples.project(value, version), .leaveGroup, version)
        }
    }

    @Test("LeaveGroup response round trip", arguments: Int16(0)...5)
    func leaveGroupResponseRoundTrip(version: Int16) throws {
        for nulls in [false, true] {
            let value = MembershipSamples.leaveGroupResponse(nulls: nulls)
            try checkRoundTrip(value, expected: MembershipSamples.project(value, version), .leaveGroup, version)
        }
    }

    @Test("Defaults follow the JSON definitions")
    func defaults() {
        let find = FindCoordinatorRequest()
        #expect(find.key == "" && find.keyType == FindCoordinatorRequest.groupKeyType && find.coordinatorKeys == [])
        #expect(FindCoordinatorRequest.groupKeyType == 0 && FindCoordinatorRequest.transactionKeyType == 1)
        let found = FindCoordinatorResponse()
        #expect(found.throttleTimeMs == 0 && found.errorCode == .none && found.errorMessage == nil)
        #expect(found.nodeId == 0 && found.host == "" && found.port == 0 && found.coordinators == [])
        let coordinator = FindCoordinatorResponse.Coordinator()
        #expect(coordinator.key == "" && coordinator.errorCode == .none && coordinator.errorMessage == nil)

        let join = JoinGroupRequest()
        #expect(join.groupId == "" && join.sessionTimeoutMs == 0 && join.rebalanceTimeoutMs == -1 && join.memberId == "")
        #expect(join.groupInstanceId == nil && join.protocolType == "" && join.protocols == [] && join.reason == nil)
        #expect(JoinGroupRequest.ProtocolEntry() == JoinGroupRequest.ProtocolEntry(name: "", metadata: []))
        let joined = JoinGroupResponse()
        #expect(joined.throttleTimeMs == 0 && joined.errorCode == .none && joined.generationId == -1)
        #expect(joined.protocolType == nil && joined.protocolName == nil && joined.leader == "" && !joined.skipAssignment)
        #expect(joined.memberId == "" && joined.members == [])
        #expect(JoinGroupResponse.Member() == JoinGroupResponse.Member(memberId: "", groupInstanceId: nil, metadata: []))

        let sync = SyncGroupRequest()
        #expect(sync.groupId == "" && sync.generationId == 0 && sync.memberId == "" && sync.groupInstanceId == nil)
        #expect(sync.protocolType == nil && sync.protocolName == nil && sync.assignments == [])
        #expect(SyncGroupRequest.Assignment() == SyncGroupRequest.Assignment(memberId: "", assignment: []))
        let synced = SyncGroupResponse()
        #expect(synced.throttleTimeMs == 0 && synced.errorCode == .none && synced.protocolType == nil)
        #expect(synced.protocolName == nil && synced.assignment == [])

        let heartbeat = HeartbeatRequest()
        #expect(heartbeat.groupId == "" && heartbeat.generationId == 0 && heartbeat.memberId == "" && heartbeat.groupInstanceId == nil)
        #expect(HeartbeatResponse() == HeartbeatResponse(throttleTimeMs: 0, errorCode: .none))

        let leave = LeaveGroupRequest()
        #expect(leave.groupId == "" && leave.memberId == "" && leave.members == [])
        #expect(LeaveGroupRequest.MemberIdentity() == LeaveGroupRequest.MemberIdentity(memberId: "", groupInstanceId: nil, reason: nil))
        #expect(LeaveGroupResponse() == LeaveGroupResponse(throttleTimeMs: 0, errorCode: .none, members: []))
        #expect(LeaveGroupResponse.MemberResponse() == LeaveGroupResponse.MemberResponse(memberId: "", groupInstanceId: nil, errorCode: .none))
    }

    @Test("Version-independent views: requested keys, leaving members, rebalance timeout")
    func versionIndependentViews() {
        let find = FindCoordinatorRequest(key: "g", keyType: 0, coordinatorKeys: ["a", "b"])
        #expect(find.requestedKeys(version: 0) == ["g"])
        #expect(find.requestedKeys(version: 3) == ["g"])
        #expect(find.requestedKeys(version: 4) == ["a", "b"])
        let leave = LeaveGroupRequest(groupId: "g", memberId: "m-0", members: [.init(memberId: "m-1", groupInstanceId: "i")])
        #expect(leave.leavingMembers(version: 2) == [.init(memberId: "m-0")])
        #expect(leave.leavingMembers(version: 3) == [.init(memberId: "m-1", groupInstanceId: "i")])
        let join = JoinGroupRequest(sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 60_000)
        #expect(join.effectiveRebalanceTimeoutMs(version: 0) == 10_000)
        #expect(join.effectiveRebalanceTimeoutMs(version: 1) == 60_000)
    }

    // MARK: - Golden bytes

    @Test("FindCoordinator request golden bytes (v0, v1, v3, batched v4)")
    func findCoordinatorRequestGolden() throws {
        try checkGolden(FindCoordinatorRequest(key: "g"), .findCoordinator, 0, "0001 67")
        // key "g", key_type 1 (transaction).
        try checkGolden(FindCoordinatorRequest(key: "g", keyType: 1), .findCoordinator, 1, "0001 67 01")
        try checkGolden(FindCoordinatorRequest(key: "g", keyType: 1), .findCoordinator, 2, "0001 67 01")
        // v3 flexible: compact key, key_type, tags.
        try checkGolden(FindCoordinatorRequest(key: "g", keyType: 1), .findCoordinator, 3, "02 67 01 00")
        // v4: no key; key_type, coordinator_keys ["g", "h"], tags.
        try checkGolden(FindCoordinatorRequest(coordinatorKeys: ["g", "h"]), .findCoordinator, 4, "00 03 0267 0268 00")
    }

    @Test("FindCoordinator response golden bytes (v0, v1, v3, batched v4)")
    func findCoordinatorResponseGolden() throws {
        let found = FindCoordinatorResponse(nodeId: 1, host: "localhost", port: 9092)
        // error 0, node 1, host "localhost", port 9092.
        try checkGolden(found, .findCoordinator, 0, "0000 00000001 0009 6C6F63616C686F7374 00002384")
        // v3: throttle, error, null error message, node, compact host, port, tags.
        try checkGolden(found, .findCoordinator, 3, "00000000 0000 00 00000001 0A 6C6F63616C686F7374 00002384 00")
        let failed = FindCoordinatorResponse(throttleTimeMs: 5, errorCode: .coordinatorNotAvailable, errorMessage: "x",
                                             nodeId: -1, host: "", port: -1)
        try checkGolden(failed, .findCoordinator, 1, "00000005 000F 0001 78 FFFFFFFF 0000 FFFFFFFF")
        // v4: throttle, coordinators[1] key "g", node 1, host, port, error 0, null message, tags; tags.
        let batched = FindCoordinatorResponse(coordinators: [.init(key: "g", nodeId: 1, host: "localhost", port: 9092)])
        try checkGolden(batched, .findCoordinator, 4, "00000000 02 0267 00000001 0A 6C6F63616C686F7374 00002384 0000 00 00 00")
    }

    @Test("JoinGroup request golden bytes (v0 with one protocol, v1, v5, v6, v8)")
    func joinGroupRequestGolden() throws {
        var request = JoinGroupRequest(groupId: "g", sessionTimeoutMs: 30_000, memberId: "", protocolType: "consumer",
                                       protocols: [.init(name: "range", metadata: [0x01, 0x02])])
        // group "g", session 30000, member "", protocol_type "consumer", protocols[1] "range" + 2 bytes.
        try checkGolden(request, .joinGroup, 0, "0001 67 00007530 0000 0008 636F6E73756D6572 00000001 0005 72616E6765 00000002 0102")
        request.rebalanceTimeoutMs = 60_000
        try checkGolden(request, .joinGroup, 1,
                        "0001 67 00007530 0000EA60 0000 0008 636F6E73756D6572 00000001 0005 72616E6765 00000002 0102")
        request.memberId = "m"
        request.groupInstanceId = "i"
        // v5: group_instance_id after member_id.
        try checkGolden(request, .joinGroup, 5,
                        "0001 67 00007530 0000EA60 0001 6D 0001 69 0008 636F6E73756D6572 00000001 0005 72616E6765 00000002 0102")
        // v6 flexible: compact strings/bytes/array, tags per protocol and at the end.
        try checkGolden(request, .joinGroup, 6, "02 67 00007530 0000EA60 02 6D 02 69 09 636F6E73756D6572 02 06 72616E6765 03 0102 00 00")
        // v8: reason after the protocols.
        request.reason = "r"
        try checkGolden(request, .joinGroup, 8, "02 67 00007530 0000EA60 02 6D 02 69 09 636F6E73756D6572 02 06 72616E6765 03 0102 00 02 72 00")
    }

    @Test("JoinGroup response golden bytes (v0, v4 and v9 MEMBER_ID_REQUIRED, v6, v7)")
    func joinGroupResponseGolden() throws {
        let v0 = JoinGroupResponse(generationId: 1, protocolName: "range", leader: "m", memberId: "m",
                                   members: [.init(memberId: "m", metadata: [0xAA])])
        // error 0, generation 1, protocol "range", leader "m", member "m", members[1] "m" + 1 byte.
        try checkGolden(v0, .joinGroup, 0, "0000 00000001 0005 72616E6765 0001 6D 0001 6D 00000001 0001 6D 00000001 AA")
        // v6: throttle first; members carry group_instance_id (v5+); compact forms and tags.
        var v6 = v0
        v6.members[0].groupInstanceId = "i"
        try checkGolden(v6, .joinGroup, 6, "00000000 0000 00000001 06 72616E6765 02 6D 02 6D 02 02 6D 02 69 02 AA 00 00")
        // v7: protocol_type before protocol_name.
        let v7 = JoinGroupResponse(generationId: 1, protocolType: "consumer", protocolName: "range", leader: "m", memberId: "m")
        try checkGolden(v7, .joinGroup, 7, "00000000 0000 00000001 09 636F6E73756D6572 06 72616E6765 02 6D 02 6D 01 00")
        // MEMBER_ID_REQUIRED (79): generation -1, empty leader and members, the new member id.
        // v4: protocol_name is not nullable, "" is sent.
        let required4 = JoinGroupResponse(errorCode: .memberIdRequired, generationId: -1, protocolName: "", memberId: "c-1")
        try checkGolden(required4, .joinGroup, 4, "00000000 004F FFFFFFFF 0000 0000 0003 632D31 00000000")
        // v9: null protocol type and name, skip_assignment false.
        let required9 = JoinGroupResponse(errorCode: .memberIdRequired, generationId: -1, memberId: "c-1")
        try checkGolden(required9, .joinGroup, 9, "00000000 004F FFFFFFFF 00 00 01 00 04 632D31 01 00")
        // A nil protocol name is written as "" before v7.
        #expect(encodeBody(required9, .joinGroup, 4) == encodeBody(required4, .joinGroup, 4))
        // v9 skip_assignment true sits between leader and member_id.
        let skip = JoinGroupResponse(generationId: 2, protocolName: "range", leader: "m", skipAssignment: true, memberId: "m")
        try checkGolden(skip, .joinGroup, 9, "00000000 0000 00000002 00 06 72616E6765 02 6D 01 02 6D 01 00")
    }

    @Test("SyncGroup request golden bytes (v0, v3, v4, v5)")
    func syncGroupRequestGolden() throws {
        var request = SyncGroupRequest(groupId: "g", generationId: 3, memberId: "m",
                                       assignments: [.init(memberId: "m", assignment: [1, 2, 3])])
        // group "g", generation 3, member "m", assignments[1] "m" + 3 bytes.
        try checkGolden(request, .syncGroup, 0, "0001 67 00000003 0001 6D 00000001 0001 6D 00000003 010203")
        // v4 flexible: null group_instance_id (00), compact forms, tags.
        try checkGolden(request, .syncGroup, 4, "02 67 00000003 02 6D 00 02 02 6D 04 010203 00 00")
        request.groupInstanceId = "i"
        try checkGolden(request, .syncGroup, 3, "0001 67 00000003 0001 6D 0001 69 00000001 0001 6D 00000003 010203")
        // v5: protocol_type and protocol_name after group_instance_id.
        request.groupInstanceId = nil
        request.protocolType = "consumer"
        request.protocolName = "range"
        try checkGolden(request, .syncGroup, 5, "02 67 00000003 02 6D 00 09 636F6E73756D6572 06 72616E6765 02 02 6D 04 010203 00 00")
    }

    @Test("SyncGroup response golden bytes (v0, v4, v5)")
    func syncGroupResponseGolden() throws {
        try checkGolden(SyncGroupResponse(assignment: [1, 2, 3]), .syncGroup, 0, "0000 00000003 010203")
        try checkGolden(SyncGroupResponse(throttleTimeMs: 100, assignment: [1, 2, 3]), .syncGroup, 4, "00000064 0000 04 010203 00")
        let v5 = SyncGroupResponse(protocolType: "consumer", protocolName: "range", assignment: [1, 2, 3])
        try checkGolden(v5, .syncGroup, 5, "00000000 0000 09 636F6E73756D6572 06 72616E6765 04 010203 00")
    }

    @Test("Heartbeat golden bytes (v0, v3, v4)")
    func heartbeatGolden() throws {
        let request = HeartbeatRequest(groupId: "g", generationId: 3, memberId: "m")
        try checkGolden(request, .heartbeat, 0, "0001 67 00000003 0001 6D")
        // v3: null group_instance_id.
        try checkGolden(request, .heartbeat, 3, "0001 67 00000003 0001 6D FFFF")
        var v4 = request
        v4.groupInstanceId = "i"
        try checkGolden(v4, .heartbeat, 4, "02 67 00000003 02 6D 02 69 00")
        try checkGolden(HeartbeatResponse(errorCode: .rebalanceInProgress), .heartbeat, 0, "001B")
        try checkGolden(HeartbeatResponse(throttleTimeMs: 100, errorCode: .rebalanceInProgress), .heartbeat, 1, "00000064 001B")
        try checkGolden(HeartbeatResponse(throttleTimeMs: 100, errorCode: .rebalanceInProgress), .heartbeat, 4, "00000064 001B 00")
    }

    @Test("LeaveGroup request golden bytes (v0 single member, v3 and v4 batched, v5 reason)")
    func leaveGroupRequestGolden() throws {
        try checkGolden(LeaveGroupRequest(groupId: "g", memberId: "m1"), .leaveGroup, 0, "0001 67 0002 6D31")
        var batched = LeaveGroupRequest(groupId: "g", members: [.init(memberId: "m1"), .init(memberId: "", groupInstanceId: "inst")])
        // v3: group "g", members[2] ("m1", null instance), ("", "inst").
        try checkGolden(batched, .leaveGroup, 3, "0001 67 00000002 0002 6D31 FFFF 0000 0004 696E7374")
        try checkGolden(batched, .leaveGroup, 4, "02 67 03 03 6D31 00 00 01 05 696E7374 00 00")
        // v5: per-member reason after group_instance_id.
        batched.members[0].reason = "bye"
        try checkGolden(batched, .leaveGroup, 5, "02 67 03 03 6D31 00 04 627965 00 01 05 696E7374 00 00 00")
    }

    @Test("LeaveGroup response golden bytes (v0, v1, v3, v4)")
    func leaveGroupResponseGolden() throws {
        try checkGolden(LeaveGroupResponse(errorCode: .unknownMemberId), .leaveGroup, 0, "0019")
        try checkGolden(LeaveGroupResponse(errorCode: .unknownMemberId), .leaveGroup, 1, "00000000 0019")
        let batched = LeaveGroupResponse(members: [.init(memberId: "m1", errorCode: .unknownMemberId)])
        try checkGolden(batched, .leaveGroup, 3, "00000000 0000 00000001 0002 6D31 FFFF 0019")
        try checkGolden(batched, .leaveGroup, 4, "00000000 0000 02 03 6D31 00 0019 00 00")
    }

    @Test("Unknown tagged fields are skipped")
    func unknownTagsSkipped() throws {
        // JoinGroup v6 request: an unknown tag (5) in the protocol, two (1, 7) in the body.
        let join = hex("02 67 00007530 0000EA60 02 6D 02 69 09 636F6E73756D6572 02 06 72616E6765 03 0102 01 05 02 AABB 02 01 00 07 01 FF")
        let request = try decodeBody(JoinGroupRequest.self, join, .joinGroup, 6)
        #expect(request.protocols == [.init(name: "range", metadata: [1, 2])])
        #expect(request.groupInstanceId == "i")
        // FindCoordinator v3 response with an unknown body tag.
        let find = hex("00000000 0000 00 00000001 0A 6C6F63616C686F7374 00002384 01 00 03 414243")
        #expect(try decodeBody(FindCoordinatorResponse.self, find, .findCoordinator, 3)
                == FindCoordinatorResponse(nodeId: 1, host: "localhost", port: 9092))
        // Heartbeat v4 request and LeaveGroup v4 response (tag in a member).
        let heartbeat = hex("02 67 00000003 02 6D 00 01 2A 02 0000")
        #expect(try decodeBody(HeartbeatRequest.self, heartbeat, .heartbeat, 4) == HeartbeatRequest(groupId: "g", generationId: 3, memberId: "m"))
        let leave = hex("00000000 0000 02 03 6D31 00 0019 01 03 00 00")
        #expect(try decodeBody(LeaveGroupResponse.self, leave, .leaveGroup, 4)
                == LeaveGroupResponse(members: [.init(memberId: "m1", errorCode: .unknownMemberId)]))
    }

    @Test("Nulls where the version forbids them are rejected; unknown error codes map to unknownServerError")
    func nullsAndErrorCodes() throws {
        // JoinGroup v6 response with a null protocol_name (nullable only from v7).
        let nullName = hex("00000000 0000 00000001 00 02 6D 02 6D 01 00")
        #expect(throws: ProtocolError.invalidValue("protocol_name must not be null")) {
            try decodeBody(JoinGroupResponse.self, nullName, .joinGroup, 6)
        }
        // The same field is accepted as null in v7 (after a null protocol_type).
        let v7 = hex("00000000 0000 00000001 00 00 02 6D 02 6D 01 00")
        #expect(try decodeBody(JoinGroupResponse.self, v7, .joinGroup, 7)
                == JoinGroupResponse(generationId: 1, leader: "m", memberId: "m"))
        // LeaveGroup v3 request with a null member_id; SyncGroup v0 request with null assignments.
        #expect(throws: ProtocolError.invalidValue("member_id must not be null")) {
            try decodeBody(LeaveGroupRequest.self, hex("0001 67 00000001 FFFF FFFF"), .leaveGroup, 3)
        }
        #expect(throws: ProtocolError.invalidValue("assignments must not be null")) {
            try decodeBody(SyncGroupRequest.self, hex("0001 67 00000003 0001 6D FFFFFFFF"), .syncGroup, 0)
        }
        // A null JoinGroup request group_instance_id is fine (dynamic member).
        let dynamic = try decodeBody(JoinGroupRequest.self, hex("0001 67 00007530 0000EA60 0000 FFFF 0001 63 00000000"),
                                           .joinGroup, 5)
        #expect(dynamic.groupInstanceId == nil && dynamic.protocolType == "c")
        // Unknown error codes.
        #expect(try decodeBody(HeartbeatResponse.self, hex("7FFF"), .heartbeat, 0).errorCode == .unknownServerError)
        #expect(try decodeBody(HeartbeatResponse.self, hex("0000 0000 0051 00"), .heartbeat, 4).errorCode == .groupMaxSizeReached)
    }

    // MARK: - Headers and frames

    /// Request frame: length, key, version, correlation id, client id (INT16 length even in v2),
    /// [tags], body; decoded back through `RequestHeader.decode` and `FrameCodec.decodeRequest`.
    private func checkRequestFrame<R: KafkaRequest & Equatable>(_ request: R, version: Int16) throws {
        let frame = FrameCodec.encodeRequest(request, version: version, correlationId: 42, clientId: "cli")
        let body = encodeBody(request, R.apiKey, version)
        let flexible = R.apiKey.isFlexible(version)
        #expect(Array(frame.prefix(4)) == [0, 0, UInt8((frame.count - 4) >> 8), UInt8((frame.count - 4) & 0xFF)])
        let headerEnd = 4 + 2 + 2 + 4 + 2 + 3
        #expect(Array(frame[4..<headerEnd]) == [0, UInt8(R.apiKey.rawValue), 0, UInt8(version), 0, 0, 0, 42, 0, 3, 0x63, 0x6C, 0x69])
        if flexible {
            #expect(frame[headerEnd] == 0, "header v2 ends with an empty tag section")
            #expect(Array(frame[(headerEnd + 1)...]) == body)
        } else {
            #expect(Array(frame[headerEnd...]) == body)
        }
        let (header, reader) = try RequestHeader.decode(Array(frame.dropFirst(4)))
        #expect(header == RequestHeader(apiKey: R.apiKey, apiVersion: version, correlationId: 42, clientId: "cli"))
        #expect(reader.flexible == flexible)
        #expect(R.apiKey.requestHeaderVersion(version) == (flexible ? 2 : 1))
        var bodyReader = reader
        let decoded = try FrameCodec.decodeRequest(R.self, from: &bodyReader, version: version)
        #expect(decoded == request)
        #expect(bodyReader.remaining == 0)
    }

    /// Response frame: length, correlation id, [tags (header v1)], body; decoded back.
    private func checkResponseFrame<M: ProtocolMessage & Equatable>(_ response: M, _ apiKey: ApiKey, version: Int16) throws {
        let segments = FrameCodec.encodeResponse(response, apiKey: apiKey, version: version, correlationId: 42)
        guard segments.count == 1, case .bytes(let frame) = segments[0] else {
            Issue.record("expected one bytes segment: \(segments)")
            return
        }
        let body = encodeBody(response, apiKey, version)
        let flexible = apiKey.isFlexible(version)
        #expect(Array(frame.prefix(8)) == [0, 0, UInt8((frame.count - 4) >> 8), UInt8((frame.count - 4) & 0xFF), 0, 0, 0, 42])
        #expect(Array(frame.dropFirst(flexible ? 9 : 8)) == body)
        if flexible { #expect(frame[8] == 0, "response header v1 has an empty tag section") }
        let (correlationId, decoded) = try FrameCodec.decodeResponse(Array(frame.dropFirst(4)), as: M.self, apiKey: apiKey, version: version)
        #expect(correlationId == 42)
        #expect(decoded == response)
    }

    @Test("Header versions follow the first flexible version of each API",
          arguments: [(ApiKey.findCoordinator, Int16(2)), (.findCoordinator, 3), (.joinGroup, 5), (.joinGroup, 6),
                      (.syncGroup, 3), (.syncGroup, 4), (.heartbeat, 3), (.heartbeat, 4), (.leaveGroup, 3), (.leaveGroup, 4)])
    func headerSelection(apiKey: ApiKey, version: Int16) throws {
        switch apiKey {
        case .findCoordinator:
            try checkRequestFrame(MembershipSamples.project(MembershipSamples.findCoordinatorRequest(), version), version: version)
            try checkResponseFrame(MembershipSamples.project(MembershipSamples.findCoordinatorResponse(), version), apiKey, version: version)
        case .joinGroup:
            try checkRequestFrame(MembershipSamples.project(MembershipSamples.joinGroupRequest(), version), version: version)
            try checkResponseFrame(MembershipSamples.project(MembershipSamples.joinGroupResponse(), version), apiKey, version: version)
        case .syncGroup:
            try checkRequestFrame(MembershipSamples.project(MembershipSamples.syncGroupRequest(), version), version: version)
            try checkResponseFrame(MembershipSamples.project(MembershipSamples.syncGroupResponse(), version), apiKey, version: version)
        case .heartbeat:
            try checkRequestFrame(MembershipSamples.project(MembershipSamples.heartbeatRequest(), version), version: version)
            try checkResponseFrame(MembershipSamples.project(MembershipSamples.heartbeatResponse(), version), apiKey, version: version)
        default:
            try checkRequestFrame(MembershipSamples.project(MembershipSamples.leaveGroupRequest(), version), version: version)
            try checkResponseFrame(MembershipSamples.project(MembershipSamples.leaveGroupResponse(), version), apiKey, version: version)
        }
    }

    @Test("Request types name their API and response")
    func apiKeys() {
        #expect(FindCoordinatorRequest.apiKey == .findCoordinator && FindCoordinatorRequest.Response.self == FindCoordinatorResponse.self)
        #expect(JoinGroupRequest.apiKey == .joinGroup && JoinGroupRequest.Response.self == JoinGroupResponse.self)
        #expect(SyncGroupRequest.apiKey == .syncGroup && SyncGroupRequest.Response.self == SyncGroupResponse.self)
        #expect(HeartbeatRequest.apiKey == .heartbeat && HeartbeatRequest.Response.self == HeartbeatResponse.self)
        #expect(LeaveGroupRequest.apiKey == .leaveGroup && LeaveGroupRequest.Response.self == LeaveGroupResponse.self)
    }

    // MARK: - Malformed input

    @Test("Every truncation of a valid encoding throws", arguments: MembershipCodecCase.all)
    func truncations(codec: MembershipCodecCase) {
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

    /// `prefix` then a huge count or length (classic INT32 or compact N+1), then a few bytes.
    private func huge(flexible: Bool, count: Int64, _ prefix: (inout ProtocolWriter) -> Void) -> [UInt8] {
        var writer = ProtocolWriter(flexible: flexible)
        prefix(&writer)
        if flexible { writer.writeUnsignedVarint(UInt32(count + 1)) } else { writer.writeInt32(Int32(count)) }
        return writer.encoded + [0, 1, 2, 3]
    }

    @Test("Huge counts and lengths in short buffers throw invalidLength at once")
    func hugeLengths() {
        let clock = ContinuousClock()
        let start = clock.now
        let billion: Int64 = 1_000_000_000
        let maxLength = Int64(Int32.max)
        for flexible in [false, true] {
            // JoinGroup request: protocols count, then a protocol's metadata length.
            let joinVersion: Int16 = flexible ? 9 : 5
            let joinHead = { (w: inout ProtocolWriter) in
                w.writeString("g"); w.writeInt32(30_000); w.writeInt32(-1); w.writeString(""); w.writeNullableString(nil); w.writeString("c")
            }
            #expect(throws: ProtocolError.invalidLength(field: "protocols", value: billion)) {
                try decodeBody(JoinGroupRequest.self, huge(flexible: flexible, count: billion, joinHead), .joinGroup, joinVersion)
            }
            let metadata = huge(flexible: flexible, count: maxLength) { w in
                joinHead(&w)
                if flexible { w.writeUnsignedVarint(2) } else { w.writeInt32(1) }
                w.writeString("range")
            }
            #expect(throws: ProtocolError.invalidLength(field: "metadata", value: maxLength)) {
                try decodeBody(JoinGroupRequest.self, metadata, .joinGroup, joinVersion)
            }
            // JoinGroup response: members count.
            let joined = huge(flexible: flexible, count: billion) { w in
                w.writeInt32(0); w.writeInt16(0); w.writeInt32(1)
                if flexible { w.writeNullableString(nil) }
                w.writeString("range"); w.writeString("m")
                if flexible { w.writeBool(false) }
                w.writeString("m")
            }
            #expect(throws: ProtocolError.invalidLength(field: "members", value: billion)) {
                try decodeBody(JoinGroupResponse.self, joined, .joinGroup, flexible ? 9 : 5)
            }
            // SyncGroup request: assignments count; response: assignment length.
            let sync = huge(flexible: flexible, count: billion) { w in
                w.writeString("g"); w.writeInt32(1); w.writeString("m"); w.writeNullableString(nil)
            }
            #expect(throws: ProtocolError.invalidLength(field: "assignments", value: billion)) {
                try decodeBody(SyncGroupRequest.self, sync, .syncGroup, flexible ? 4 : 3)
            }
            let synced = huge(flexible: flexible, count: maxLength) { w in
                w.writeInt32(0); w.writeInt16(0)
                if flexible { w.writeNullableString(nil); w.writeNullableString(nil) }
            }
            #expect(throws: ProtocolError.invalidLength(field: "assignment", value: maxLength)) {
                try decodeBody(SyncGroupResponse.self, synced, .syncGroup, flexible ? 5 : 1)
            }
            // LeaveGroup request and response: members count.
            #expect(throws: ProtocolError.invalidLength(field: "members", value: billion)) {
                try decodeBody(LeaveGroupRequest.self, huge(flexible: flexible, count: billion) { w in w.writeString("g") },
                                     .leaveGroup, flexible ? 5 : 3)
            }
            #expect(throws: ProtocolError.invalidLength(field: "members", value: billion)) {
                try decodeBody(LeaveGroupResponse.self, huge(flexible: flexible, count: billion) { w in w.writeInt32(0); w.writeInt16(0) },
                                     .leaveGroup, flexible ? 4 : 3)
            }
        }
        // FindCoordinator v4: coordinator_keys and coordinators counts.
        #expect(throws: ProtocolError.invalidLength(field: "coordinator_keys", value: billion)) {
            try decodeBody(FindCoordinatorRequest.self, huge(flexible: true, count: billion) { w in w.writeInt8(0) },
                                 .findCoordinator, 4)
        }
        #expect(throws: ProtocolError.invalidLength(field: "coordinators", value: billion)) {
            try decodeBody(FindCoordinatorResponse.self, huge(flexible: true, count: billion) { w in w.writeInt32(0) },
                                 .findCoordinator, 4)
        }
        // Negative classic counts; a string length beyond the buffer; a huge tag-section count.
        #expect(throws: ProtocolError.invalidLength(field: "protocols", value: -2)) {
            try decodeBody(JoinGroupRequest.self, hex("0001 67 00007530 0000 0001 63 FFFFFFFE"), .joinGroup, 0)
        }
        #expect(throws: ProtocolError.invalidLength(field: "group_id", value: 32_767)) {
            try decodeBody(HeartbeatRequest.self, hex("7FFF 6767"), .heartbeat, 0)
        }
        #expect(throws: ProtocolError.invalidLength(field: "tagged fields", value: 268_435_455)) {
            try decodeBody(HeartbeatResponse.self, hex("00000000 0000 FFFFFF7F"), .heartbeat, 4)
        }
        #expect(clock.now - start < .seconds(1))
    }

    @Test("Random garbage and mutated encodings never crash a decoder", arguments: MembershipCodecCase.all)
    func garbage(codec: MembershipCodecCase) {
        for seed in UInt64(0)..<400 {
            var rng = TestRNG(seed: seed &* 0x1_0000_0001 &+ UInt64(codec.apiKey.rawValue) &* 7 &+ UInt64(codec.name.count))
            for version in codec.versions {
                let random = rng.bytes(Int(rng.next() % 96))
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
                _ = try? codec.decode(Array(valid.prefix(cut)) + rng.bytes(Int(rng.next() % 32)), version)
            }
        }
    }
}
