import KafkaProtocol

extension Broker {
    /// KIP-919 endpoint types (`EndpointType` in Kafka's admin client).
    enum EndpointType: Int8 {
        case broker = 1
        case controller = 2
    }

    /// DescribeCluster v0–2, answered as a KRaft broker's listener does (Kafka's
    /// `AuthHelper.computeDescribeClusterResponse`): the cluster id, this broker as the only
    /// (never fenced) broker and as the controller id (a KRaft broker reports an alive broker
    /// id). Asking a broker for controllers (endpoint type 2) → MISMATCHED_ENDPOINT_TYPE, any
    /// other type → UNSUPPORTED_ENDPOINT_TYPE (INVALID_REQUEST at v0, which cannot carry a
    /// type), with Kafka's messages and nothing else filled in. Authorized operations, when
    /// asked for, are the principal's cluster operations (every one without an authorizer), or
    /// 0 without DESCRIBE on the cluster; Kafka checks nothing else here.
    func handleDescribeCluster(_ request: DescribeClusterRequest, version: Int16, context: RequestContext) -> DescribeClusterResponse {
        let listener = context.listener
        // A v0 request always decodes with endpoint type 1: the v0 INVALID_REQUEST answers below
        // cannot be reached from the wire and are kept only to mirror Kafka's rule.
        guard let type = EndpointType(rawValue: request.endpointType) else {
            return DescribeClusterResponse(errorCode: version == 0 ? .invalidRequest : .unsupportedEndpointType,
                                           errorMessage: "Unsupported endpoint type \(request.endpointType)")
        }
        guard type == .broker else {
            return DescribeClusterResponse(errorCode: version == 0 ? .invalidRequest : .mismatchedEndpointType,
                                           errorMessage: "The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER")
        }
        let broker = DescribeClusterResponse.DescribeClusterBroker(brokerId: config.nodeId, host: listener.advertisedHost,
                                                                   port: listener.advertisedPort, rack: nil, isFenced: false)
        return DescribeClusterResponse(
            throttleTimeMs: 0, errorCode: .none, errorMessage: nil, endpointType: EndpointType.broker.rawValue,
            clusterId: config.clusterId, controllerId: config.nodeId, brokers: [broker],
            clusterAuthorizedOperations: request.includeClusterAuthorizedOperations ? clusterOperationBits(context) : Int32.min)
    }
}
