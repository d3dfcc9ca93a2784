import KafkaProtocol

extension Broker {
    /// InitProducerId v0–4. Without a transactional id: a new producer id with epoch 0, every
    /// time (as Kafka does for idempotent producers). With one: the transaction coordinator's
    /// answer (a new id, or the next epoch of the id's producer, fencing older ones and aborting
    /// their open transaction). PRODUCER_FENCED is answered as INVALID_PRODUCER_EPOCH before v4,
    /// as Kafka does for clients that predate it. Authorization as Kafka's: WRITE on the
    /// transactional id (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED); without one, IDEMPOTENT_WRITE
    /// on the cluster or WRITE on some topic (else CLUSTER_AUTHORIZATION_FAILED).
    func handleInitProducerId(_ request: InitProducerIdRequest, version: Int16, context: RequestContext) -> InitProducerIdResponse {
        if let transactionalId = request.transactionalId, !isAuthorized(context, .write, .transactionalId, transactionalId) {
            return InitProducerIdResponse(throttleTimeMs: 0, errorCode: .transactionalIdAuthorizationFailed, producerId: -1, producerEpoch: -1)
        }
        if request.transactionalId == nil, !isAuthorizedOnCluster(context, .idempotentWrite), !isAuthorizedOnAny(context, .write, .topic) {
            return InitProducerIdResponse(throttleTimeMs: 0, errorCode: .clusterAuthorizationFailed, producerId: -1, producerEpoch: -1)
        }
        guard let transactionalId = request.transactionalId else {
            do {
                let id = try producerIds.next()
                return InitProducerIdResponse(throttleTimeMs: 0, errorCode: .none, producerId: id, producerEpoch: 0)
            } catch {
                logger.error("cannot allocate a producer id: \(error)")
                return InitProducerIdResponse(throttleTimeMs: 0, errorCode: .kafkaStorageError, producerId: -1, producerEpoch: -1)
            }
        }
        let expected = version >= 3 && request.producerId >= 0 ? (producerId: request.producerId, epoch: request.producerEpoch) : nil
        let result = transactions.initProducerId(transactionalId: transactionalId, timeoutMs: request.transactionTimeoutMs, expected: expected)
        let error = result.error == .producerFenced && version < 4 ? .invalidProducerEpoch : result.error
        return InitProducerIdResponse(throttleTimeMs: 0, errorCode: error, producerId: result.producerId, producerEpoch: result.producerEpoch)
    }
}
