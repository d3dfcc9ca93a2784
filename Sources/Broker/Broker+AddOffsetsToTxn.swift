import KafkaProtocol

extension Broker {
    /// AddOffsetsToTxn v0–4: adds a consumer group to the producer's transaction, so that
    /// TxnOffsetCommit may stage offsets for it (they become the group's when the transaction
    /// commits). PRODUCER_FENCED is answered as INVALID_PRODUCER_EPOCH before v2.
    /// As Kafka: WRITE on the transactional id (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED), then
    /// READ on the group (else GROUP_AUTHORIZATION_FAILED).
    func handleAddOffsetsToTxn(_ request: AddOffsetsToTxnRequest, version: Int16, context: RequestContext) -> AddOffsetsToTxnResponse {
        guard isAuthorized(context, .write, .transactionalId, request.transactionalId) else {
            return AddOffsetsToTxnResponse(throttleTimeMs: 0, errorCode: .transactionalIdAuthorizationFailed)
        }
        guard isAuthorized(context, .read, .group, request.groupId) else {
            return AddOffsetsToTxnResponse(throttleTimeMs: 0, errorCode: .groupAuthorizationFailed)
        }
        guard !request.groupId.isEmpty else { return AddOffsetsToTxnResponse(throttleTimeMs: 0, errorCode: .invalidGroupId) }
        let error = transactions.add(transactionalId: request.transactionalId, producerId: request.producerId, epoch: request.producerEpoch,
                                     partitions: [], groups: [request.groupId])
        return AddOffsetsToTxnResponse(throttleTimeMs: 0, errorCode: error == .producerFenced && version < 2 ? .invalidProducerEpoch : error)
    }
}
