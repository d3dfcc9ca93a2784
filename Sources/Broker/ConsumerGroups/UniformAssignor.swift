/// Kafka's default server-side assignor `uniform`: spreads the partitions of the subscribed
/// topics evenly over the members subscribed to them, and is sticky: a member keeps the
/// partitions of its previous target as long as balance allows, so a join or leave moves only
/// the partitions it must.
///
/// Algorithm (deterministic; members are ordered by id, partitions by topic then id):
/// 1. each member keeps the partitions of its previous target that still exist and that it
///    still subscribes to;
/// 2. every partition without a member goes to the least-loaded eligible member;
/// 3. while some member holds two or more partitions more than an eligible member, one of its
///    partitions moves to that member.
/// With identical subscriptions this ends with every member holding ⌊P/N⌋ or ⌈P/N⌉ partitions,
/// as Kafka's OptimizedUniformAssignmentBuilder does; with different subscriptions it balances
/// as far as the subscriptions allow. Stateless.
struct UniformAssignor: ConsumerGroupAssignor {
    let name = "uniform"

    func assign(members: [String: AssignorMember], partitionCounts: [String: Int]) -> [String: ConsumerAssignment] {
        let ids = members.keys.sorted()
        var owner: [String: [Int32: String]] = [:]       // topic → partition → member
        var load: [String: Int] = Dictionary(uniqueKeysWithValues: ids.map { ($0, 0) })
        // 1. Stickiness.
        for id in ids {
            guard let member = members[id] else { continue }
            for (topic, partitions) in member.previousTarget where member.subscribedTopics.contains(topic) {
                guard let count = partitionCounts[topic] else { continue }
                for p in partitions.sorted() where p >= 0 && Int(p) < count && owner[topic]?[p] == nil {
                    owner[topic, default: [:]][p] = id
                    load[id, default: 0] += 1
                }
            }
        }
        // 2. Unowned partitions to the least-loaded eligible member.
        let topics = Set(members.values.flatMap(\.subscribedTopics)).filter { partitionCounts[$0] != nil }.sorted()
        var eligible: [String: [String]] = [:]
        for topic in topics { eligible[topic] = ids.filter { members[$0]?.subscribedTopics.contains(topic) == true } }
        for topic in topics {
            guard let count = partitionCounts[topic], let candidates = eligible[topic], !candidates.isEmpty else { continue }
            for p in 0..<Int32(clamping: count) where owner[topic]?[p] == nil {
                let target = leastLoaded(candidates, load)
                owner[topic, default: [:]][p] = target
                load[target, default: 0] += 1
            }
        }
        // 3. Balance: move from the most loaded to an eligible member two or more below it.
        var moved = true
        while moved {
            moved = false
            for topic in topics {
                guard let candidates = eligible[topic], candidates.count > 1, let partitions = owner[topic] else { continue }
                for p in partitions.keys.sorted().reversed() {
                    guard let from = owner[topic]?[p] else { continue }
                    let to = leastLoaded(candidates, load)
                    if load[to, default: 0] + 1 < load[from, default: 0] {
                        owner[topic]?[p] = to
                        load[from, default: 0] -= 1
                        load[to, default: 0] += 1
                        moved = true
                    }
                }
            }
        }
        var result: [String: ConsumerAssignment] = Dictionary(uniqueKeysWithValues: ids.map { ($0, [:]) })
        for (topic, partitions) in owner {
            for (p, id) in partitions { result[id, default: [:]][topic, default: []].insert(p) }
        }
        return result
    }

    /// The candidate with the fewest partitions; ties go to the smallest member id.
    private func leastLoaded(_ candidates: [String], _ load: [String: Int]) -> String {
        var best = candidates[0]
        for id in candidates.dropFirst() where load[id, default: 0] < load[best, default: 0] { best = id }
        return best
    }
}
