import KafkaProtocol
import SystemIO
import Synchronization

/// Sends one sessionless Fetch (session id 0, epoch -1, the configured isolation level) per partition leader
/// and collects the answers. With several leaders the requests run in parallel, one short-lived
/// OS thread per extra leader, so one broker's long poll does not delay the others.
///
/// Uses the consumer's "fetch" connections (never the coordinator's). Thread-safe (a value
/// holding thread-safe parts); one round at a time per consumer, since rounds share connections.
struct ConsumerFetcher: Sendable {
    /// The connection purpose of fetches (one connection per leader).
    static let purpose = "consumer-fetch"

    /// One partition to fetch and the offset to fetch it from.
    struct Target: Sendable, Equatable {
        var partition: TopicPartition
        var offset: Int64
    }

    /// Metadata and pooled leader connections.
    let cluster: KafkaCluster
    /// Fetch sizes and waits.
    let config: ConsumerConfig
    /// Added to the fetch wait to bound each request.
    let requestTimeoutMs: Int

    /// The Fetch request for `targets` (all led by one broker).
    func request(_ targets: [Target], maxWaitMs: Int) -> FetchRequest {
        let byTopic = Dictionary(grouping: targets, by: \.partition.topic)
        return FetchRequest(
            replicaId: -1, maxWaitMs: Int32(clamping: max(0, maxWaitMs)), minBytes: Int32(clamping: config.fetchMinBytes),
            maxBytes: Int32(clamping: config.fetchMaxBytes), isolationLevel: config.isolationLevel.rawValue, sessionId: 0, sessionEpoch: -1,
            topics: byTopic.keys.sorted().map { topic in
                FetchRequest.FetchTopic(topic: topic, partitions: (byTopic[topic] ?? []).map { target in
                    FetchRequest.FetchPartition(partition: target.partition.partition, fetchOffset: target.offset,
                                                partitionMaxBytes: Int32(clamping: config.maxPartitionFetchBytes))
                })
            })
    }

    /// Fetches from every leader in `plan`; each leader's answer or failure.
    func fetch(_ plan: [Int32: [Target]], maxWaitMs: Int) -> [Int32: Result<FetchResponse, KafkaClientError>] {
        let leaders = plan.keys.sorted()
        guard let first = leaders.first else { return [:] }
        let box = ResultBox()
        for leader in leaders.dropFirst() {
            let targets = plan[leader] ?? []
            do {
                try SystemThread.spawn(name: "kafka-consumer-fetch") {
                    let result = fetchOne(leader: leader, targets, maxWaitMs: maxWaitMs)
                    box.results.withLock { $0[leader] = result }
                    box.finished.signal()
                }
            } catch {
                let result = fetchOne(leader: leader, targets, maxWaitMs: maxWaitMs)
                box.results.withLock { $0[leader] = result }
            }
        }
        let own = fetchOne(leader: first, plan[first] ?? [], maxWaitMs: maxWaitMs)
        box.results.withLock { $0[first] = own }
        // Every request is bounded by its connection timeout, so this wait ends.
        while true {
            let seen = box.finished.generation
            if box.results.withLock({ $0.count }) == leaders.count { break }
            box.finished.wait(after: seen, timeoutNanos: 100_000_000)
        }
        return box.results.withLock { $0 }
    }

    /// Where the per-leader threads leave their answers.
    private final class ResultBox: Sendable {
        let results = Mutex<[Int32: Result<FetchResponse, KafkaClientError>]>([:])
        let finished = ConditionSignal()
    }

    private func fetchOne(leader: Int32, _ targets: [Target], maxWaitMs: Int) -> Result<FetchResponse, KafkaClientError> {
        Result { () throws(KafkaClientError) -> FetchResponse in
            let connection = try cluster.connection(node: leader, purpose: Self.purpose)
            return try connection.send(request(targets, maxWaitMs: maxWaitMs), timeoutMs: requestTimeoutMs + max(0, maxWaitMs)).0
        }
    }
}
