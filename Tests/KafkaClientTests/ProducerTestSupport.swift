import KafkaClient
import KafkaProtocol
import KafkaRecords
import Net
import SystemIO
import Synchronization
import Testing

// Test doubles for ProducerTests: delivery-report collection and a fault-injecting TCP proxy.

extension ProducerTests {
/// Collects delivery reports by record index from callbacks on the sender thread. Thread-safe.
final class ReportCollector: Sendable {
    private let reports = Mutex<[Int: Result<RecordMetadata, KafkaClientError>]>([:])
    private let arrivals = Mutex<[Int]>([])
    private let signal = ConditionSignal()

    /// A callback that stores its report under `index`.
    func callback(_ index: Int) -> @Sendable (Result<RecordMetadata, KafkaClientError>) -> Void {
        { result in
            self.reports.withLock { $0[index] = result }
            self.arrivals.withLock { $0.append(index) }
            self.signal.signal()
        }
    }

    /// The report of record `index`, if it arrived.
    func result(_ index: Int) -> Result<RecordMetadata, KafkaClientError>? { reports.withLock { $0[index] } }

    /// Record indexes in the order their callbacks ran (an index twice = a duplicate report).
    var order: [Int] { arrivals.withLock { $0 } }

    /// The reports of records 0..<count, all successful, in index order (waiting up to 10 s).
    func successes(count: Int) throws -> [RecordMetadata] {
        let clock = SystemTimeSource()
        let deadline = clock.monotonicNanos() + 10_000_000_000
        while true {
            let seen = signal.generation
            let current = reports.withLock { $0 }
            if current.count >= count || clock.monotonicNanos() >= deadline {
                return try (0..<count).map { index in
                    let result = try #require(current[index], "no delivery report for record \(index)")
                    return try result.get()
                }
            }
            signal.wait(after: seen, timeoutNanos: 100_000_000)
        }
    }
}

/// Waits for `count` arrivals. Thread-safe.
final class Countdown: Sendable {
    private let remaining: Mutex<Int>
    private let signal = ConditionSignal()

    init(_ count: Int) { remaining = Mutex(count) }

    func arrive() {
        remaining.withLock { $0 -= 1 }
        signal.signal()
    }

    /// Whether everyone arrived within `timeoutMs`.
    func wait(timeoutMs: Int) -> Bool {
        let clock = SystemTimeSource()
        let deadline = clock.monotonicNanos() + UInt64(timeoutMs) * 1_000_000
        while true {
            let seen = signal.generation
            if remaining.withLock({ $0 <= 0 }) { return true }
            let now = clock.monotonicNanos()
            guard now < deadline else { return false }
            signal.wait(after: seen, timeoutNanos: deadline - now)
        }
    }
}

/// A TCP proxy in front of a single-broker cluster for fault injection: Metadata answers are
/// rewritten so that clients keep connecting through the proxy, and each Produce request takes
/// the next injected fault in arrival order (none left: forwarded untouched). Thread-safe; per
/// client connection one thread reads requests as they arrive (so pipelined requests are seen
/// and counted while an earlier one is held back) and one relays them in order, each waiting
/// for the broker's answer before the next is forwarded.
final class FaultyProxy: Sendable {
    enum Fault: Sendable {
        /// Forward untouched (a placeholder to reach later faults).
        case forward
        /// Close the client connection without forwarding the request (nor any after it).
        case dropBeforeForwarding
        /// Forward the request, then close the client connection instead of answering.
        case dropAfterForwarding
        /// Do not forward; answer every partition with this error after `delayMs`.
        case answer(ErrorCode, delayMs: Int)
        /// Hold the request (and the ones behind it) until ``release()``, then forward it.
        case forwardWhenReleased
        /// Hold the request until ``release()``, then answer every partition with this error
        /// without forwarding it.
        case answerWhenReleased(ErrorCode)
    }

    let port: UInt16
    private let upstream: HostPort
    private let listener: TCPListener
    private let faults = Mutex<[Fault]>([])
    private let produced = Mutex(0)
    private let brokerErrors = Mutex<[ErrorCode: Int]>([:])
    private let released = Mutex(false)
    private let clients = Mutex<[TCPConnection]>([])
    private let signal = ConditionSignal()

    init(upstream: HostPort) throws {
        self.upstream = upstream
        listener = try TCPListener.listen(on: HostPort(host: "127.0.0.1", port: 0))
        port = listener.port
        try SystemThread.spawn(name: "faulty-proxy") { [self] in
            while let client = try? listener.accept() {
                clients.withLock { $0.append(client) }
                try? SystemThread.spawn(name: "faulty-proxy-relay") { [self] in relay(client) }
            }
        }
    }

    /// Client settings that bootstrap through the proxy, with short backoffs.
    func clientConfig() -> ClientConfig {
        var config = ClientConfig(bootstrapServers: [HostPort(host: "127.0.0.1", port: port)], clientId: "producer-proxy-test")
        config.requestTimeoutMs = 5_000
        config.retryBackoffMs = 20
        config.maxRetryBackoffMs = 100
        return config
    }

    /// Replaces the faults still to be applied.
    func inject(_ faults: [Fault]) { self.faults.withLock { $0 = faults } }

    /// Opens the gate of `forwardWhenReleased` / `answerWhenReleased` (for good).
    func release() {
        released.withLock { $0 = true }
        signal.signal()
    }

    /// Produce requests that arrived so far (forwarded or not).
    var produceRequests: Int { produced.withLock { $0 } }

    /// How many partition answers from the broker (not the injected ones) carried `code`.
    func brokerAnswers(_ code: ErrorCode) -> Int { brokerErrors.withLock { $0[code, default: 0] } }

    /// Waits until `count` Produce requests arrived.
    func waitForProduceRequests(_ count: Int, timeoutMs: Int) -> Bool {
        let clock = SystemTimeSource()
        let deadline = clock.monotonicNanos() + UInt64(timeoutMs) * 1_000_000
        while true {
            let seen = signal.generation
            if produceRequests >= count { return true }
            let now = clock.monotonicNanos()
            guard now < deadline else { return false }
            signal.wait(after: seen, timeoutNanos: deadline - now)
        }
    }

    /// Stops accepting and wakes every relay (they close their sockets and end).
    func stop() {
        listener.close()
        release()
        for client in clients.withLock({ $0 }) { client.shutdown() }
    }

    /// Requests read from one client, in arrival order, with the fault each took. Thread-safe.
    private final class Arrivals: Sendable {
        private let frames = Mutex<(items: [([UInt8], Fault?)], ended: Bool)>(([], false))
        private let signal = ConditionSignal()

        func put(_ frame: [UInt8], _ fault: Fault?) {
            frames.withLock { $0.items.append((frame, fault)) }
            signal.signal()
        }

        func end() {
            frames.withLock { $0.ended = true }
            signal.signal()
        }

        /// The next request, or nil once the client is gone and everything was taken.
        func take() -> ([UInt8], Fault?)? {
            while true {
                let seen = signal.generation
                let next = frames.withLock { state -> (item: ([UInt8], Fault?)?, ended: Bool) in
                    state.items.isEmpty ? (nil, state.ended) : (state.items.removeFirst(), false)
                }
                if let item = next.item { return item }
                if next.ended { return nil }
                signal.wait(after: seen, timeoutNanos: 1_000_000_000)
            }
        }
    }

    private func waitForRelease() {
        while true {
            let seen = signal.generation
            if released.withLock({ $0 }) { return }
            signal.wait(after: seen, timeoutNanos: 1_000_000_000)
        }
    }

    private func relay(_ client: TCPConnection) {
        defer { client.shutdown() }
        guard let server = try? TCPConnection.connect(to: upstream) else { return }
        defer { server.close() }
        let arrivals = Arrivals()
        guard (try? SystemThread.spawn(name: "faulty-proxy-reader") { [self] in
            var fromClient = FrameDecoder()
            while let request = Self.readFrame(client, &fromClient) {
                var fault: Fault?
                if let header = try? RequestHeader.peek(request), header.apiKey == ApiKey.produce.rawValue {
                    fault = faults.withLock { $0.isEmpty ? nil : $0.removeFirst() }
                    produced.withLock { $0 += 1 }
                    signal.signal()
                }
                arrivals.put(request, fault)
            }
            arrivals.end()
        }) != nil else { return }
        var fromServer = FrameDecoder()
        while let (request, fault) = arrivals.take() {
            guard let header = try? RequestHeader.peek(request), let apiKey = ApiKey(rawValue: header.apiKey) else { return }
            switch fault {
            case .dropBeforeForwarding?:
                return
            case .answer(let code, let delayMs)?:
                let pause = ConditionSignal()
                pause.wait(after: pause.generation, timeoutNanos: UInt64(delayMs) * 1_000_000)
                guard let answer = Self.produceAnswer(request, code), (try? client.writeAll(answer)) != nil else { return }
                continue
            case .answerWhenReleased(let code)?:
                waitForRelease()
                guard let answer = Self.produceAnswer(request, code), (try? client.writeAll(answer)) != nil else { return }
                continue
            case .forwardWhenReleased?:
                waitForRelease()
            case .forward?, .dropAfterForwarding?, nil:
                break
            }
            guard (try? server.writeAll(Self.lengthPrefixed(request))) != nil,
                  let response = Self.readFrame(server, &fromServer) else { return }
            if case .dropAfterForwarding? = fault { return }
            if apiKey == .produce { countBrokerErrors(response, version: header.apiVersion) }
            let bytes = apiKey == .metadata ? rewriteMetadata(response, version: header.apiVersion) : nil
            guard (try? client.writeAll(bytes ?? Self.lengthPrefixed(response))) != nil else { return }
        }
    }

    private func countBrokerErrors(_ frame: [UInt8], version: Int16) {
        guard let (_, response) = try? FrameCodec.decodeResponse(frame, as: ProduceResponse.self, apiKey: .produce, version: version) else { return }
        brokerErrors.withLock { counts in
            for topic in response.responses {
                for partition in topic.partitionResponses { counts[partition.errorCode, default: 0] += 1 }
            }
        }
    }

    /// The Metadata response with every broker replaced by the proxy (length prefix included).
    private func rewriteMetadata(_ frame: [UInt8], version: Int16) -> [UInt8]? {
        guard let (correlationId, decoded) = try? FrameCodec.decodeResponse(frame, as: MetadataResponse.self, apiKey: .metadata, version: version) else { return nil }
        var body = decoded
        for index in body.brokers.indices {
            body.brokers[index].host = "127.0.0.1"
            body.brokers[index].port = Int32(port)
        }
        return Self.flatten(FrameCodec.encodeResponse(body, apiKey: .metadata, version: version, correlationId: correlationId))
    }

    /// A Produce response giving `code` for every partition of the request.
    private static func produceAnswer(_ frame: [UInt8], _ code: ErrorCode) -> [UInt8]? {
        guard let (header, reader) = try? RequestHeader.decode(frame) else { return nil }
        var body = reader
        guard let request = try? FrameCodec.decodeRequest(ProduceRequest.self, from: &body, version: header.apiVersion) else { return nil }
        let response = ProduceResponse(responses: request.topicData.map { topic in
            ProduceResponse.TopicProduceResponse(name: topic.name, partitionResponses: topic.partitionData.map {
                ProduceResponse.PartitionProduceResponse(index: $0.index, errorCode: code, baseOffset: -1, errorMessage: "injected by the test proxy")
            })
        })
        return flatten(FrameCodec.encodeResponse(response, apiKey: .produce, version: header.apiVersion, correlationId: header.correlationId))
    }

    private static func flatten(_ segments: [OutputSegment]) -> [UInt8]? {
        var bytes: [UInt8] = []
        for segment in segments {
            guard case .bytes(let part) = segment else { return nil }
            bytes += part
        }
        return bytes
    }

    private static func lengthPrefixed(_ frame: [UInt8]) -> [UInt8] {
        let length = UInt32(frame.count)
        return [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)] + frame
    }

    /// The next frame from `connection`, or nil when it closed or broke.
    private static func readFrame(_ connection: TCPConnection, _ decoder: inout FrameDecoder) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            do {
                if let frame = try decoder.nextFrame() { return frame }
            } catch {
                return nil
            }
            let count = buffer.withUnsafeMutableBytes { raw in (try? connection.read(into: raw)) ?? 0 }
            guard count > 0 else { return nil }
            decoder.append(buffer[0..<count])
        }
    }
}

/// Errors collected from another thread. Thread-safe.
final class ErrorList: Sendable {
    private let errors = Mutex<[KafkaClientError]>([])

    func append(_ error: KafkaClientError) { errors.withLock { $0.append(error) } }

    var all: [KafkaClientError] { errors.withLock { $0 } }
}
}
