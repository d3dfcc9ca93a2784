import KafkaProtocol

extension Broker {
    /// TxnOffsetCommit v0–4: stages a transaction's offset commits for a group; they become the
    /// group's committed offsets only when the transaction commits (and are dropped on abort).
    /// The group must have been added with AddOffsetsToTxn (else INVALID_TXN_STATE; a fenced
    /// producer gets INVALID_PRODUCER_EPOCH). From v3 a member id or generation, when given, is
    /// checked against the group as for OffsetCommit (KIP-447). Unknown partitions answer
    /// UNKNOWN_TOPIC_OR_PARTITION. Staged commits are synced before the answer, and the
    /// transaction cannot end while they are being written.
    ///
    /// Authorization as Kafka's: WRITE on the transactional id, then READ on the group (else
    /// every partition answers TRANSACTIONAL_ID_ / GROUP_AUTHORIZATION_FAILED), and READ on each
    /// topic (else its partitions answer TOPIC_AUTHORIZATION_FAILED and are not staged).
    func handleTxnOffsetCommit(_ request: TxnOffsetCommitRequest, version: Int16, context: RequestContext) -> TxnOffsetCommitResponse {
        func refuse(_ code: ErrorCode) -> TxnOffsetCommitResponse {
            TxnOffsetCommitResponse(throttleTimeMs: 0, topics: request.topics.map { topic in
                TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic(name: topic.name, partitions: topic.partitions.map {
                    TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition(partitionIndex: $0.partitionIndex, errorCode: code)
                })
            })
        }
        guard isAuthorized(context, .write, .transactionalId, request.transactionalId) else { return refuse(.transactionalIdAuthorizationFailed) }
        guard isAuthorized(context, .read, .group, request.groupId) else { return refuse(.groupAuthorizationFailed) }
        let readable = Set(authorizedNames(context, .read, .topic, request.topics.map(\.name)))
        var groupError: ErrorCode?
        if request.groupId.isEmpty {
            groupError = .invalidGroupId
        } else if version >= 3, request.generationId >= 0 || !request.memberId.isEmpty {
            groupError = coordinator.validateCommit(groupId: request.groupId, generationId: request.generationId,
                                                    memberId: request.memberId, instanceId: request.groupInstanceId)
        }
        let now = time.wallMillis()
        var staged: [(OffsetStore.Key, OffsetStore.Committed)] = []
        var topics = request.topics.map { topic in
            TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic(name: topic.name, partitions: topic.partitions.map { partition in
                var code = readable.contains(topic.name) ? groupError ?? .none : .topicAuthorizationFailed
                if code == .none {
                    if (partition.committedMetadata?.utf8.count ?? 0) > 4096 {
                        code = .offsetMetadataTooLarge
                    } else if (try? store.partition(topic.name, partition.partitionIndex)) == nil {
                        code = .unknownTopicOrPartition
                    } else {
                        staged.append((OffsetStore.Key(group: request.groupId, topic: topic.name, partition: partition.partitionIndex),
                                       OffsetStore.Committed(offset: partition.committedOffset, leaderEpoch: partition.committedLeaderEpoch,
                                                             metadata: partition.committedMetadata, commitTimestamp: now)))
                    }
                }
                return TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition(partitionIndex: partition.partitionIndex, errorCode: code)
            })
        }
        func failStaged(_ code: ErrorCode) {
            for t in topics.indices {
                for p in topics[t].partitions.indices where topics[t].partitions[p].errorCode == .none {
                    topics[t].partitions[p].errorCode = code
                }
            }
        }
        guard groupError == nil, !request.groupId.isEmpty else { return TxnOffsetCommitResponse(throttleTimeMs: 0, topics: topics) }
        let admission = transactions.withAdmission(transactionalId: request.transactionalId, producerId: request.producerId,
                                                   epoch: request.producerEpoch, group: request.groupId) { () -> (any Error)? in
            do {
                try offsets.stage(producerId: request.producerId, group: request.groupId, staged)
                return nil
            } catch {
                return error
            }
        }
        switch admission {
        case .refused(let error):
            logger.debug("TxnOffsetCommit for \(request.transactionalId) to group \(request.groupId) refused: \(error.summary)")
            switch error {
            case .producerFenced: failStaged(.invalidProducerEpoch)
            case .transactionAbortable: failStaged(.invalidTxnState)
            default: failStaged(error)
            }
        case .admitted(let failure?):
            logger.error("staging offsets of group \(request.groupId) for \(request.transactionalId) failed: \(failure)")
            failStaged(.kafkaStorageError)
        case .admitted(nil):
            break
        }
        return TxnOffsetCommitResponse(throttleTimeMs: 0, topics: topics)
    }
}
