@testable import Broker
import KafkaProtocol
import Synchronization
import SystemIO
import Testing

/// Share-group membership and the broker-side assignor, on a manual clock (no sockets).
@Suite struct ShareGroupCoordinatorTests {
    final class Topics: Sendable {
        let counts = Mutex<[String: Int32]>(["orders": 2, "drinks": 3])
        func set(_ topic: String, _ count: Int32) { counts.withLock { $0[topic] = count } }
    }

    /// A coordinator whose every group has `limits`.
    final class Fixture: Sendable {
        let coordinator: ShareGroupCoordinator
        let limits: ShareGroupCoordinator.Limits
        init(_ coordinator: ShareGroupCoordinator, _ limits: ShareGroupCoordinator.Limits) {
            self.coordinator = coordinator
            self.limits = limits
        }
        func heartbeat(_ request: ShareGroupCoordinator.Heartbeat) -> ShareGroupCoordinator.HeartbeatResult {
            coordinator.heartbeat(request, limits: limits)
        }
        func tick() -> [(groupId: String, memberId: String)] { coordinator.tick { _ in self.limits } }
        func describe(_ id: String) -> ShareGroup? { coordinator.describe(id) }
        func delete(_ id: String) -> ErrorCode { coordinator.delete(id) }
        var groupIds: [String] { coordinator.groupIds }
    }

    static func make(limits: ShareGroupCoordinator.Limits = .init()) -> (Fixture, ManualTimeSource, Topics) {
        let clock = ManualTimeSource()
        let topics = Topics()
        let coordinator = ShareGroupCoordinator(time: clock, logger: .silent, partitionCount: { topic in topics.counts.withLock { $0[topic] } })
        return (Fixture(coordinator, limits), clock, topics)
    }

    static func join(_ c: Fixture, _ member: String, topics: [String] = ["orders"], group: String = "g") -> ShareGroupCoordinator.HeartbeatResult {
        c.heartbeat(.init(groupId: group, memberId: member, memberEpoch: 0, subscribedTopicNames: topics))
    }

    static func beat(_ c: Fixture, _ member: String, epoch: Int32, group: String = "g") -> ShareGroupCoordinator.HeartbeatResult {
        c.heartbeat(.init(groupId: group, memberId: member, memberEpoch: epoch))
    }

    @Test func assignorSpreadsAndSharesPartitions() {
        let counts: [String: Int32] = ["t": 2, "u": 4]
        // Fewer members than partitions: round robin, every partition once.
        let two = ShareAssignor.assign(subscriptions: ["a": ["u"], "b": ["u"]]) { counts[$0] }
        #expect(two["a"] == ["u": [0, 2]])
        #expect(two["b"] == ["u": [1, 3]])
        // More members than partitions: each member one partition, shared.
        let five = ShareAssignor.assign(subscriptions: ["a": ["t"], "b": ["t"], "c": ["t"], "d": ["t"], "e": ["t"]]) { counts[$0] }
        #expect(five.mapValues { $0["t"] ?? [] } == ["a": [0], "b": [1], "c": [0], "d": [1], "e": [0]])
        // Unknown topics are left out; a member with nothing gets an empty assignment.
        let missing = ShareAssignor.assign(subscriptions: ["a": ["nope"]]) { counts[$0] }
        #expect(missing == ["a": [:]])
    }

    @Test func joinHeartbeatAndLeave() {
        let (c, _, _) = Self.make()
        let first = Self.join(c, "m1")
        #expect(first.error == .none)
        #expect(first.memberEpoch == 1)
        #expect(first.assignment == ["orders": [0, 1]])
        #expect(first.heartbeatIntervalMs == 5_000)
        // Nothing changed: no assignment in the answer.
        let again = Self.beat(c, "m1", epoch: 1)
        #expect(again.memberEpoch == 1)
        #expect(again.assignment == nil)
        // A second member: the first learns its new assignment at its next heartbeat.
        let second = Self.join(c, "m2")
        #expect(second.memberEpoch == 2)
        #expect(second.assignment == ["orders": [1]])
        let moved = Self.beat(c, "m1", epoch: 1)
        #expect(moved.memberEpoch == 2)
        #expect(moved.assignment == ["orders": [0]])
        // Leaving: epoch -1, and the other member gets everything back.
        #expect(c.heartbeat(.init(groupId: "g", memberId: "m2", memberEpoch: -1)).memberEpoch == -1)
        #expect(Self.beat(c, "m1", epoch: 2).assignment == ["orders": [0, 1]])
        #expect(c.describe("g")?.state == .stable)
    }

    @Test func fourMembersOnTwoPartitionsAllGetWork() {
        let (c, _, _) = Self.make()
        for m in ["w1", "w2", "w3", "w4"] { _ = Self.join(c, m) }
        let group = c.describe("g")
        let assigned = (group?.members.values.map { $0.assignment["orders"] ?? [] } ?? []).sorted { $0.first ?? -1 < $1.first ?? -1 }
        #expect(assigned.count == 4)
        #expect(assigned.allSatisfy { $0.count == 1 })
        #expect(Set(assigned.flatMap { $0 }) == [0, 1])
    }

    @Test func badHeartbeatsGetKafkasErrors() {
        let (c, _, _) = Self.make(limits: .init(maxSize: 2))
        #expect(c.heartbeat(.init(groupId: "", memberId: "m", memberEpoch: 0, subscribedTopicNames: ["orders"])).error == .invalidRequest)
        #expect(c.heartbeat(.init(groupId: "g", memberId: "", memberEpoch: 0, subscribedTopicNames: ["orders"])).error == .invalidRequest)
        #expect(c.heartbeat(.init(groupId: "g", memberId: "m", memberEpoch: 0)).error == .invalidRequest)
        #expect(c.heartbeat(.init(groupId: "g", memberId: "m", memberEpoch: -2)).error == .invalidRequest)
        #expect(Self.beat(c, "ghost", epoch: 3).error == .unknownMemberId)
        #expect(c.heartbeat(.init(groupId: "g", memberId: "ghost", memberEpoch: -1)).error == .unknownMemberId)
        let joined = Self.join(c, "m1")
        #expect(Self.beat(c, "m1", epoch: joined.memberEpoch + 5).error == .fencedMemberEpoch)
        _ = Self.join(c, "m2")
        #expect(Self.join(c, "m3").error == .groupMaxSizeReached)
        // The refusals changed nothing for the members.
        #expect(c.describe("g")?.members.count == 2)
        #expect(Self.beat(c, "m1", epoch: joined.memberEpoch).error == .none)
    }

    @Test func sessionTimeoutRemovesTheMember() {
        let (c, clock, _) = Self.make(limits: .init(sessionTimeoutMs: 10_000))
        _ = Self.join(c, "m1")
        let second = Self.join(c, "m2")
        clock.advance(millis: 6_000)
        _ = Self.beat(c, "m2", epoch: second.memberEpoch)
        clock.advance(millis: 6_000)
        let removed = c.tick()
        #expect(removed.map(\.memberId) == ["m1"])
        let after = Self.beat(c, "m2", epoch: second.memberEpoch)
        #expect(after.assignment == ["orders": [0, 1]])
        // The expired member is unknown now.
        #expect(Self.beat(c, "m1", epoch: 2).error == .unknownMemberId)
    }

    @Test func newPartitionsAndSubscriptionChangesReassign() {
        let (c, _, topics) = Self.make()
        let joined = Self.join(c, "m1")
        topics.set("orders", 4)
        let grown = Self.beat(c, "m1", epoch: joined.memberEpoch)
        #expect(grown.memberEpoch == joined.memberEpoch + 1)
        #expect(grown.assignment == ["orders": [0, 1, 2, 3]])
        let switched = c.heartbeat(.init(groupId: "g", memberId: "m1", memberEpoch: grown.memberEpoch, subscribedTopicNames: ["drinks"]))
        #expect(switched.assignment == ["drinks": [0, 1, 2]])
    }

    @Test func deleteOnlyEmptyGroups() {
        let (c, _, _) = Self.make()
        #expect(c.delete("g") == .groupIdNotFound)
        let joined = Self.join(c, "m1")
        #expect(c.delete("g") == .nonEmptyGroup)
        _ = c.heartbeat(.init(groupId: "g", memberId: "m1", memberEpoch: -1))
        #expect(c.describe("g")?.state == .empty)
        #expect(c.delete("g") == ErrorCode.none)
        #expect(c.groupIds.isEmpty)
        _ = joined
    }
}
