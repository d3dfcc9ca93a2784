import KafkaProtocol

extension Broker {
    /// ListTransactions v0–1: every known transactional id with its producer id and state,
    /// filtered by state names (Kafka's, e.g. "Ongoing"; unknown names are echoed back in
    /// `UnknownStateFilters`), producer ids, and (v1) a minimum running time in ms. As Kafka: only
    /// the transactional ids the principal may DESCRIBE.
    func handleListTransactions(_ request: ListTransactionsRequest, version: Int16, context: RequestContext) -> ListTransactionsResponse {
        let known = Set(TransactionState.allCases.map(\.name))
        let states = Set(request.stateFilters.filter { known.contains($0) })
        let unknown = request.stateFilters.filter { !known.contains($0) }
        let producers = Set(request.producerIdFilters)
        let now = time.wallMillis()
        let listed = transactions.all().filter { metadata in
            // As Kafka: Dead ids are never listed; only known state names filter.
            metadata.state != .dead
                && (states.isEmpty || states.contains(metadata.state.name))
                && (producers.isEmpty || producers.contains(metadata.producerId))
                && (version < 1 || request.durationFilter < 0 || now - metadata.startTimestamp >= request.durationFilter)
                && isAuthorized(context, .describe, .transactionalId, metadata.transactionalId)
        }.map {
            ListTransactionsResponse.TransactionState(transactionalId: $0.transactionalId, producerId: $0.producerId, transactionState: $0.state.name)
        }
        return ListTransactionsResponse(throttleTimeMs: 0, errorCode: .none, unknownStateFilters: unknown, transactionStates: listed)
    }
}
