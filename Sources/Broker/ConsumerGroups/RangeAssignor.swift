/// Kafka's server-side assignor `range`: for each topic, the members subscribed to it, ordered
/// by member id, get contiguous ranges of its partitions; the first `P mod N` members get one
/// partition more. Members subscribed to the same co-partitioned topics thus get the same
/// partition numbers of each (a join of topics by key). Not sticky: a join or leave shifts the
/// ranges. Deterministic and stateless.
struct RangeAssignor: ConsumerGroupAssignor {
    let name = "range"

    func assign(members: [String: AssignorMember], partitionCounts: [String: Int]) -> [String: ConsumerAssignment] {
        let ids = members.keys.sorted()
        var result: [String: ConsumerAssignment] = Dictionary(uniqueKeysWithValues: ids.map { ($0, [:]) })
        let topics = Set(members.values.flatMap(\.subscribedTopics)).sorted()
        for topic in topics {
            guard let count = partitionCounts[topic], count > 0 else { continue }
            let subscribers = ids.filter { members[$0]?.subscribedTopics.contains(topic) == true }
            guard !subscribers.isEmpty else { continue }
            let base = count / subscribers.count
            let extra = count % subscribers.count
            var next = 0
            for (index, id) in subscribers.enumerated() {
                let size = base + (index < extra ? 1 : 0)
                guard size > 0 else { continue }
                result[id, default: [:]][topic] = Set((next..<(next + size)).map { Int32(clamping: $0) })
                next += size
            }
        }
        return result
    }
}
