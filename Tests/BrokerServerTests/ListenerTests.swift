import Broker
import BrokerServer
import KafkaProtocol
import Net
import SystemIO
import Testing

/// Several Kafka listeners at once (`--listeners`, `--advertised-listeners`,
/// `--listener-security-protocol-map`): parsing, and each client told the addresses of the
/// listener it came in on.
@Suite struct ListenerTests {
    func parse(_ arguments: [String], environment: [String: String] = [:]) -> ServerConfig.Parsed {
        ServerConfig.parse(arguments: arguments, environment: { environment[$0] })
    }

    func specs(_ arguments: [String], environment: [String: String] = [:]) throws -> [ListenerSpec] {
        guard case .run(let config) = parse(arguments, environment: environment) else {
            Issue.record("\(arguments) did not parse")
            return []
        }
        return try config.listenerSpecs.get()
    }

    @Test func kafkaStyleListenersParse() throws {
        #expect(try specs([]) == [ListenerSpec(name: "PLAINTEXT", securityProtocol: .plaintext, bind: HostPort(host: "0.0.0.0", port: 9092))])
        #expect(try specs(["--listen", "127.0.0.1:1", "--advertise", "kaffeed:1"])
                == [ListenerSpec(name: "PLAINTEXT", securityProtocol: .plaintext, bind: HostPort(host: "127.0.0.1", port: 1),
                                 advertised: HostPort(host: "kaffeed", port: 1))])
        let two = try specs(["--listeners", "PLAINTEXT://0.0.0.0:9092,SASL_PLAINTEXT://:9094",
                             "--advertised-listeners", "SASL_PLAINTEXT://kaffeed:9094"])
        #expect(two == [
            ListenerSpec(name: "PLAINTEXT", securityProtocol: .plaintext, bind: HostPort(host: "0.0.0.0", port: 9092)),
            ListenerSpec(name: "SASL_PLAINTEXT", securityProtocol: .saslPlaintext, bind: HostPort(host: "0.0.0.0", port: 9094),
                         advertised: HostPort(host: "kaffeed", port: 9094)),
        ])
        #expect(two[0].advertisedAddress == HostPort(host: "127.0.0.1", port: 9092))
        let mapped = try specs([], environment: ["KAFFEE_LISTENERS": "internal://127.0.0.1:9093",
                                                 "KAFFEE_LISTENER_SECURITY_PROTOCOL_MAP": "INTERNAL:SASL_PLAINTEXT"])
        #expect(mapped.map(\.name) == ["INTERNAL"])
        #expect(mapped.map(\.securityProtocol) == [.saslPlaintext])
    }

    @Test func badListenersGetAClearError() {
        for (arguments, expected) in [
            (["--listeners", "127.0.0.1:9092"], "NAME://HOST:PORT"),
            (["--listeners", "PLAINTEXT://x"], "NAME://HOST:PORT"),
            (["--listeners", "PLAINTEXT://:1,PLAINTEXT://:2"], "named twice"),
            (["--listeners", "INTERNAL://:1"], "--listener-security-protocol-map INTERNAL:SASL_PLAINTEXT"),
            (["--listeners", "PLAINTEXT://:1", "--advertised-listeners", "SASL_PLAINTEXT://h:2"], "not among --listeners"),
            (["--listeners", "PLAINTEXT://:1", "--advertised-listeners", "PLAINTEXT://0.0.0.0:2"], "reachable host"),
            (["--listener-security-protocol-map", "X:SSL"], "TLS goes in a proxy"),
            (["--sasl-enabled-mechanisms", "GSSAPI"], "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512"),
        ] {
            guard case .error(let message) = parse(arguments) else { Issue.record("\(arguments) must fail"); continue }
            #expect(message.contains(expected), "\(message)")
        }
    }

    @Test func metadataAnswersWithTheAddressOfTheListenerAsked() throws {
        let dir = try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-listeners-")
        defer { try? FileSystemCalls.removeTree(dir) }
        guard case .run(var config) = parse(["--listeners", "PLAINTEXT://127.0.0.1:0,INTERNAL://127.0.0.1:0",
                                             "--listener-security-protocol-map", "INTERNAL:PLAINTEXT",
                                             "--advertised-listeners", "INTERNAL://internal.example:19093"]) else {
            Issue.record("flags")
            return
        }
        config.dataDirectory = dir
        let server = try BrokerServer(config: config, logger: .silent)
        try server.start()
        defer { try? server.shutdown() }
        let plainPort = try #require(server.listenerPorts["PLAINTEXT"])
        let internalPort = try #require(server.listenerPorts["INTERNAL"])
        #expect(plainPort != internalPort)
        func brokers(_ port: UInt16) throws -> ([MetadataResponse.Broker], FindCoordinatorResponse) {
            let connection = try TCPConnection.connect(to: HostPort(host: "127.0.0.1", port: port))
            defer { connection.close() }
            var decoder = FrameDecoder()
            try connection.writeAll(FrameCodec.encodeRequest(MetadataRequest(topics: []), version: 12, correlationId: 1, clientId: "t"))
            let metadata = try FrameCodec.decodeResponse(try BrokerServerTests().readFrame(connection, &decoder), as: MetadataResponse.self,
                                                         apiKey: .metadata, version: 12).1
            try connection.writeAll(FrameCodec.encodeRequest(FindCoordinatorRequest(key: "g"), version: 3, correlationId: 2, clientId: "t"))
            let coordinator = try FrameCodec.decodeResponse(try BrokerServerTests().readFrame(connection, &decoder), as: FindCoordinatorResponse.self,
                                                            apiKey: .findCoordinator, version: 3).1
            return (metadata.brokers, coordinator)
        }
        let (plain, plainCoordinator) = try brokers(plainPort)
        #expect(plain.map(\.host) == ["127.0.0.1"])
        #expect(plain.map(\.port) == [Int32(plainPort)])
        #expect(plainCoordinator.host == "127.0.0.1" && plainCoordinator.port == Int32(plainPort))
        let (inside, insideCoordinator) = try brokers(internalPort)
        #expect(inside.map(\.host) == ["internal.example"])
        #expect(inside.map(\.port) == [19093])
        #expect(insideCoordinator.host == "internal.example" && insideCoordinator.port == 19093)
    }
}
