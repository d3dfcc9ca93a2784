import KafkaProtocol

extension Broker {
    /// InitProducerId v0–4 without a transactional id: a new producer id with epoch 0, every time
    /// (as Kafka does for idempotent producers). Transactional ids are refused (error 53).
    func handleInitProducerId(_ request: InitProducerIdRequest, version: Int16) -> InitProducerIdResponse {
        guard request.transactionalId == nil else {
            return InitProducerIdResponse(throttleTimeMs: 0, errorCode: .transactionalIdAuthorizationFailed, producerId: -1, producerEpoch: -1)
        }
        do {
            let id = try producerIds.next()
            return InitProducerIdResponse(throttleTimeMs: 0, errorCode: .none, producerId: id, producerEpoch: 0)
        } catch {
            logger.error("cannot allocate a producer id: \(error)")
            return InitProducerIdResponse(throttleTimeMs: 0, errorCode: .kafkaStorageError, producerId: -1, producerEpoch: -1)
        }
    }
}
