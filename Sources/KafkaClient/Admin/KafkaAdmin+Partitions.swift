import KafkaProtocol

extension KafkaAdmin {
    /// Raises a topic's partition count to `totalCount` (CreatePartitions, sent to the
    /// controller). Partitions can only be added: existing records keep their partitions, so
    /// keyed records may map to other partitions from now on.
    ///
    /// - Parameters:
    ///   - totalCount: the partition count wanted afterwards (not the number to add).
    ///   - assignments: replica broker ids for each new partition, preferred leader first
    ///     (nil: the controller places them).
    ///   - validateOnly: only check that the broker would accept it.
    /// - Throws: `.unknownTopic` when the topic does not exist; `.broker(.invalidPartitions, ...)`
    ///   with the broker's message when `totalCount` is not above the current count;
    ///   `.unsupported` when the controller lacks CreatePartitions.
    public func createPartitions(topic: String, totalCount: Int32, assignments: [[Int32]]? = nil, validateOnly: Bool = false) throws(KafkaClientError) {
        guard !topic.isEmpty else { throw .invalidArgument("the topic name must not be empty") }
        guard totalCount > 0 else { throw .invalidArgument("the partition count must be 1 or more, got \(totalCount)") }
        let request = CreatePartitionsRequest(
            topics: [.init(name: topic, count: totalCount, assignments: assignments.map { $0.map { .init(brokerIds: $0) } })],
            timeoutMs: brokerTimeoutMs, validateOnly: validateOnly)
        try cluster.withRetries("CreatePartitions \(topic)") { () throws(KafkaClientError) in
            var result = try createPartitionsResult(request, topic: topic)
            if result.errorCode == .notController {
                result = try createPartitionsResult(request, topic: topic)   // the controller moved: once more on the new one
            }
            switch result.errorCode {
            case .none: return
            case .unknownTopicOrPartition: throw .unknownTopic(topic)
            default: throw .broker(result.errorCode, context: Self.context("add partitions to topic \(topic), \(totalCount) in total", result.errorMessage))
            }
        }
        if !validateOnly { _ = try? cluster.refreshMetadata(topics: [topic]) }
    }

    private func createPartitionsResult(_ request: CreatePartitionsRequest, topic: String) throws(KafkaClientError) -> CreatePartitionsResponse.CreatePartitionsTopicResult {
        let connection = try controller()
        let version = try negotiatedVersion(.createPartitions, on: connection, for: "adding partitions")
        let response = try connection.send(request, version: version).0
        guard let result = response.results.first(where: { $0.name == topic }) else {
            throw .connection(address: connection.address.description, reason: "CreatePartitions answer does not mention topic \(topic)")
        }
        return result
    }
}
