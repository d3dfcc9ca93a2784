@testable import Broker
import KafkaProtocol
import Synchronization
import Testing

/// The KIP-848 consumer group coordinator on a manual clock: joins, incremental reconciliation
/// (revoke before assign, never owned twice), leaves, session and rebalance timeouts, static
/// membership, fencing errors, assignors and metadata changes.
@Suite struct ConsumerGroupCoordinatorTests {
    final class Topics: Sendable {
        let counts = Mutex<[String: Int]>(["orders": 6])
        func set(_ topic: String, _ count: Int) { counts.withLock { $0[topic] = count } }
    }

    /// A client that behaves as Kafka's consumer does: it reports what it owns, uses the
    /// assignment it gets (dropping what was taken away at once), and keeps its epoch.
    struct Client {
        let id: String
        var instanceId: String? = nil
        var epoch: Int32 = 0
        var owned: ConsumerAssignment = [:]
        var joined = false
    }

    final class Fixture: @unchecked Sendable {
        let topics = Topics()
        let coordinator: ConsumerGroupCoordinator
        var now: Int64 = 1_000_000
        var limits = ConsumerGroupCoordinator.Limits(sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000)

        init() {
            let topics = topics
            coordinator = ConsumerGroupCoordinator(partitionCount: { topic in topics.counts.withLock { $0[topic] } })
        }

        func group(_ id: String = "g") -> ConsumerProtocolGroup? { coordinator.describe(id) }

        /// A full heartbeat of `client` (join when it has not joined); applies the answer.
        @discardableResult
        func beat(_ client: inout Client, topics: [String] = ["orders"], assignor: String? = nil,
                  rebalanceTimeoutMs: Int32 = 30_000, group: String = "g") -> ConsumerGroupCoordinator.HeartbeatResult {
            let request = ConsumerGroupCoordinator.Heartbeat(
                groupId: group, memberId: client.id, memberEpoch: client.joined ? client.epoch : 0,
                instanceId: client.instanceId, rebalanceTimeoutMs: client.joined ? -1 : rebalanceTimeoutMs,
                subscribedTopicNames: client.joined ? nil : topics, serverAssignor: client.joined ? nil : assignor,
                ownedPartitions: client.joined ? client.owned : [:])
            let result = coordinator.heartbeat(request, limits: limits, now: now)
            if result.error == .none {
                client.joined = true
                client.epoch = result.memberEpoch
                if let assignment = result.assignment { client.owned = assignment }
            }
            checkNeverOwnedTwice(group)
            return result
        }

        /// Heartbeats every client in turn until nothing changes (at most `rounds` rounds).
        func settle(_ clients: inout [Client], rounds: Int = 10) {
            for _ in 0..<rounds {
                let before = clients.map { ($0.epoch, $0.owned) }
                for index in clients.indices { beat(&clients[index]) }
                checkClientsDisjoint(clients)
                if zip(before, clients).allSatisfy({ $0.0 == $1.epoch && $0.1 == $1.owned }),
                   group()?.state == .stable { return }
            }
        }

        /// The coordinator's invariant: no partition is assigned or pending revocation at two members.
        func checkNeverOwnedTwice(_ groupId: String = "g", sourceLocation: SourceLocation = #_sourceLocation) {
            guard let group = group(groupId) else { return }
            var seen: Set<String> = []
            for member in group.members.values {
                for (topic, partitions) in member.assigned.merging(member.pendingRevocation, uniquingKeysWith: { $0.union($1) }) {
                    for p in partitions {
                        #expect(seen.insert("\(topic)-\(p)").inserted, "\(topic)-\(p) owned twice", sourceLocation: sourceLocation)
                    }
                }
            }
        }
    }

    /// What the clients themselves believe they own never overlaps.
    static func checkClientsDisjoint(_ clients: [Client], sourceLocation: SourceLocation = #_sourceLocation) {
        var seen: Set<String> = []
        for client in clients {
            for (topic, partitions) in client.owned {
                for p in partitions { #expect(seen.insert("\(topic)-\(p)").inserted, "clients both own \(topic)-\(p)", sourceLocation: sourceLocation) }
            }
        }
    }

    static func count(_ assignment: ConsumerAssignment) -> Int { assignment.values.reduce(0) { $0 + $1.count } }
}

// Top-level aliases so the tests read short.
private typealias Fixture = ConsumerGroupCoordinatorTests.Fixture
private typealias Client = ConsumerGroupCoordinatorTests.Client

extension ConsumerGroupCoordinatorTests {
    /// Three members that have settled on the 6-partition topic.
    fileprivate static func threeStable() -> (Fixture, [Client]) {
        let f = Fixture()
        var clients = ["a", "b", "c"].map { Client(id: $0) }
        f.settle(&clients)
        return (f, clients)
    }

    @Test("three members on six partitions end with two each, no partition owned twice at any step")
    func threeMembersSplit() {
        let f = Fixture()
        var clients = ["a", "b", "c"].map { Client(id: $0) }
        // a joins alone: all six at epoch 1.
        let first = f.beat(&clients[0])
        #expect(first.memberEpoch == 1)
        #expect(Self.count(first.assignment ?? [:]) == 6)
        f.settle(&clients)
        #expect(clients.map { Self.count($0.owned) } == [2, 2, 2])
        let group = f.group()
        #expect(group?.state == .stable)
        #expect(group?.groupEpoch == 3)
        #expect(clients.allSatisfy { $0.epoch == 3 })
        #expect(Set(clients.flatMap { $0.owned["orders"] ?? [] }) == Set(0..<6))
    }

    @Test("a fourth member gets a partition only after its owner revoked it")
    func fourthJoinRevokesFirst() throws {
        var (f, clients) = Self.threeStable()
        var d = Client(id: "d")
        let joined = f.beat(&d)
        // Target computed at epoch 4; d's partitions are still owned: it waits, empty-handed.
        #expect(joined.memberEpoch == 4)
        #expect(joined.assignment == [:])
        #expect(f.group()?.members["d"]?.state == .unreleasedPartitions)
        let target = try #require(f.group()?.targetAssignment["d"]?["orders"])
        #expect(target.count == 1 || target.count == 2)
        // The owners are asked to revoke at their current epoch and keep owning until they ack.
        var revokers: [Int] = []
        for index in clients.indices {
            let before = clients[index].owned
            let result = f.beat(&clients[index])
            if let member = f.group()?.members[clients[index].id], member.state == .unrevokedPartitions {
                revokers.append(index)
                #expect(result.memberEpoch == 3, "stays at its epoch until it revoked")
                #expect(!(member.pendingRevocation["orders"] ?? []).isDisjoint(with: target))
                #expect(Self.count(result.assignment ?? before) < Self.count(before))
            }
        }
        #expect(!revokers.isEmpty)
        // d still has nothing: the revokers have not acknowledged yet.
        f.beat(&d)
        #expect((d.owned["orders"] ?? []).isDisjoint(with: target))
        // The acknowledgements (owned partitions without the revoked ones) release them.
        for index in revokers { f.beat(&clients[index]) }
        #expect(revokers.allSatisfy { clients[$0].epoch == 4 })
        f.beat(&d)
        #expect(d.owned["orders"] == target)
        var all = clients + [d]
        f.settle(&all)
        #expect(all.map { Self.count($0.owned) }.sorted() == [1, 1, 2, 2])
        Self.checkClientsDisjoint(all)
        #expect(f.group()?.state == .stable)
    }

    @Test("uniform is sticky: a fourth member moves only the partitions it takes")
    func uniformSticky() {
        let (f, clients) = Self.threeStable()
        let before = Dictionary(uniqueKeysWithValues: clients.map { ($0.id, $0.owned["orders"] ?? []) })
        var all = clients + [Client(id: "d")]
        f.settle(&all)
        for client in all.prefix(3) {
            #expect((client.owned["orders"] ?? []).isSubset(of: before[client.id] ?? []))
        }
    }

    @Test("a member that leaves frees its partitions at once; the others take them")
    func memberLeaves() {
        let (f, clients) = Self.threeStable()
        let epoch = f.group()?.groupEpoch ?? 0
        let left = f.coordinator.heartbeat(.init(groupId: "g", memberId: "c", memberEpoch: -1), limits: f.limits, now: f.now)
        #expect(left.error == .none)
        #expect(left.memberEpoch == -1)
        #expect(f.group()?.groupEpoch == epoch + 1)
        #expect(f.group()?.members["c"] == nil)
        var rest = Array(clients.prefix(2))
        f.settle(&rest)
        #expect(rest.map { Self.count($0.owned) } == [3, 3])
        #expect(Set(rest.flatMap { $0.owned["orders"] ?? [] }) == Set(0..<6))
        // Leaving again: no longer a member.
        #expect(f.coordinator.heartbeat(.init(groupId: "g", memberId: "c", memberEpoch: -1), limits: f.limits, now: f.now).error == .unknownMemberId)
    }

    @Test("a member whose session expires is removed and its partitions move")
    func sessionTimeout() {
        var (f, clients) = Self.threeStable()
        f.now += 6_000
        f.beat(&clients[0]); f.beat(&clients[1])
        #expect(f.coordinator.tick(now: f.now).isEmpty)
        f.now += 6_000      // c last heard 12 s ago, a and b 6 s ago; timeout 10 s.
        let removed = f.coordinator.tick(now: f.now)
        #expect(removed == [.init(groupId: "g", memberId: "c", reason: .sessionTimeout)])
        var rest = Array(clients.prefix(2))
        f.settle(&rest)
        #expect(rest.map { Self.count($0.owned) } == [3, 3])
        // The expired member is told so.
        #expect(f.beat(&clients[2]).error == .unknownMemberId)
        // Everyone expires: the group is empty, and then deletable.
        f.now += 20_000
        #expect(f.coordinator.tick(now: f.now).count == 2)
        #expect(f.group()?.state == .empty)
        #expect(f.coordinator.delete("g") == .none)
    }

    @Test("a member that does not revoke within its rebalance timeout is fenced")
    func rebalanceTimeout() throws {
        var (f, clients) = Self.threeStable()
        var d = Client(id: "d")
        f.beat(&d)
        // Every owner hears of the new target; the ones asked to revoke never acknowledge.
        var stubborn: [String] = []
        for index in clients.indices {
            let owned = clients[index].owned
            f.beat(&clients[index])
            if f.group()?.members[clients[index].id]?.state == .unrevokedPartitions {
                stubborn.append(clients[index].id)
                clients[index].owned = owned        // pretends it still owns everything
            }
        }
        #expect(!stubborn.isEmpty)
        f.now += 20_000
        for index in clients.indices { f.beat(&clients[index]) }     // still not revoking
        f.beat(&d)
        #expect(d.owned == [:])
        #expect(f.coordinator.tick(now: f.now).isEmpty, "30 s rebalance timeout not reached")
        f.now += 11_000
        for index in clients.indices { f.beat(&clients[index]) }
        f.beat(&d)
        let removed = f.coordinator.tick(now: f.now)
        #expect(removed.map(\.memberId).sorted() == stubborn.sorted())
        #expect(removed.allSatisfy { $0.reason == .rebalanceTimeout })
        for index in clients.indices where stubborn.contains(clients[index].id) {
            #expect(f.beat(&clients[index]).error == .unknownMemberId)
        }
        var rest = clients.filter { !stubborn.contains($0.id) } + [d]
        f.settle(&rest)
        #expect(Set(rest.flatMap { $0.owned["orders"] ?? [] }) == Set(0..<6))
        #expect(rest.last.map { !$0.owned.isEmpty } == true, "d got its partitions")
    }

    @Test("a static member that rejoins with its instance id takes over its assignment without a rebalance")
    func staticRejoin() {
        let f = Fixture()
        var clients = [Client(id: "a", instanceId: "i-a"), Client(id: "b", instanceId: "i-b")]
        f.settle(&clients)
        let epoch = f.group()?.groupEpoch
        let owned = clients[1].owned
        #expect(Self.count(owned) == 3)
        // Another process with the same instance id while b is live: refused.
        var intruder = Client(id: "b2", instanceId: "i-b")
        #expect(f.beat(&intruder).error == .unreleasedInstanceId)
        // -2 without the instance id is invalid; with it, b leaves for now, keeping its partitions.
        #expect(f.coordinator.heartbeat(.init(groupId: "g", memberId: "b", memberEpoch: -2), limits: f.limits, now: f.now).error == .invalidRequest)
        let left = f.coordinator.heartbeat(.init(groupId: "g", memberId: "b", memberEpoch: -2, instanceId: "i-b"), limits: f.limits, now: f.now)
        #expect(left.memberEpoch == -2)
        #expect(f.group()?.groupEpoch == epoch)
        #expect(f.group()?.members["b"]?.assigned == owned)
        // a does not get b's partitions meanwhile.
        f.beat(&clients[0])
        #expect(Self.count(clients[0].owned) == 3)
        // b restarts with a new member id: same partitions, same group epoch.
        var restarted = Client(id: "b2", instanceId: "i-b")
        let rejoined = f.beat(&restarted)
        #expect(rejoined.error == .none)
        #expect(rejoined.assignment == owned)
        #expect(f.group()?.groupEpoch == epoch)
        #expect(f.group()?.members["b"] == nil)
        #expect(f.group()?.members["b2"]?.instanceId == "i-b")
        // The old member id is fenced by the new one.
        #expect(f.coordinator.heartbeat(.init(groupId: "g", memberId: "b", memberEpoch: epoch ?? 0, instanceId: "i-b"),
                                        limits: f.limits, now: f.now).error == .fencedInstanceId)
        // A static member that left for now and never returns expires with its session.
        #expect(f.coordinator.heartbeat(.init(groupId: "g", memberId: "b2", memberEpoch: -2, instanceId: "i-b"), limits: f.limits, now: f.now).error == .none)
        f.now += 5_000
        f.beat(&clients[0])
        f.now += 6_000
        #expect(f.coordinator.tick(now: f.now).map(\.memberId) == ["b2"])
        var rest = [clients[0]]
        f.settle(&rest)
        #expect(Self.count(rest[0].owned) == 6)
    }

    @Test("heartbeat errors: unknown member, fenced epochs, unknown group, invalid fields, unknown assignor")
    func errors() {
        var (f, clients) = Self.threeStable()
        let snapshot = f.group()
        let epoch = clients[0].epoch
        func send(_ request: ConsumerGroupCoordinator.Heartbeat) -> ErrorCode {
            f.coordinator.heartbeat(request, limits: f.limits, now: f.now).error
        }
        #expect(send(.init(groupId: "g", memberId: "nobody", memberEpoch: epoch)) == .unknownMemberId)
        #expect(send(.init(groupId: "g", memberId: "a", memberEpoch: epoch + 1)) == .fencedMemberEpoch)
        // The previous epoch is accepted only with owned partitions within the assignment.
        #expect(send(.init(groupId: "g", memberId: "a", memberEpoch: epoch - 1)) == .fencedMemberEpoch)
        #expect(send(.init(groupId: "g", memberId: "a", memberEpoch: epoch - 1, ownedPartitions: ["orders": Set(0..<6)])) == .fencedMemberEpoch)
        #expect(send(.init(groupId: "nogroup", memberId: "a", memberEpoch: 3)) == .groupIdNotFound)
        #expect(send(.init(groupId: "", memberId: "a", memberEpoch: 3)) == .invalidRequest)
        #expect(send(.init(groupId: "g", memberId: "", memberEpoch: 3)) == .invalidRequest)
        #expect(send(.init(groupId: "g", memberId: "a", memberEpoch: -3)) == .invalidRequest)
        #expect(send(.init(groupId: "g", memberId: "e", memberEpoch: 0, subscribedTopicNames: ["orders"])) == .invalidRequest,
                "a join needs RebalanceTimeoutMs")
        #expect(send(.init(groupId: "g", memberId: "e", memberEpoch: 0, rebalanceTimeoutMs: 1000, ownedPartitions: [:])) == .invalidRequest,
                "a join needs topics")
        #expect(send(.init(groupId: "g", memberId: "e", memberEpoch: 0, rebalanceTimeoutMs: 1000, subscribedTopicNames: ["orders"],
                           ownedPartitions: ["orders": [1]])) == .invalidRequest, "a join owns nothing")
        #expect(send(.init(groupId: "g", memberId: "e", memberEpoch: 0, rackId: "", rebalanceTimeoutMs: 1000,
                           subscribedTopicNames: ["orders"], ownedPartitions: [:])) == .invalidRequest)
        #expect(send(.init(groupId: "g", memberId: "e", memberEpoch: 0, rebalanceTimeoutMs: 1000, subscribedTopicNames: ["orders"],
                           subscribedTopicRegex: "ord[", ownedPartitions: [:])) == .invalidRegularExpression)
        #expect(send(.init(groupId: "g", memberId: "e", memberEpoch: 0, rebalanceTimeoutMs: 1000, subscribedTopicNames: ["orders"],
                           serverAssignor: "sticky", ownedPartitions: [:])) == .unsupportedAssignor)
        // None of that touched the group.
        #expect(f.group() == snapshot)
        // A full group refuses new members but not its own.
        f.limits.maxSize = 3
        var e = Client(id: "e")
        #expect(f.beat(&e).error == .groupMaxSizeReached)
        #expect(f.beat(&clients[0]).error == .none)
        // A lost response: the member comes back with its previous epoch and a subset of its assignment.
        f.limits.maxSize = 10
        var d = Client(id: "d")
        f.beat(&d)
        f.beat(&clients[0])
        let member = f.group()?.members["a"]
        if let member, member.memberEpoch > epoch, member.previousMemberEpoch == epoch {
            #expect(send(.init(groupId: "g", memberId: "a", memberEpoch: epoch, ownedPartitions: member.assigned)) == .none)
        }
    }

    @Test("range gives contiguous ranges per topic; uniform balances; the group follows its members' ServerAssignor")
    func assignors() {
        let members: [String: AssignorMember] = [
            "a": .init(subscribedTopics: ["x", "y"], previousTarget: [:]),
            "b": .init(subscribedTopics: ["x", "y"], previousTarget: [:]),
        ]
        let range = RangeAssignor().assign(members: members, partitionCounts: ["x": 3, "y": 3])
        #expect(range["a"] == ["x": [0, 1], "y": [0, 1]])
        #expect(range["b"] == ["x": [2], "y": [2]])
        let uniform = UniformAssignor().assign(members: members, partitionCounts: ["x": 3, "y": 3])
        #expect(uniform.values.map(Self.count).sorted() == [3, 3])
        #expect(uniform.values.reduce(into: ConsumerAssignment()) { $0.merge($1) { $0.union($1) } } == ["x": [0, 1, 2], "y": [0, 1, 2]])
        // Different subscriptions: only subscribers get a topic's partitions.
        let mixed = UniformAssignor().assign(members: [
            "a": .init(subscribedTopics: ["x"], previousTarget: [:]),
            "b": .init(subscribedTopics: ["x", "y"], previousTarget: [:]),
        ], partitionCounts: ["x": 4, "y": 2])
        #expect(mixed["a"]?["y"] == nil)
        #expect(mixed["a"].map(Self.count) == 3 && mixed["b"].map(Self.count) == 3)

        // Through the coordinator: members asking for range get range.
        let f = Fixture()
        var clients = [Client(id: "a"), Client(id: "b")]
        f.beat(&clients[0], assignor: "range")
        f.beat(&clients[1], assignor: "range")
        f.settle(&clients)
        #expect(f.group()?.assignorName == "range")
        #expect(clients[0].owned == ["orders": [0, 1, 2]])
        #expect(clients[1].owned == ["orders": [3, 4, 5]])
        let g = Fixture()
        var others = [Client(id: "a"), Client(id: "b")]
        g.settle(&others)
        #expect(g.group()?.assignorName == "uniform")
    }

    @Test("a topic gaining partitions, and a subscribed topic created later, are picked up at the next heartbeat")
    func metadataChanges() {
        var (f, clients) = Self.threeStable()
        let epoch = f.group()?.groupEpoch ?? 0
        f.topics.set("orders", 9)
        f.beat(&clients[0])
        #expect(f.group()?.groupEpoch == epoch + 1)
        f.settle(&clients)
        #expect(clients.map { Self.count($0.owned) } == [3, 3, 3])
        #expect(Set(clients.flatMap { $0.owned["orders"] ?? [] }) == Set(0..<9))
        // A member subscribes to a topic that does not exist yet.
        let h = Fixture()
        var solo = [Client(id: "a")]
        h.beat(&solo[0], topics: ["later"])
        #expect(solo[0].owned == [:])
        h.topics.set("later", 2)
        h.settle(&solo)
        #expect(solo[0].owned == ["later": [0, 1]])
    }
}
