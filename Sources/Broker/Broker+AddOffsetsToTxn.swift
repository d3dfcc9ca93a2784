import KafkaProtocol

extension Broker {
    /// AddOffsetsToTxn v0–4: adds a consumer group to the producer's transaction, so that
    /// TxnOffsetCommit may stage offsets for it (they become the group's when the transaction
    /// commits). PRODUCER_FENCED is answered as INVALID_PRODUCER_EPOCH before v2.
    func handleAddOffsetsToTxn(_ request: AddOffsetsToTxnRequest, version: Int16) -> AddOffsetsToTxnResponse {
        guard !request.groupId.isEmpty else { return AddOffsetsToTxnResponse(throttleTimeMs: 0, errorCode: .invalidGroupId) }
        let error = transactions.add(transactionalId: request.transactionalId, producerId: request.producerId, epoch: request.producerEpoch,
                                     partitions: [], groups: [request.groupId])
        return AddOffsetsToTxnResponse(throttleTimeMs: 0, errorCode: error == .producerFenced && version < 2 ? .invalidProducerEpoch : error)
    }
}
