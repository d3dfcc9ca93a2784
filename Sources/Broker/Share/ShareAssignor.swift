/// The share-group partition assignor (KIP-932's broker-side "simple" assignor, as described
/// for Kafka 4.2): every partition of a subscribed topic goes to at least one of the members
/// subscribed to it, partitions are spread evenly, and when members outnumber a topic's
/// partitions the partitions are shared, several members each. Records of a shared partition are
/// handed out one lock at a time, so sharing is safe; spreading keeps fetches apart.
///
/// Deterministic: the same members, subscriptions and partition counts always give the same
/// assignment (members are ordered by id). Stateless.
enum ShareAssignor {
    /// `subscriptions`: member id → subscribed topic names. `partitionCount`: a topic's partition
    /// count, nil for a topic that does not exist (it is left out). Returns member id → topic →
    /// sorted partitions; a member with nothing assigned maps to an empty dictionary.
    static func assign(subscriptions: [String: Set<String>], partitionCount: (String) -> Int32?) -> [String: [String: [Int32]]] {
        var assignment: [String: [String: [Int32]]] = subscriptions.mapValues { _ in [:] }
        let topics = Set(subscriptions.values.flatMap { $0 })
        for topic in topics.sorted() {
            guard let count = partitionCount(topic), count > 0 else { continue }
            let members = subscriptions.filter { $0.value.contains(topic) }.keys.sorted()
            guard !members.isEmpty else { continue }
            let partitions = Int(count)
            if members.count <= partitions {
                // Round robin: member i gets partitions i, i + m, i + 2m, ...
                for partition in 0..<partitions {
                    assignment[members[partition % members.count], default: [:]][topic, default: []].append(Int32(partition))
                }
            } else {
                // More members than partitions: member j shares partition j mod p.
                for (index, member) in members.enumerated() {
                    assignment[member, default: [:]][topic, default: []].append(Int32(index % partitions))
                }
            }
        }
        return assignment
    }
}
