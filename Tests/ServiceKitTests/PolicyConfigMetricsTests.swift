import SystemIO
import Testing
@testable import ServiceKit

@Suite struct RetryAndDeadLetterTests {
    @Test func delaysDoubleAndCap() {
        let policy = RetryPolicy(attempts: 6, baseBackoff: .milliseconds(100), maxBackoff: .milliseconds(500))
        #expect(policy.delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(500), .milliseconds(500)])
        #expect(policy.delay(afterFailure: 6) == nil)
        #expect(policy.delay(afterFailure: 0) == nil)
        #expect(RetryPolicy(attempts: 1, baseBackoff: .seconds(1), maxBackoff: .seconds(2)).delays == [])
        #expect(RetryPolicy(attempts: 0, baseBackoff: .seconds(1), maxBackoff: .seconds(2)).attempts == 1)
        let huge = RetryPolicy(attempts: 200, baseBackoff: .milliseconds(1), maxBackoff: .seconds(60))
        #expect(huge.delay(afterFailure: 199) == .seconds(60))
    }

    @Test func deadLetterHeaders() {
        let original = [
            MessageHeader(name: "type", text: "OrderPlaced"),
            MessageHeader(name: "dlq.error", text: "old"),
        ]
        let headers = DeadLetter.headers(
            original: original, error: "boom", topic: "coffee.orders", partition: 3, offset: 42,
            consumer: "barista-service", attempts: 5, failedAt: "2025-03-14T08:05:42.918Z")
        #expect(headers.map { "\($0.name)=\($0.text ?? "?")" } == [
            "type=OrderPlaced", "dlq.error=boom", "dlq.originalTopic=coffee.orders",
            "dlq.originalPartition=3", "dlq.originalOffset=42", "dlq.consumer=barista-service",
            "dlq.attempts=5", "dlq.failedAt=2025-03-14T08:05:42.918Z",
        ])
        #expect(DeadLetter.rfc3339(unixMillis: 0) == "1970-01-01T00:00:00.000Z")
        #expect(DeadLetter.rfc3339(unixMillis: 1_741_939_542_918) == "2025-03-14T08:05:42.918Z")
        #expect(DeadLetter.rfc3339(unixMillis: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
    }
}

@Suite struct ServiceConfigTests {
    @Test func defaults() throws {
        let config = try ServiceConfig(serviceName: "order-service", environment: { _ in nil })
        #expect(config.brokers == [BrokerAddress(host: "localhost", port: 9092)])
        #expect(config.httpPort == 8080)
        #expect(config.databasePath == "order-service.sqlite")
        #expect(config.groupId == "order-service")
        #expect(config.pollInterval == .milliseconds(100))
        #expect(config.retry == .default)
        #expect(config.groupProtocol == .auto)
    }

    @Test func parsesValues() throws {
        let env = [
            "KAFFEE_BROKERS": "a:9092, b:9093,[::1]:9094", "SERVICE_HTTP_PORT": " 9000 ",
            "SERVICE_DB_PATH": "/tmp/x.db", "SERVICE_GROUP_ID": "g", "SERVICE_POLL_MS": "250",
            "SERVICE_RETRY_ATTEMPTS": "3", "SERVICE_RETRY_BACKOFF_MS": "10", "SERVICE_RETRY_MAX_BACKOFF_MS": "20",
            "SERVICE_GROUP_ID_UNUSED": "", "SERVICE_BATCH_SIZE": "", "SERVICE_GROUP_PROTOCOL": "classic",
        ]
        let config = try ServiceConfig(serviceName: "s", environment: { env[$0] })
        #expect(config.brokers.map(\.description) == ["a:9092", "b:9093", "::1:9094"])
        #expect(config.httpPort == 9000)
        #expect(config.databasePath == "/tmp/x.db")
        #expect(config.groupId == "g")
        #expect(config.pollInterval == .milliseconds(250))
        #expect(config.batchSize == 500)
        #expect(config.retry.delays == [.milliseconds(10), .milliseconds(20)])
        #expect(config.groupProtocol == .classic)
    }

    @Test func saslLoginFromTheEnvironmentOrASecretFile() throws {
        #expect(try ServiceConfig(serviceName: "s", environment: { _ in nil }).sasl == nil)
        let direct = try ServiceConfig(serviceName: "order-service", environment: {
            ["KAFFEE_SASL_MECHANISM": "scram-sha-512", "KAFFEE_SASL_PASSWORD": "pw"][$0]
        })
        #expect(direct.sasl?.mechanism == .scramSha512)
        #expect(direct.sasl?.username == "order-service", "the user defaults to the service name")
        #expect(direct.clientConfig(clientId: "x").sasl == direct.sasl)
        let dir = try FileSystemCalls.makeTemporaryDirectory(prefix: "service-secret-")
        defer { try? FileSystemCalls.removeTree(dir) }
        let fd = try FileDescriptor.open(dir + "/password", [.writeOnly, .create, .truncate], mode: 0o600)
        try Array("from-file\n".utf8).withUnsafeBytes { try fd.write($0, at: 0) }
        try fd.close()
        let fromFile = try ServiceConfig(serviceName: "s", environment: {
            ["KAFFEE_SASL_MECHANISM": "PLAIN", "KAFFEE_SASL_USERNAME": "svc", "KAFFEE_SASL_PASSWORD_FILE": dir + "/password"][$0]
        })
        #expect(fromFile.sasl?.username == "svc")
        #expect(fromFile.sasl?.password == "from-file")
        for (environment, variable) in [
            (["KAFFEE_SASL_MECHANISM": "GSSAPI", "KAFFEE_SASL_PASSWORD": "p"], "KAFFEE_SASL_MECHANISM"),
            (["KAFFEE_SASL_MECHANISM": "PLAIN"], "KAFFEE_SASL_PASSWORD"),
            (["KAFFEE_SASL_MECHANISM": "PLAIN", "KAFFEE_SASL_PASSWORD_FILE": dir + "/missing"], "KAFFEE_SASL_PASSWORD_FILE"),
        ] {
            #expect { _ = try ServiceConfig(serviceName: "s", environment: { environment[$0] }) } throws: {
                ($0 as? ServiceConfigError)?.variable == variable
            }
        }
    }

    @Test func consumerGroupTuningSetsTheSessionAndAThirdOfItAsHeartbeat() {
        #expect(ConsumerGroupTuning.alterations(sessionTimeoutMs: 6_000)
                == [.set("consumer.session.timeout.ms", "6000"), .set("consumer.heartbeat.interval.ms", "2000")])
        #expect(ConsumerGroupTuning.alterations(sessionTimeoutMs: 3_000)
                == [.set("consumer.session.timeout.ms", "3000"), .set("consumer.heartbeat.interval.ms", "1000")])
    }

    @Test(arguments: [
        ("SERVICE_HTTP_PORT", "eighty"), ("SERVICE_HTTP_PORT", "70000"), ("SERVICE_POLL_MS", "0"),
        ("KAFFEE_BROKERS", "localhost"), ("KAFFEE_BROKERS", "a:1,,b:2"), ("KAFFEE_BROKERS", "a:0"),
        ("SERVICE_RETRY_MAX_BACKOFF_MS", "1"), ("SERVICE_GROUP_PROTOCOL", "kip848"),
    ])
    func malformedValuesThrow(name: String, value: String) {
        #expect {
            _ = try ServiceConfig(serviceName: "s", environment: { $0 == name ? value : nil })
        } throws: { error in
            guard let error = error as? ServiceConfigError else { return false }
            return error.variable == name && error.description.contains(name)
        }
    }

    @Test func errorMessage() {
        #expect {
            _ = try ServiceConfig(serviceName: "s", environment: { $0 == "SERVICE_HTTP_PORT" ? "x" : nil })
        } throws: { error in
            (error as? ServiceConfigError)?.description
                == "invalid SERVICE_HTTP_PORT=\"x\": expected an integer in 0...65535"
        }
    }
}

@Suite struct MetricsTests {
    @Test func exactTextFormat() {
        let metrics = ServiceMetrics()
        metrics.consumed(3)
        metrics.handled()
        metrics.setOutboxDepth(4)
        metrics.setConsumerLag(topic: "coffee.orders", partition: 1, lag: 12)
        metrics.setConsumerLag(topic: "coffee.orders", partition: 0, lag: 0)
        #expect(metrics.render() == """
            # HELP kaffee_service_consumed_total Records consumed.
            # TYPE kaffee_service_consumed_total counter
            kaffee_service_consumed_total 3
            # HELP kaffee_service_produced_total Records produced and acknowledged.
            # TYPE kaffee_service_produced_total counter
            kaffee_service_produced_total 0
            # HELP kaffee_service_handled_total Records handled successfully.
            # TYPE kaffee_service_handled_total counter
            kaffee_service_handled_total 1
            # HELP kaffee_service_failed_total Handler attempts that failed.
            # TYPE kaffee_service_failed_total counter
            kaffee_service_failed_total 0
            # HELP kaffee_service_dead_lettered_total Records sent to the dead-letter topic.
            # TYPE kaffee_service_dead_lettered_total counter
            kaffee_service_dead_lettered_total 0
            # HELP kaffee_service_outbox_depth Outbox rows waiting to be sent.
            # TYPE kaffee_service_outbox_depth gauge
            kaffee_service_outbox_depth 4
            # HELP kaffee_service_consumer_lag High watermark minus committed offset, per partition.
            # TYPE kaffee_service_consumer_lag gauge
            kaffee_service_consumer_lag{partition="0",topic="coffee.orders"} 0
            kaffee_service_consumer_lag{partition="1",topic="coffee.orders"} 12

            """)
    }

    @Test func smallRegistryWithEscaping() {
        let m = Metrics()
        m.declare("x_total", kind: .counter, help: "Line one\nback\\slash")
        m.increment("x_total", labels: ["v": "a\"b\\c\nd"], by: 2)
        m.set("ratio", to: 0.5)
        #expect(m.render() == """
            # HELP x_total Line one\\nback\\\\slash
            # TYPE x_total counter
            x_total{v="a\\"b\\\\c\\nd"} 2
            # HELP ratio ratio
            # TYPE ratio gauge
            ratio 0.5

            """)
        #expect(m.value("x_total", labels: ["v": "a\"b\\c\nd"]) == 2)
    }

    @Test func concurrentIncrements() async {
        let m = Metrics()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { for _ in 0..<1000 { m.increment("n") } }
            }
        }
        #expect(m.value("n") == 8000)
    }
}
