import KafkaProtocol

extension ShareConsumer {
    /// Sends the pending acknowledgements with ShareAcknowledge, one request per share session
    /// that has some. With `closing`, every open session is closed (epoch -1): by the
    /// ShareAcknowledge when it has acknowledgements, else by an empty ShareFetch. The caller
    /// holds `sessionSection`.
    ///
    /// Returns the partitions whose acknowledgements failed; throws only non-retriable
    /// connection-level failures when not closing.
    func sendAcknowledgements(closing: Bool) throws(KafkaClientError) -> [TopicPartition: KafkaClientError] {
        let sessions = state.withLock { $0.sessions.filter { $0.value.epoch != 0 } }
        var failures: [TopicPartition: KafkaClientError] = [:]
        for (leader, session) in sessions.sorted(by: { $0.key < $1.key }) {
            let acks = state.withLock { $0.pending.take(session.partitions) }
            if acks.isEmpty {
                if closing { closeSession(leader, epochOf: session) }
                continue
            }
            let epoch = closing ? Int32(-1) : session.epoch
            let ids = try topicIds(acks.keys)
            let names = Dictionary(ids.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
            let request = ShareAcknowledgeRequest(
                groupId: config.groupId, memberId: memberId, shareSessionEpoch: epoch,
                topics: Self.grouped(acks.keys).map { topic, partitions in
                    ShareAcknowledgeRequest.AcknowledgeTopic(topicId: ids[topic] ?? [], partitions: partitions.map { partition in
                        ShareAcknowledgeRequest.AcknowledgePartition(partitionIndex: partition.partition, acknowledgementBatches: (acks[partition] ?? []).map {
                            ShareAcknowledgeRequest.AcknowledgementBatch(firstOffset: $0.firstOffset, lastOffset: $0.lastOffset, acknowledgeTypes: $0.types)
                        })
                    })
                })
            let response: ShareAcknowledgeResponse
            do {
                let connection = try cluster.connection(node: leader, purpose: Self.fetchPurpose)
                response = try connection.send(request).0
            } catch {
                state.withLock { $0.resetSession(leader) }
                for partition in acks.keys { failures[partition] = error }
                if closing { continue }
                guard error.isRetriable else { throw error }
                continue
            }
            guard response.errorCode == .none else {
                let failure = KafkaClientError.broker(response.errorCode, context: "ShareAcknowledge for share group \(config.groupId)")
                for partition in acks.keys { failures[partition] = failure }
                state.withLock { $0.resetSession(leader) }
                continue
            }
            state.withLock { state in
                if closing {
                    state.sessions[leader] = nil
                } else {
                    state.sessions[leader]?.epoch = session.epoch == Int32.max ? 1 : session.epoch + 1
                }
            }
            for topic in response.responses {
                guard let name = names[topic.topicId] else { continue }
                for answer in topic.partitions where answer.errorCode != .none {
                    let partition = TopicPartition(topic: name, partition: answer.partitionIndex)
                    failures[partition] = .broker(answer.errorCode, context: "acknowledging records of \(partition)\(answer.errorMessage.map { ": \($0)" } ?? "")")
                }
            }
        }
        return failures
    }

    /// Closes a share session without acknowledgements (ShareFetch epoch -1; best effort).
    private func closeSession(_ leader: Int32, epochOf session: ShareConsumerState.Session) {
        let request = ShareFetchRequest(groupId: config.groupId, memberId: memberId, shareSessionEpoch: -1, maxWaitMs: 0, minBytes: 0,
                                        maxBytes: 0, maxRecords: 0, batchSize: 0)
        if let connection = try? cluster.connection(node: leader, purpose: Self.fetchPurpose) {
            _ = try? connection.send(request)
        }
        state.withLock { $0.sessions[leader] = nil }
    }
}
