import KafkaProtocol
import Testing

// Helpers for GroupMembershipMessagesTests (FindCoordinator, JoinGroup, SyncGroup, Heartbeat,
// LeaveGroup). Names carry a `membership` prefix so they cannot collide with other test files in
// this target.

/// Fully populated sample values (every field non-default, including fields that only exist in
/// some versions) and projections that reset the fields a version does not carry to what the
/// decoder yields for them. `nulls` swaps nullable fields to nil.
enum MembershipSamples {
    static let blob: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x42]

    // MARK: FindCoordinator

    static func findCoordinatorRequest() -> FindCoordinatorRequest {
        FindCoordinatorRequest(key: "group-1", keyType: FindCoordinatorRequest.transactionKeyType,
                               coordinatorKeys: ["group-1", "txn-é", ""])
    }

    static func project(_ value: FindCoordinatorRequest, _ version: Int16) -> FindCoordinatorRequest {
        var value = value
        if version < 1 { value.keyType = 0 }
        if version < 4 { value.coordinatorKeys = [] } else { value.key = "" }
        return value
    }

    static func findCoordinatorResponse(nulls: Bool = false) -> FindCoordinatorResponse {
        FindCoordinatorResponse(
            throttleTimeMs: 7, errorCode: .coordinatorNotAvailable, errorMessage: nulls ? nil : "not yet", nodeId: 3,
            host: "broker-3", port: 9093,
            coordinators: [
                .init(key: "g", nodeId: 1, host: "h1", port: 9092, errorCode: .none, errorMessage: nulls ? nil : ""),
                .init(key: "t", nodeId: -1, host: "", port: -1, errorCode: .coordinatorNotAvailable,
                      errorMessage: "transactions unsupported"),
            ])
    }

    static func project(_ value: FindCoordinatorResponse, _ version: Int16) -> FindCoordinatorResponse {
        var value = value
        if version < 1 {
            value.throttleTimeMs = 0
            value.errorMessage = nil
        }
        if version <= 3 {
            value.coordinators = []
        } else {
            value.errorCode = .none
            value.errorMessage = nil
            value.nodeId = 0
            value.host = ""
            value.port = 0
        }
        return value
    }

    // MARK: JoinGroup

    static func joinGroupRequest(nulls: Bool = false) -> JoinGroupRequest {
        JoinGroupRequest(
            groupId: "grp", sessionTimeoutMs: 45_000, rebalanceTimeoutMs: 300_000, memberId: "m-1",
            groupInstanceId: nulls ? nil : "inst-1", protocolType: "consumer",
            protocols: [.init(name: "range", metadata: blob), .init(name: "cooperative-sticky", metadata: [])],
            reason: nulls ? nil : "rejoin")
    }

    static func project(_ value: JoinGroupRequest, _ version: Int16) -> JoinGroupRequest {
        var value = value
        if version < 1 { value.rebalanceTimeoutMs = -1 }
        if version < 5 { value.groupInstanceId = nil }
        if version < 8 { value.reason = nil }
        return value
    }

    static func joinGroupResponse(nulls: Bool = false) -> JoinGroupResponse {
        JoinGroupResponse(
            throttleTimeMs: 12, errorCode: .rebalanceInProgress, generationId: 5, protocolType: nulls ? nil : "consumer",
            protocolName: nulls ? nil : "range", leader: "m-1", skipAssignment: true, memberId: "m-2",
            members: [
                .init(memberId: "m-1", groupInstanceId: nulls ? nil : "inst-1", metadata: blob),
                .init(memberId: "m-2", groupInstanceId: "inst-2", metadata: []),
            ])
    }

    static func project(_ value: JoinGroupResponse, _ version: Int16) -> JoinGroupResponse {
        var value = value
        if version < 2 { value.throttleTimeMs = 0 }
        if version < 7 {
            value.protocolType = nil
            value.protocolName = value.protocolName ?? ""
        }
        if version < 9 { value.skipAssignment = false }
        if version < 5 {
            for m in value.members.indices { value.members[m].groupInstanceId = nil }
        }
        return value
    }

    // MARK: SyncGroup

    static func syncGroupRequest(nulls: Bool = false) -> SyncGroupRequest {
        SyncGroupRequest(
            groupId: "grp", generationId: 5, memberId: "m-1", groupInstanceId: nulls ? nil : "inst-1",
            protocolType: nulls ? nil : "consumer", protocolName: nulls ? nil : "range",
            assignments: [.init(memberId: "m-1", assignment: blob), .init(memberId: "m-2", assignment: [])])
    }

    static func project(_ value: SyncGroupRequest, _ version: Int16) -> SyncGroupRequest {
        var value = value
        if version < 3 { value.groupInstanceId = nil }
        if version < 5 {
            value.protocolType = nil
            value.protocolName = nil
        }
        return value
    }

    static func syncGroupResponse(nulls: Bool = false) -> SyncGroupResponse {
        SyncGroupResponse(throttleTimeMs: 3, errorCode: .rebalanceInProgress, protocolType: nulls ? nil : "consumer",
                          protocolName: nulls ? nil : "range", assignment: blob)
    }

    static func project(_ value: SyncGroupResponse, _ version: Int16) -> SyncGroupResponse {
        var value = value
        if version < 1 { value.throttleTimeMs = 0 }
        if version < 5 {
            value.protocolType = nil
            value.protocolName = nil
        }
        return value
    }

    // MARK: Heartbeat

    static func heartbeatRequest(nulls: Bool = false) -> HeartbeatRequest {
        HeartbeatRequest(groupId: "grp", generationId: 5, memberId: "m-1", groupInstanceId: nulls ? nil : "inst-1")
    }

    static func project(_ value: HeartbeatRequest, _ version: Int16) -> HeartbeatRequest {
        var value = value
        if version < 3 { value.groupInstanceId = nil }
        return value
    }

    static func heartbeatResponse() -> HeartbeatResponse {
        HeartbeatResponse(throttleTimeMs: 9, errorCode: .rebalanceInProgress)
    }

    static func project(_ value: HeartbeatResponse, _ version: Int16) -> HeartbeatResponse {
        var value = value
        if version < 1 { value.throttleTimeMs = 0 }
        return value
    }

    // MARK: LeaveGroup

    static func leaveGroupRequest(nulls: Bool = false) -> LeaveGroupRequest {
        LeaveGroupRequest(
            groupId: "grp", memberId: "m-0",
            members: [
                .init(memberId: "m-1", groupInstanceId: nulls ? nil : "inst-1", reason: nulls ? nil : "shutdown"),
                .init(memberId: "", groupInstanceId: "inst-2", reason: nil),
            ])
    }

    static func project(_ value: LeaveGroupRequest, _ version: Int16) -> LeaveGroupRequest {
        var value = value
        if version <= 2 {
            value.members = []
        } else {
            value.memberId = ""
        }
        if version < 5 {
            for m in value.members.indices { value.members[m].reason = nil }
        }
        return value
    }

    static func leaveGroupResponse(nulls: Bool = false) -> LeaveGroupResponse {
        LeaveGroupResponse(
            throttleTimeMs: 4, errorCode: .notCoordinator,
            members: [
                .init(memberId: "m-1", groupInstanceId: "inst-1", errorCode: .none),
                .init(memberId: "", groupInstanceId: nulls ? nil : "inst-2", errorCode: .unknownMemberId),
            ])
    }

    static func project(_ value: LeaveGroupResponse, _ version: Int16) -> LeaveGroupResponse {
        var value = value
        if version < 1 { value.throttleTimeMs = 0 }
        if version < 3 { value.members = [] }
        return value
    }
}

/// Every type under test with its versions, as "decode these bytes" closures (for fuzzing), and
/// a valid encoding of its sample at a version (for truncation and mutation).
struct MembershipCodecCase: Sendable, CustomStringConvertible {
    let name: String
    let apiKey: ApiKey
    let versions: ClosedRange<Int16>
    /// Decodes; when that succeeds, checks that re-encoding and decoding again gives the same value.
    let decode: @Sendable ([UInt8], Int16) throws -> Void
    let sample: @Sendable (Int16) -> [UInt8]

    var description: String { name }

    static func make<M: ProtocolMessage & Equatable>(_ type: M.Type, _ apiKey: ApiKey, _ versions: ClosedRange<Int16>,
                                                     _ sample: @escaping @Sendable () -> M) -> MembershipCodecCase {
        MembershipCodecCase(
            name: "\(M.self)", apiKey: apiKey, versions: versions,
            decode: { bytes, version in
                var reader = ProtocolReader(bytes, flexible: apiKey.isFlexible(version))
                let value = try M(from: &reader, version: version)
                let again = encodeBody(value, apiKey, version)
                var second = ProtocolReader(again, flexible: apiKey.isFlexible(version))
                let redecoded = try? M(from: &second, version: version)
                #expect(redecoded == value, "\(M.self) v\(version): re-encoding a decoded value is not stable")
                #expect(second.remaining == 0)
            },
            sample: { version in encodeBody(sample(), apiKey, version) })
    }

    static let all: [MembershipCodecCase] = [
        make(FindCoordinatorRequest.self, .findCoordinator, 0...4) { MembershipSamples.findCoordinatorRequest() },
        make(FindCoordinatorResponse.self, .findCoordinator, 0...4) { MembershipSamples.findCoordinatorResponse() },
        make(JoinGroupRequest.self, .joinGroup, 0...9) { MembershipSamples.joinGroupRequest() },
        make(JoinGroupResponse.self, .joinGroup, 0...9) { MembershipSamples.joinGroupResponse() },
        make(SyncGroupRequest.self, .syncGroup, 0...5) { MembershipSamples.syncGroupRequest() },
        make(SyncGroupResponse.self, .syncGroup, 0...5) { MembershipSamples.syncGroupResponse() },
        make(HeartbeatRequest.self, .heartbeat, 0...4) { MembershipSamples.heartbeatRequest() },
        make(HeartbeatResponse.self, .heartbeat, 0...4) { MembershipSamples.heartbeatResponse() },
        make(LeaveGroupRequest.self, .leaveGroup, 0...5) { MembershipSamples.leaveGroupRequest() },
        make(LeaveGroupResponse.self, .leaveGroup, 0...5) { MembershipSamples.leaveGroupResponse() },
    ]
}
