import KafkaProtocol
import LogStorage

extension Broker {
    /// WriteTxnMarkers v0–1: writes commit/abort markers for a producer to the given partitions
    /// directly. Kafka's coordinators send it to partition leaders; admin tools send it to abort
    /// a hanging transaction the coordinator no longer knows (`kafka-transactions.sh abort`,
    /// `kaffee transactions abort`). Per partition: UNKNOWN_TOPIC_OR_PARTITION, or the
    /// storage error (a stale epoch → INVALID_PRODUCER_EPOCH). Markers are synced before the
    /// answer and wake read_committed fetches.
    ///
    /// As Kafka: ALTER or CLUSTER_ACTION on the cluster, else every partition answers
    /// CLUSTER_AUTHORIZATION_FAILED and nothing is written.
    func handleWriteTxnMarkers(_ request: WriteTxnMarkersRequest, version: Int16, context: RequestContext) -> WriteTxnMarkersResponse {
        let allowed = isAuthorizedOnCluster(context, .alter) || isAuthorizedOnCluster(context, .clusterAction)
        let markers = request.markers.map { marker in
            WriteTxnMarkersResponse.WritableTxnMarkerResult(producerId: marker.producerId, topics: marker.topics.map { topic in
                WriteTxnMarkersResponse.WritableTxnMarkerTopicResult(name: topic.name, partitions: topic.partitionIndexes.map { index in
                    WriteTxnMarkersResponse.WritableTxnMarkerPartitionResult(
                        partitionIndex: index,
                        errorCode: allowed ? writeMarker(marker, topic: topic.name, partition: index) : .clusterAuthorizationFailed)
                })
            })
        }
        return WriteTxnMarkersResponse(markers: markers)
    }

    private func writeMarker(_ marker: WriteTxnMarkersRequest.WritableTxnMarker, topic: String, partition: Int32) -> ErrorCode {
        let log: PartitionLog
        do { log = try store.partition(topic, partition) } catch { return .unknownTopicOrPartition }
        do throws(LogStorageError) {
            try markerWriter.writeMarker(to: log, topic: topic, partition: partition, producerId: marker.producerId,
                                         producerEpoch: marker.producerEpoch, commit: marker.transactionResult,
                                         coordinatorEpoch: marker.coordinatorEpoch)
        } catch {
            logger.warning("WriteTxnMarkers for producer \(marker.producerId) on \(topic)-\(partition) failed: \(error)")
            return errorCode(for: error)
        }
        logger.info("wrote a\(marker.transactionResult ? " commit" : "n abort") marker for producer \(marker.producerId) epoch \(marker.producerEpoch) on \(topic)-\(partition) (WriteTxnMarkers)")
        return .none
    }
}
