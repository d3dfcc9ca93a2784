import KafkaProtocol
import LogStorage

extension Broker {
    /// Kafka's cap on the metadata records one controller operation may write
    /// (`QuorumController.MAX_RECORDS_PER_USER_OP`): one per added partition.
    static let maxPartitionsAddedPerRequest = 10_000

    /// CreatePartitions v0–3, answered as a one-broker KRaft controller would
    /// (`ControllerApis.createPartitions`, `ReplicationControlManager.createPartitions`):
    /// `count` is the new total; each duplicated topic name gets one INVALID_REQUEST result
    /// first and is otherwise ignored; then one result per remaining topic, in request order.
    /// Manual assignments must name only this broker, once per new partition (every partition
    /// has one replica). `validateOnly` checks everything and changes nothing. A timeout of 0 or
    /// less has passed before the controller runs, so every topic gets REQUEST_TIMED_OUT.
    /// More than 10,000 new partitions in one request fail the overflowing topic with
    /// UNKNOWN_SERVER_ERROR. Messages are Kafka's KRaft texts, null where Kafka sends null.
    /// Unlike Kafka, topics are grown one by one, not in one atomic metadata batch: a storage
    /// failure on one topic leaves the earlier ones grown (and says so in their results).
    /// Authorization (Kafka's `ControllerApis.createPartitions`): ALTER on each topic, else
    /// TOPIC_AUTHORIZATION_FAILED (no message), answered after the duplicates.
    func handleCreatePartitions(_ request: CreatePartitionsRequest, version: Int16, context: RequestContext) -> CreatePartitionsResponse {
        var counts: [String: Int] = [:]
        for topic in request.topics { counts[topic.name, default: 0] += 1 }
        var results: [CreatePartitionsResponse.CreatePartitionsTopicResult] = []
        var duplicatesReported = Set<String>()
        for topic in request.topics where counts[topic.name, default: 0] > 1 && duplicatesReported.insert(topic.name).inserted {
            results.append(.init(name: topic.name, errorCode: .invalidRequest, errorMessage: "Duplicate topic name."))
        }
        let alterable = authorizedTopics(context, .alter, counts.keys)
        for topic in request.topics where counts[topic.name] == 1 && !alterable.contains(topic.name) {
            results.append(.init(name: topic.name, errorCode: .topicAuthorizationFailed, errorMessage: nil))
        }
        let topics = request.topics.filter { counts[$0.name] == 1 && alterable.contains($0.name) }
        // Kafka completes an empty controller call at once, before any deadline applies.
        guard !topics.isEmpty else { return CreatePartitionsResponse(throttleTimeMs: 0, results: results) }
        guard request.timeoutMs > 0 else {
            return CreatePartitionsResponse(throttleTimeMs: 0, results: request.topics.map {
                .init(name: $0.name, errorCode: .requestTimedOut, errorMessage: nil)
            })
        }
        var added = 0
        for topic in topics {
            let outcome = growPartitions(topic, validateOnly: request.validateOnly, addedSoFar: &added)
            results.append(.init(name: topic.name, errorCode: outcome.code, errorMessage: outcome.message))
        }
        return CreatePartitionsResponse(throttleTimeMs: 0, results: results)
    }

    /// Validates one topic's growth and, unless `validateOnly`, applies it. `addedSoFar` counts
    /// the partitions this request already added (Kafka's per-operation cap).
    private func growPartitions(_ topic: CreatePartitionsRequest.CreatePartitionsTopic, validateOnly: Bool,
                                addedSoFar: inout Int) -> (code: ErrorCode, message: String?) {
        guard let topicConfig = store.topic(topic.name)?.config else { return (.unknownTopicOrPartition, nil) }
        let current = topicConfig.partitionCount
        if topic.count == current {
            return (.invalidPartitions, "Topic already has \(current) partition(s).")
        }
        if topic.count < current {
            return (.invalidPartitions, "The topic \(topic.name) currently has \(current) partition(s); \(topic.count) would not be an increase.")
        }
        let additional = Int(topic.count) - Int(current)
        if let assignments = topic.assignments {
            guard assignments.count == additional else {
                return (.invalidReplicaAssignment, "Attempted to add \(additional) additional partition(s), but only \(assignments.count) assignment(s) were specified.")
            }
            for assignment in assignments {
                if let problem = assignmentProblem(assignment.brokerIds) { return (.invalidReplicaAssignment, problem) }
            }
        }
        // Kafka fails the topic whose records overflow the operation's bounded list, with an
        // UNKNOWN_SERVER_ERROR and no message.
        guard addedSoFar + additional <= Self.maxPartitionsAddedPerRequest else { return (.unknownServerError, nil) }
        addedSoFar += additional
        guard !validateOnly else { return (.none, nil) }
        do {
            try store.addPartitions(topic.name, to: topic.count, ifCurrently: current)
        } catch .unknownTopic {
            // Deleted since we looked.
            return (.unknownTopicOrPartition, nil)
        } catch .invalidConfig(let reason) {
            // Another request changed the count since we looked, or the store's own limit.
            return (.invalidPartitions, reason)
        } catch {
            logger.error("growing topic \(topic.name) to \(topic.count) partitions failed: \(error)")
            return (errorCode(for: error), "\(error)")
        }
        return (.none, nil)
    }

    /// Kafka's checks of one manual replica list (`validateManualPartitionAssignment`) against
    /// a cluster whose only broker is this one and whose partitions have one replica each;
    /// nil when the list is valid.
    private func assignmentProblem(_ brokerIds: [Int32]) -> String? {
        guard !brokerIds.isEmpty else { return "The manual partition assignment includes an empty replica list." }
        var previous: Int32?
        for brokerId in brokerIds.sorted() {
            if brokerId != config.nodeId {
                return "The manual partition assignment includes broker \(brokerId), but no such broker is registered."
            }
            if brokerId == previous {
                return "The manual partition assignment includes the broker \(brokerId) more than once."
            }
            previous = brokerId
        }
        // Kafka's last check (the list's size must equal the topic's replication factor, 1)
        // cannot fail here: a longer list names another broker or this one twice.
        return nil
    }
}
