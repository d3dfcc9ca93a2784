public import Net
internal import HTTPClient
internal import KafkaClient
internal import Foundation

/// Why the shop's state could not be read.
public struct ShopInspectionError: Error, Sendable, CustomStringConvertible {
    /// What failed, naming the service.
    public var message: String
    public var description: String { message }
}

/// Reads the shop's state: the three services' `/admin/snapshot` over HTTP and the records on
/// the dead-letter topic. Blocking; use from one thread at a time.
public struct ShopInspector: Sendable {
    /// Where everything is.
    public let endpoints: ShopEndpoints
    /// HTTP timeout per request.
    public let timeoutMillis: Int

    public init(endpoints: ShopEndpoints, timeoutMillis: Int = 30_000) {
        self.endpoints = endpoints
        self.timeoutMillis = timeoutMillis
    }

    /// Everything the checks need.
    public func state() throws(ShopInspectionError) -> ShopState {
        ShopState(
            orders: try snapshot(OrderServiceSnapshot.self, from: endpoints.orderService, name: "order-service"),
            barista: try snapshot(BaristaServiceSnapshot.self, from: endpoints.baristaService, name: "barista-service"),
            notifications: try snapshot(NotificationServiceSnapshot.self, from: endpoints.notificationService, name: "notification-service"),
            deadLetters: try deadLetters())
    }

    /// `GET path` on `server` decoded as JSON into `type`.
    public func get<T: Decodable>(_ type: T.Type, path: String, from server: HostPort, name: String) throws(ShopInspectionError) -> T {
        let client = HTTPClient(server: server, timeoutMillis: timeoutMillis)
        defer { client.close() }
        let response: HTTPClientResponse
        do {
            response = try client.get(path)
        } catch {
            throw ShopInspectionError(message: "\(name) at \(server): \(error)")
        }
        guard response.status == 200 else {
            throw ShopInspectionError(message: "\(name) at \(server): GET \(path) answered \(response.status): \(response.text.prefix(200))")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(response.body))
        } catch {
            throw ShopInspectionError(message: "\(name) at \(server): GET \(path) returned unexpected JSON: \(error)")
        }
    }

    private func snapshot<T: Decodable>(_ type: T.Type, from server: HostPort, name: String) throws(ShopInspectionError) -> T {
        try get(type, path: "/admin/snapshot", from: server, name: name)
    }

    /// Whether a service answers `/healthz` with 200.
    public func isReady(_ server: HostPort) -> Bool {
        let client = HTTPClient(server: server, timeoutMillis: 2_000)
        defer { client.close() }
        return (try? client.get("/healthz"))?.status == 200
    }

    /// Every record on the dead-letter topic, read from the beginning to the current end.
    public func deadLetters(topic: String = "coffee.dlq") throws(ShopInspectionError) -> [DeadLetterRecord] {
        var config = ClientConfig(bootstrapServers: endpoints.brokers, clientId: "kaffee-verify")
        config.requestTimeoutMs = 10_000
        config.sasl = endpoints.sasl
        let admin = KafkaAdmin(config: config)
        defer { admin.close() }
        let ends: [TopicPartition: Int64]
        do {
            let description = try admin.describeTopic(name: topic)
            let partitions = description.partitions.map { TopicPartition(topic: topic, partition: $0.partition) }
            ends = try admin.listOffsets(partitions, spec: .latest).mapValues(\.offset)
        } catch {
            throw ShopInspectionError(message: "dead-letter topic \(topic): \(error)")
        }
        let wanted = ends.filter { $0.value > 0 }
        guard !wanted.isEmpty else { return [] }
        var letters: [DeadLetterRecord] = []
        do {
            let consumer = try KafkaConsumer(config: config, consumerConfig: ConsumerConfig(groupId: nil))
            defer { consumer.close() }
            try consumer.assign(Array(wanted.keys))
            try consumer.seekToBeginning(Array(wanted.keys))
            var remaining = Set(wanted.keys)
            let deadline = Date().addingTimeInterval(30)
            while !remaining.isEmpty && Date() < deadline {
                for record in try consumer.poll(timeoutMs: 500) {
                    func header(_ name: String) -> String {
                        record.headers.first { $0.key == name }.flatMap { $0.value }.map { String(decoding: $0, as: UTF8.self) } ?? ""
                    }
                    letters.append(DeadLetterRecord(
                        partition: record.partition, offset: record.offset, value: record.value ?? [],
                        error: header("dlq.error"), originalTopic: header("dlq.originalTopic")))
                    let tp = TopicPartition(topic: topic, partition: record.partition)
                    if let end = wanted[tp], record.offset + 1 >= end { remaining.remove(tp) }
                }
            }
            guard remaining.isEmpty else { throw ShopInspectionError(message: "dead-letter topic: could not read to the end within 30 s") }
        } catch let error as ShopInspectionError {
            throw error
        } catch {
            throw ShopInspectionError(message: "dead-letter topic \(topic): \(error)")
        }
        return letters
    }
}
