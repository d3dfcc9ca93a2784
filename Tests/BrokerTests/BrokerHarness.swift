import Broker
import KafkaProtocol
import KafkaRecords
import LogStorage
import SystemIO
import Synchronization
import Testing

/// A broker over an in-memory store, driven with encoded request frames exactly as a
/// connection would, with responses decoded back into values. No sockets.
struct BrokerHarness {
    let fileSystem: MemoryFileSystem
    let store: LogStore
    let broker: Broker
    var correlationId: Int32 = 0

    init(configure: (inout BrokerConfig) -> Void = { _ in }, time: any TimeSource = ManualTimeSource(), fileSystem: MemoryFileSystem = MemoryFileSystem(),
         metrics: BrokerMetrics? = nil) throws {
        self.fileSystem = fileSystem
        store = try LogStore.open(dataDirectory: "/data", fileSystem: fileSystem, time: time, logger: .silent)
        var config = BrokerConfig()
        config.advertisedHost = "broker.test"
        config.advertisedPort = 19092
        config.clusterId = "test-cluster"
        configure(&config)
        broker = try Broker(config: config, store: store, time: time, logger: .silent, metrics: metrics)
    }

    /// The request frame without its length prefix.
    func frame<R: KafkaRequest>(_ request: R, version: Int16, correlationId: Int32) -> [UInt8] {
        Array(FrameCodec.encodeRequest(request, version: version, correlationId: correlationId, clientId: "harness").dropFirst(4))
    }

    /// Sends a request and decodes the response (checking the correlation id and frame length).
    mutating func send<R: KafkaRequest>(_ request: R, version: Int16) throws -> R.Response {
        try send(request, version: version, as: nil)
    }

    /// Sends a request as `principal` (nil: the default anonymous context) from host 10.0.0.1,
    /// and decodes the response.
    mutating func send<R: KafkaRequest>(_ request: R, version: Int16, as principal: KafkaPrincipal?) throws -> R.Response {
        correlationId += 1
        var context = broker.defaultContext(clientHost: "10.0.0.1")
        if let principal { context.principal = principal }
        let reply = broker.handle(frame: frame(request, version: version, correlationId: correlationId), context: context)
        let bytes = try #require(try reply.materialize(), "expected a response, got \(reply)")
        let length = Int(Int32(bigEndian: bytes.prefix(4).withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }))
        #expect(length == bytes.count - 4)
        let (correlation, body) = try FrameCodec.decodeResponse(Array(bytes.dropFirst(4)), as: R.Response.self, apiKey: R.apiKey, version: version)
        #expect(correlation == correlationId)
        return body
    }

    /// A record batch of plain records (`value-0`, `value-1`, …) with the given timestamps.
    static func batch(values: [String], keys: [String?]? = nil, timestamps: [Int64]? = nil) -> [UInt8] {
        var builder = RecordBatchBuilder()
        for (i, value) in values.enumerated() {
            let key = keys?[i].map { Array($0.utf8) }
            builder.append(RecordInput(key: key, value: Array(value.utf8), timestamp: timestamps?[i] ?? 1_700_000_000_000 + Int64(i)))
        }
        return builder.build()
    }

    /// Produces one batch to `topic`/`partition` with acks -1 and returns the partition response.
    mutating func produce(_ topic: String, partition: Int32 = 0, _ records: [UInt8], version: Int16 = 9, acks: Int16 = -1) throws -> ProduceResponse.PartitionProduceResponse? {
        let request = ProduceRequest(transactionalId: nil, acks: acks, timeoutMs: 1000, topicData: [
            ProduceRequest.TopicProduceData(name: topic, partitionData: [ProduceRequest.PartitionProduceData(index: partition, records: .inline(records))]),
        ])
        let response = try send(request, version: version)
        return response.responses.first?.partitionResponses.first
    }

    /// A fetch request for one partition.
    static func fetch(_ topic: String, partition: Int32 = 0, offset: Int64, maxWaitMs: Int32 = 0, minBytes: Int32 = 1, partitionMaxBytes: Int32 = 1 << 20, maxBytes: Int32 = 50 << 20) -> FetchRequest {
        FetchRequest(replicaId: -1, maxWaitMs: maxWaitMs, minBytes: minBytes, maxBytes: maxBytes, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
                     topics: [FetchRequest.FetchTopic(topic: topic, partitions: [
                        FetchRequest.FetchPartition(partition: partition, fetchOffset: offset, partitionMaxBytes: partitionMaxBytes),
                     ])])
    }

    /// Decodes every record in a fetched records blob.
    static func records(in data: RecordsData?) throws -> [Record] {
        let bytes = data?.bytes ?? []
        var all: [Record] = []
        for (_, range) in try RecordBatchIterator.batches(in: bytes, range: 0..<bytes.count, verifyCRC: true) {
            all += try RecordBatchRecords.decode(Array(bytes[range]), at: 0)
        }
        return all
    }
}

/// Blocking work (a parked fetch) started at once on its own OS thread, as a connection
/// would run it, so it never waits for a slot in Swift's small cooperative pool; `wait()`
/// blocks the caller until it is done and returns its result and how long it took.
final class BackgroundCall<T: Sendable>: Sendable {
    private let result = Mutex<(T, Duration)?>(nil)
    private let done = ConditionSignal()

    init(_ body: @escaping @Sendable () -> T) throws {
        try SystemThread.spawn(name: "test") { [self] in
            let clock = ContinuousClock()
            let start = clock.now
            let value = body()
            result.withLock { $0 = (value, clock.now - start) }
            done.signal()
        }
    }

    /// The result, waiting up to `timeoutSeconds`; nil on timeout.
    func wait(timeoutSeconds: UInt64 = 60) -> (T, Duration)? {
        let seen = done.generation
        if let value = result.withLock({ $0 }) { return value }
        done.wait(after: seen, timeoutNanos: timeoutSeconds * 1_000_000_000)
        return result.withLock { $0 }
    }
}
