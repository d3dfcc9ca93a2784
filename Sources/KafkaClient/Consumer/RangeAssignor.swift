/// Kafka's `range` assignor (Java `RangeAssignor`, librdkafka `range`).
///
/// Topic by topic: the members subscribed to the topic, in Kafka's member order
/// (`GroupMemberSubscription.kafkaOrder`), each get a consecutive range of the topic's
/// partitions; with `n` partitions and `m` members every member gets `n / m` and the first
/// `n % m` members one more. Topics are independent, so the first members tend to get more
/// when several topics do not divide evenly. Thread-safe (stateless).
public enum RangeAssignor {
    /// Every member id → its partitions, sorted (see `PartitionAssignor.assign`).
    public static func assign(members: [GroupMemberSubscription], partitionCounts: [String: Int32]) -> [String: [TopicPartition]] {
        let ordered = GroupMemberSubscription.normalized(members)
        var result: [String: [TopicPartition]] = [:]
        for member in ordered { result[member.memberId] = [] }
        let topics = Set(ordered.flatMap(\.topics)).sorted()
        for topic in topics {
            guard let count = partitionCounts[topic], count > 0 else { continue }
            let consumers = ordered.filter { $0.topics.contains(topic) }
            guard !consumers.isEmpty else { continue }
            let perConsumer = Int(count) / consumers.count
            let withExtra = Int(count) % consumers.count
            for (index, member) in consumers.enumerated() {
                let start = perConsumer * index + min(index, withExtra)
                let length = perConsumer + (index < withExtra ? 1 : 0)
                for partition in start..<(start + length) {
                    result[member.memberId, default: []].append(TopicPartition(topic: topic, partition: Int32(partition)))
                }
            }
        }
        return result.mapValues { $0.sorted() }
    }
}
