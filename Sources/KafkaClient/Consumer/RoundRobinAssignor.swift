/// Kafka's `roundrobin` assignor (Java `RoundRobinAssignor`, librdkafka `roundrobin`).
///
/// All partitions of all subscribed topics, sorted by topic then partition, are dealt to the
/// members in Kafka's member order (`GroupMemberSubscription.kafkaOrder`) like cards, one
/// each in turn; a member not subscribed to a partition's topic is skipped for that
/// partition. With identical subscriptions the counts differ by at most one. Thread-safe
/// (stateless).
public enum RoundRobinAssignor {
    /// Every member id → its partitions, sorted (see `PartitionAssignor.assign`).
    public static func assign(members: [GroupMemberSubscription], partitionCounts: [String: Int32]) -> [String: [TopicPartition]] {
        let ordered = GroupMemberSubscription.normalized(members)
        var result: [String: [TopicPartition]] = [:]
        for member in ordered { result[member.memberId] = [] }
        guard !ordered.isEmpty else { return result }
        let subscriptions = ordered.map { Set($0.topics) }
        var next = 0
        for topic in Set(ordered.flatMap(\.topics)).sorted() {
            guard let count = partitionCounts[topic], count > 0 else { continue }
            for partition in 0..<count {
                // Some member subscribes to `topic` (it came from the union), so this ends.
                var skipped = 0
                while !subscriptions[next % ordered.count].contains(topic), skipped < ordered.count {
                    next += 1
                    skipped += 1
                }
                let member = ordered[next % ordered.count]
                result[member.memberId, default: []].append(TopicPartition(topic: topic, partition: partition))
                next += 1
            }
        }
        return result.mapValues { $0.sorted() }
    }
}
