import KafkaProtocol
import LogStorage
import Synchronization

extension Broker {
    /// Fetch v4–12. Every requested partition is answered. Data starts with the batch that
    /// contains the fetch offset and consists of whole batches, within the partition and request
    /// byte limits, but at least one batch for the first partition with data (KIP-74). When less
    /// than `minBytes` is available the request is parked until an append or `maxWaitMs` (capped
    /// by the broker) — never answered with a timeout error. Fetch sessions are declined
    /// (session id 0); an incremental request gets FETCH_SESSION_ID_NOT_FOUND.
    ///
    /// Returns the response (records as `.external` tokens into the returned regions).
    func handleFetch(_ request: FetchRequest, version: Int16) -> (FetchResponse, [FileRegion]) {
        if version >= 7 && request.sessionId != 0 && request.sessionEpoch > 0 {
            return (FetchResponse(throttleTimeMs: 0, errorCode: .fetchSessionIdNotFound, sessionId: 0, responses: []), [])
        }
        let waitMillis = Int64(max(0, min(request.maxWaitMs, config.maxFetchWaitMillis)))
        let deadline = time.monotonicNanos() &+ UInt64(waitMillis) * 1_000_000
        while true {
            let generation = dataArrival.generation
            let (response, files, bytes, sawError) = collectFetch(request, version: version)
            let now = time.monotonicNanos()
            if bytes >= Int(request.minBytes) || sawError || waitMillis == 0 || isStopping || now >= deadline {
                return (response, files)
            }
            parked.add(1, ordering: .relaxed)
            dataArrival.wait(after: generation, timeoutNanos: deadline - now)
            parked.subtract(1, ordering: .relaxed)
        }
    }

    private func collectFetch(_ request: FetchRequest, version: Int16) -> (FetchResponse, [FileRegion], Int, Bool) {
        var files: [FileRegion] = []
        var total = 0
        var sawError = false
        let maxBytes = version >= 3 ? Int(max(0, request.maxBytes)) : Int.max
        let topics = request.topics.map { topic -> FetchResponse.FetchableTopicResponse in
            let name = topic.topic
            let partitions = topic.partitions.map { partition -> FetchResponse.PartitionData in
                var data = FetchResponse.PartitionData(partitionIndex: partition.partition, errorCode: .none,
                                                      highWatermark: -1, lastStableOffset: -1, logStartOffset: -1,
                                                      abortedTransactions: version >= 4 ? [] : nil,
                                                      preferredReadReplica: -1, records: .empty)
                let log: PartitionLog
                do { log = try store.partition(name, partition.partition) } catch {
                    data.errorCode = .unknownTopicOrPartition
                    sawError = true
                    return data
                }
                let budget = min(Int(max(0, partition.partitionMaxBytes)), max(0, maxBytes - total))
                do throws(LogStorageError) {
                    let read = try log.read(from: partition.fetchOffset, maxBytes: budget, minOneBatch: total == 0)
                    data.highWatermark = read.offsets.highWatermark
                    data.lastStableOffset = read.offsets.highWatermark
                    data.logStartOffset = read.offsets.logStartOffset
                    if let region = read.region {
                        data.records = .external(token: files.count, length: region.length)
                        files.append(region)
                        total += region.length
                    }
                } catch {
                    data.errorCode = errorCode(for: error)
                    if case .offsetOutOfRange(_, let start, let end) = error {
                        data.highWatermark = end
                        data.lastStableOffset = end
                        data.logStartOffset = start
                    }
                    sawError = true
                }
                return data
            }
            return FetchResponse.FetchableTopicResponse(topic: name, partitions: partitions)
        }
        return (FetchResponse(throttleTimeMs: 0, errorCode: .none, sessionId: 0, responses: topics), files, total, sawError)
    }
}
