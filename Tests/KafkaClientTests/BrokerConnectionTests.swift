import KafkaClient
import KafkaProtocol
import Net
import SystemIO
import Synchronization
import Testing

/// `BrokerConnection` pipelining against a scripted fake broker: requests written back to back,
/// answers matched in order by correlation id, and every request completed exactly once when the
/// connection breaks, answers out of order or times out. No real broker involved.
@Suite struct BrokerConnectionTests {
    @Test func pipelinedRequestsAreWrittenBeforeAnyAnswerAndMatchedInOrder() throws {
        // The broker reads all five requests before it answers any: a client that waited for
        // each answer before writing the next request would never get one.
        let broker = try ScriptedBroker { session in
            var requests: [(RequestHeader, String)] = []
            for _ in 0..<5 {
                guard let (header, body) = session.next() else { return }
                requests.append((header, Self.topicName(header, body)))
            }
            for (header, topic) in requests { session.answerMetadata(header, topic: topic) }
            // Then a request/response exchange on the same (pipelined) socket.
            guard let (header, body) = session.next() else { return }
            session.answerMetadata(header, topic: Self.topicName(header, body))
        }
        defer { broker.stop() }
        let connection = BrokerConnection(address: broker.address, clientId: "pipeline-test", requestTimeoutMs: 10_000)
        defer { connection.close() }
        let results = Results()
        for index in 0..<5 {
            connection.submit(MetadataRequest(topics: [MetadataRequest.Topic(name: "topic-\(index)")], allowAutoTopicCreation: false)) { result in
                results.add(index, result.map { $0.0.topics.first?.name ?? "?" })
            }
        }
        #expect(results.wait(count: 5, timeoutMs: 10_000))
        let all = results.all
        #expect(all.map(\.index) == Array(0..<5), "completions run in request order")
        #expect(all.map { try? $0.result.get() } == (0..<5).map { "topic-\($0)" }, "each answer went to its own request")
        #expect(connection.outstandingRequests == 0)
        let (response, _) = try connection.send(MetadataRequest(topics: [MetadataRequest.Topic(name: "after")], allowAutoTopicCreation: false))
        #expect(response.topics.first?.name == "after")
    }

    @Test func brokenConnectionFailsEveryOutstandingRequestOnceThenReconnects() throws {
        let connections = Mutex(0)
        let broker = try ScriptedBroker { session in
            let number = connections.withLock { count in
                count += 1
                return count
            }
            if number == 1 {
                // Read three requests, answer the first, hang up.
                var headers: [RequestHeader] = []
                for _ in 0..<3 {
                    guard let (header, _) = session.next() else { return }
                    headers.append(header)
                }
                session.answerMetadata(headers[0], topic: "first")
                session.close()
            } else {
                while let (header, body) = session.next() { session.answerMetadata(header, topic: Self.topicName(header, body)) }
            }
        }
        defer { broker.stop() }
        let connection = BrokerConnection(address: broker.address, clientId: "pipeline-test", requestTimeoutMs: 10_000)
        defer { connection.close() }
        let results = Results()
        for index in 0..<3 {
            connection.submit(MetadataRequest(topics: [MetadataRequest.Topic(name: "t\(index)")], allowAutoTopicCreation: false)) { result in
                results.add(index, result.map { $0.0.topics.first?.name ?? "?" })
            }
        }
        #expect(results.wait(count: 3, timeoutMs: 10_000))
        let all = results.all
        #expect(all.map(\.index) == [0, 1, 2])
        #expect((try? all[0].result.get()) == "first")
        for entry in all.dropFirst() {
            guard case .failure(.connection) = entry.result else {
                Issue.record("request \(entry.index): \(entry.result)")
                continue
            }
        }
        // Nothing is completed twice, even after the socket is gone.
        #expect(!results.wait(count: 4, timeoutMs: 200))
        // The next request reconnects.
        let (response, _) = try connection.send(MetadataRequest(topics: [MetadataRequest.Topic(name: "again")], allowAutoTopicCreation: false))
        #expect(response.topics.first?.name == "again")
        #expect(connections.withLock { $0 } == 2)
    }

    @Test func answerOutOfOrderFailsTheConnection() throws {
        let broker = try ScriptedBroker { session in
            guard let (first, _) = session.next(), let (second, _) = session.next() else { return }
            session.answerMetadata(second, topic: "second")
            session.answerMetadata(first, topic: "first")
            _ = session.next()
        }
        defer { broker.stop() }
        let connection = BrokerConnection(address: broker.address, clientId: "pipeline-test", requestTimeoutMs: 10_000)
        defer { connection.close() }
        let results = Results()
        for index in 0..<2 {
            connection.submit(MetadataRequest(topics: [], allowAutoTopicCreation: false)) { result in
                results.add(index, result.map { $0.0.topics.first?.name ?? "?" })
            }
        }
        #expect(results.wait(count: 2, timeoutMs: 10_000))
        let all = results.all
        #expect(all.map(\.index) == [0, 1])
        for entry in all {
            guard case .failure(.connection(_, let reason)) = entry.result else {
                Issue.record("request \(entry.index): \(entry.result)")
                continue
            }
            #expect(reason.contains("out of order"), "\(reason)")
        }
    }

    @Test func unansweredRequestsTimeOutOnceEach() throws {
        let broker = try ScriptedBroker { session in
            while session.next() != nil {}  // reads, never answers
        }
        defer { broker.stop() }
        let connection = BrokerConnection(address: broker.address, clientId: "pipeline-test", requestTimeoutMs: 300)
        defer { connection.close() }
        let results = Results()
        let clock = SystemTimeSource()
        let start = clock.monotonicNanos()
        for index in 0..<3 {
            connection.submit(MetadataRequest(topics: [], allowAutoTopicCreation: false)) { result in
                results.add(index, result.map { _ in "answered" })
            }
        }
        #expect(results.wait(count: 3, timeoutMs: 10_000))
        let elapsed = clock.monotonicNanos() - start
        #expect(elapsed >= 250_000_000 && elapsed < 5_000_000_000, "\(elapsed / 1_000_000) ms")
        for entry in results.all {
            guard case .failure(.timedOut) = entry.result else {
                Issue.record("request \(entry.index): \(entry.result)")
                continue
            }
        }
        #expect(!results.wait(count: 4, timeoutMs: 200))
    }

    @Test func submitToAnUnreachableBrokerFailsOnTheCallingThread() throws {
        let listener = try TCPListener.listen(on: HostPort(host: "127.0.0.1", port: 0))
        let port = listener.port
        listener.close()
        let connection = BrokerConnection(address: HostPort(host: "127.0.0.1", port: port), clientId: "pipeline-test", requestTimeoutMs: 1_000)
        let results = Results()
        connection.submit(MetadataRequest(topics: [], allowAutoTopicCreation: false)) { result in
            results.add(0, result.map { _ in "answered" })
        }
        // Completed before submit returned.
        let all = results.all
        #expect(all.count == 1)
        guard case .failure(.notReachable)? = all.first?.result else {
            Issue.record("\(String(describing: all.first?.result))")
            return
        }
    }

    @Test func externalRecordDataWithoutItsPayloadIsRefused() throws {
        let broker = try ScriptedBroker { session in
            while session.next() != nil {}
        }
        defer { broker.stop() }
        let connection = BrokerConnection(address: broker.address, clientId: "pipeline-test", requestTimeoutMs: 10_000)
        defer { connection.close() }
        let results = Results()
        let request = ProduceRequest(acks: -1, timeoutMs: 1_000, topicData: [
            ProduceRequest.TopicProduceData(name: "t", partitionData: [ProduceRequest.PartitionProduceData(index: 0, records: .external(token: 1, length: 10))]),
        ])
        connection.submit(request, payloads: [[[UInt8](repeating: 0, count: 10)]]) { result in
            results.add(0, result.map { _ in "answered" })
        }
        #expect(results.wait(count: 1, timeoutMs: 10_000))
        guard case .failure(.invalidArgument)? = results.all.first?.result else {
            Issue.record("\(String(describing: results.all.first?.result))")
            return
        }
        #expect(connection.outstandingRequests == 0)
    }

    @Test func concurrentSendsOnAPipelinedConnectionGetTheirOwnAnswers() throws {
        let broker = try ScriptedBroker { session in
            while let (header, body) = session.next() { session.answerMetadata(header, topic: Self.topicName(header, body)) }
        }
        defer { broker.stop() }
        let connection = BrokerConnection(address: broker.address, clientId: "pipeline-test", requestTimeoutMs: 10_000)
        defer { connection.close() }
        // Switch the socket to pipelined mode first.
        let first = Results()
        connection.submit(MetadataRequest(topics: [MetadataRequest.Topic(name: "warm-up")], allowAutoTopicCreation: false)) { result in
            first.add(0, result.map { $0.0.topics.first?.name ?? "?" })
        }
        #expect(first.wait(count: 1, timeoutMs: 10_000))
        let mismatches = Mutex<[String]>([])
        let done = ProducerTests.Countdown(4)
        for thread in 0..<4 {
            try SystemThread.spawn(name: "connection-test-\(thread)") {
                for round in 0..<50 {
                    let name = "t\(thread)-\(round)"
                    do {
                        let (response, _) = try connection.send(MetadataRequest(topics: [MetadataRequest.Topic(name: name)], allowAutoTopicCreation: false))
                        if response.topics.first?.name != name { mismatches.withLock { $0.append("\(name) got \(response.topics.first?.name ?? "nil")") } }
                    } catch {
                        mismatches.withLock { $0.append("\(name): \(error)") }
                    }
                }
                done.arrive()
            }
        }
        #expect(done.wait(timeoutMs: 30_000))
        #expect(mismatches.withLock { $0 } == [])
    }

    // MARK: helpers

    static func topicName(_ header: RequestHeader, _ body: ProtocolReader) -> String {
        var reader = body
        let request = try? MetadataRequest(from: &reader, version: header.apiVersion)
        return request?.topics?.first?.name ?? "?"
    }

    /// Completions collected from any thread, in the order they ran. Thread-safe.
    final class Results: Sendable {
        private let entries = Mutex<[(index: Int, result: Result<String, KafkaClientError>)]>([])
        private let signal = ConditionSignal()

        func add(_ index: Int, _ result: Result<String, KafkaClientError>) {
            entries.withLock { $0.append((index, result)) }
            signal.signal()
        }

        var all: [(index: Int, result: Result<String, KafkaClientError>)] { entries.withLock { $0 } }

        /// Whether `count` completions arrived within `timeoutMs`.
        func wait(count: Int, timeoutMs: Int) -> Bool {
            let clock = SystemTimeSource()
            let deadline = clock.monotonicNanos() + UInt64(timeoutMs) * 1_000_000
            while true {
                let seen = signal.generation
                if entries.withLock({ $0.count }) >= count { return true }
                let now = clock.monotonicNanos()
                guard now < deadline else { return false }
                signal.wait(after: seen, timeoutNanos: deadline - now)
            }
        }
    }
}

/// A fake broker on a loopback port: answers ApiVersions itself and runs `script` for every
/// accepted connection on a thread of its own. Thread-safe.
final class ScriptedBroker: Sendable {
    let address: HostPort
    private let listener: TCPListener
    private let sessions = Mutex<[Session]>([])

    init(script: @escaping @Sendable (Session) -> Void) throws {
        listener = try TCPListener.listen(on: HostPort(host: "127.0.0.1", port: 0))
        address = HostPort(host: "127.0.0.1", port: listener.port)
        try SystemThread.spawn(name: "scripted-broker") { [self] in
            while let client = try? listener.accept() {
                let session = Session(client)
                sessions.withLock { $0.append(session) }
                try? SystemThread.spawn(name: "scripted-broker-session") {
                    script(session)
                    session.close()
                }
            }
        }
    }

    /// Stops accepting and hangs up on every client.
    func stop() {
        listener.close()
        for session in sessions.withLock({ $0 }) { session.close() }
    }

    /// One client connection, driven by one script thread (only `close` may come from others).
    final class Session: @unchecked Sendable {
        private let connection: TCPConnection
        private var decoder = FrameDecoder()

        init(_ connection: TCPConnection) { self.connection = connection }

        /// The next request other than ApiVersions (answered here), or nil once the client left.
        func next() -> (RequestHeader, ProtocolReader)? {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                if let frame = try? decoder.nextFrame() {
                    guard let (header, body) = try? RequestHeader.decode(frame) else { return nil }
                    if header.apiKey == .apiVersions {
                        write(ApiVersionsResponse(apiKeys: SupportedVersions.broker), header)
                        continue
                    }
                    return (header, body)
                }
                let count = buffer.withUnsafeMutableBytes { raw in (try? connection.read(into: raw)) ?? 0 }
                guard count > 0 else { return nil }
                decoder.append(buffer[0..<count])
            }
        }

        /// A Metadata answer naming one (unknown) topic.
        func answerMetadata(_ header: RequestHeader, topic: String) {
            write(MetadataResponse(controllerId: 0, topics: [MetadataResponse.Topic(errorCode: .unknownTopicOrPartition, name: topic)]), header)
        }

        func write(_ body: some ProtocolMessage, _ header: RequestHeader) {
            for segment in FrameCodec.encodeResponse(body, apiKey: header.apiKey, version: header.apiVersion, correlationId: header.correlationId) {
                if case .bytes(let bytes) = segment { _ = try? connection.writeAll(bytes) }
            }
        }

        /// Hangs up (any thread).
        func close() { connection.shutdown() }
    }
}
