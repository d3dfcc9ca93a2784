import KafkaProtocol

extension Broker {
    /// EndTxn v0–4: commits or aborts the producer's transaction. Answered once the decision is
    /// durable in the transaction log and the markers are written (a marker failure is retried
    /// in the background; the answer is still success, as Kafka's). PRODUCER_FENCED is answered
    /// as INVALID_PRODUCER_EPOCH before v2. (v5, transactions version 2, is decoded but not
    /// advertised.)
    /// WRITE on the transactional id (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED), as Kafka.
    func handleEndTxn(_ request: EndTxnRequest, version: Int16, context: RequestContext) -> EndTxnResponse {
        guard isAuthorized(context, .write, .transactionalId, request.transactionalId) else {
            return EndTxnResponse(throttleTimeMs: 0, errorCode: .transactionalIdAuthorizationFailed)
        }
        let error = transactions.end(transactionalId: request.transactionalId, producerId: request.producerId,
                                     epoch: request.producerEpoch, commit: request.committed)
        if error != .none {
            logger.debug("EndTxn(\(request.committed ? "commit" : "abort")) for \(request.transactionalId) refused: \(error.summary)")
        }
        return EndTxnResponse(throttleTimeMs: 0, errorCode: error == .producerFenced && version < 2 ? .invalidProducerEpoch : error)
    }
}
