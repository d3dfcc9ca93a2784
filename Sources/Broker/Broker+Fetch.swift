import KafkaProtocol
import LogStorage
import Synchronization

extension Broker {
    /// Fetch v4–12. Every requested partition is answered. Data starts with the batch that
    /// contains the fetch offset and consists of whole batches, within the partition and request
    /// byte limits, but at least one batch for the first partition with data (KIP-74). When less
    /// than `minBytes` is available the request waits in the purgatory, watching its partitions,
    /// until an append (or, under `durability=always`, a sync) brings enough or `maxWaitMs`
    /// (capped by the broker) passes — never answered with a timeout error. Fetch sessions are
    /// declined (session id 0); an incremental request gets FETCH_SESSION_ID_NOT_FOUND.
    ///
    /// With isolation level read_committed a partition is served only up to its last stable
    /// offset (a reader waits while a transaction is open before it; the marker wakes it) and
    /// lists the aborted transactions of the returned range.
    ///
    /// Records go out as `.external` tokens into the reply's file regions (sendfile).
    ///
    /// Authorization (Kafka's consumer fetch): READ on each topic, else its partitions answer
    /// TOPIC_AUTHORIZATION_FAILED and the others are served (waiting for data as usual, unless
    /// no partition is readable: then the answer comes at once, as Kafka's).
    func handleFetch(_ request: FetchRequest, version: Int16, context: RequestContext, encode: @escaping Encoder) -> BrokerReply {
        if version >= 7 && request.sessionId != 0 && request.sessionEpoch > 0 {
            return encode(FetchResponse(throttleTimeMs: 0, errorCode: .fetchSessionIdNotFound, sessionId: 0, responses: []), [])
        }
        let waitMillis = Int64(max(0, min(request.maxWaitMs, config.maxFetchWaitMillis)))
        let readable = authorizedTopics(context, .read, request.topics.map(\.topic))
        let first = collectFetch(request, version: version, readable: readable)
        let nothingReadable = !request.topics.contains { readable.contains($0.topic) }
        if first.bytes >= Int(request.minBytes) || first.sawError || nothingReadable || waitMillis == 0 || isStopping {
            metrics?.topics.fetched(first.traffic)
            return encode(first.response, first.files)
        }
        let keys = request.topics.flatMap { topic in topic.partitions.map { Self.partitionKey(topic.topic, $0.partition) } }
        let operation = DelayedOperation(kind: .fetch, keys: keys, deadline: time.monotonicNanos() &+ UInt64(waitMillis) * 1_000_000) {
            [self] force in
            let attempt = collectFetch(request, version: version, readable: readable)
            guard force || attempt.bytes >= Int(request.minBytes) || attempt.sawError else { return nil }
            metrics?.topics.fetched(attempt.traffic)
            return encode(attempt.response, attempt.files)
        }
        purgatory.watch(operation)
        return .pending(operation.pending)
    }

    /// What a fetch would answer now: the response, its file regions, how many record bytes it
    /// carries, whether a partition had an error, and per topic the bytes and offsets it sends
    /// (for the traffic metrics, recorded only for the answer actually sent).
    private func collectFetch(_ request: FetchRequest, version: Int16, readable: TopicAccess)
        -> (response: FetchResponse, files: [FileRegion], bytes: Int, sawError: Bool, traffic: [(topic: String, bytes: Int, records: Int)]) {
        var files: [FileRegion] = []
        var total = 0
        var traffic: [(topic: String, bytes: Int, records: Int)] = []
        var sawError = false
        let maxBytes = version >= 3 ? Int(max(0, request.maxBytes)) : Int.max
        // read_committed (1) serves up to the last stable offset; any other value reads all.
        let isolation: IsolationLevel = request.isolationLevel == 1 ? .readCommitted : .readUncommitted
        // Without metrics a read need not find where its region ends in offsets.
        let countsTraffic = metrics != nil
        let topics = request.topics.map { topic -> FetchResponse.FetchableTopicResponse in
            let name = topic.topic
            var sent = (bytes: 0, records: 0)
            let partitions = topic.partitions.map { partition -> FetchResponse.PartitionData in
                var data = FetchResponse.PartitionData(partitionIndex: partition.partition, errorCode: .none,
                                                      highWatermark: -1, lastStableOffset: -1, logStartOffset: -1,
                                                      abortedTransactions: version >= 4 ? [] : nil,
                                                      preferredReadReplica: -1, records: .empty)
                guard readable.contains(name) else {
                    data.errorCode = .topicAuthorizationFailed
                    return data
                }
                let log: PartitionLog
                do { log = try store.partition(name, partition.partition) } catch {
                    data.errorCode = .unknownTopicOrPartition
                    sawError = true
                    return data
                }
                let budget = min(Int(max(0, partition.partitionMaxBytes)), max(0, maxBytes - total))
                do throws(LogStorageError) {
                    let read = try log.read(from: partition.fetchOffset, maxBytes: budget, minOneBatch: total == 0, isolation: isolation,
                                            wantsNextOffset: countsTraffic)
                    data.highWatermark = read.offsets.highWatermark
                    data.lastStableOffset = read.offsets.lastStableOffset
                    if isolation == .readCommitted {
                        data.abortedTransactions = read.abortedTransactions.map {
                            FetchResponse.AbortedTransaction(producerId: $0.producerId, firstOffset: $0.firstOffset)
                        }
                    }
                    data.logStartOffset = read.offsets.logStartOffset
                    if let region = read.region {
                        data.records = .external(token: files.count, length: region.length)
                        files.append(region)
                        total += region.length
                        sent.bytes += region.length
                        sent.records += Int(max(0, (read.nextOffset ?? partition.fetchOffset) - partition.fetchOffset))
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
            if sent.bytes > 0, countsTraffic { traffic.append((name, sent.bytes, sent.records)) }
            return FetchResponse.FetchableTopicResponse(topic: name, partitions: partitions)
        }
        return (FetchResponse(throttleTimeMs: 0, errorCode: .none, sessionId: 0, responses: topics), files, total, sawError, traffic)
    }
}
