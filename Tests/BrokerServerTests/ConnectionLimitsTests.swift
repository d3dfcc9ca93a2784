import Broker
import BrokerServer
import KafkaProtocol
import Net
import SystemIO
import Testing

/// Limits against abuse over real loopback TCP: a small request size before a SASL login,
/// connections per client address, and idle connections closed.
@Suite struct ConnectionLimitsTests {
    struct Running {
        let server: BrokerServer
        let dir: String
        func port(_ name: String) -> UInt16 { server.listenerPorts[name] ?? 0 }
        func stop() {
            try? server.shutdown()
            try? FileSystemCalls.removeTree(dir)
        }
    }

    func start(_ arguments: [String]) throws -> Running {
        let dir = try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-limits-")
        let users = dir + "/users"
        let fd = try FileDescriptor.open(users, [.writeOnly, .create, .truncate])
        try Array("alice:alice-secret\n".utf8).withUnsafeBytes { try fd.write($0, at: 0) }
        try fd.close()
        guard case .run(var config) = ServerConfig.parse(arguments: ["--listeners", "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0",
                                                                     "--sasl-users", users] + arguments, environment: { _ in nil }) else {
            throw SystemError(code: 22, operation: "parse \(arguments)")
        }
        config.dataDirectory = dir + "/data"
        let server = try BrokerServer(config: config, logger: .silent)
        try server.start()
        return Running(server: server, dir: dir)
    }

    /// Sends `bytes` and returns the next frame, or nil when the broker closed the connection.
    func exchange(_ connection: TCPConnection, _ bytes: [UInt8], timeoutMs: Int = 5_000) throws -> [UInt8]? {
        try connection.writeAll(bytes)
        return try nextFrame(connection, timeoutMs: timeoutMs)
    }

    func nextFrame(_ connection: TCPConnection, timeoutMs: Int) throws -> [UInt8]? {
        connection.setReceiveTimeout(milliseconds: timeoutMs)
        var decoder = FrameDecoder()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let frame = try decoder.nextFrame() { return frame }
            let n: Int
            do { n = try buffer.withUnsafeMutableBytes { try connection.read(into: $0) } } catch { return nil }
            if n == 0 { return nil }
            decoder.append(buffer[0..<n])
        }
    }

    func apiVersions(_ connection: TCPConnection) throws -> [UInt8]? {
        try exchange(connection, FrameCodec.encodeRequest(ApiVersionsRequest(), version: 0, correlationId: 1, clientId: "t"))
    }

    /// A Metadata request whose client id makes the frame about `size` bytes.
    func bigRequest(_ size: Int) -> [UInt8] {
        FrameCodec.encodeRequest(MetadataRequest(topics: []), version: 1, correlationId: 7, clientId: String(repeating: "x", count: size))
    }

    @Test func beforeASaslLoginOnlySmallRequestsAreRead() throws {
        let running = try start(["--sasl-max-receive-bytes", "1024"])
        defer { running.stop() }
        let stranger = try TCPConnection.connect(to: HostPort(host: "127.0.0.1", port: running.port("SASL_PLAINTEXT")))
        defer { stranger.close() }
        #expect(try exchange(stranger, bigRequest(4_000)) == nil, "a 4 KB frame before the login closes the connection")

        let user = try TCPConnection.connect(to: HostPort(host: "127.0.0.1", port: running.port("SASL_PLAINTEXT")))
        defer { user.close() }
        let handshake = try #require(try exchange(user, FrameCodec.encodeRequest(SaslHandshakeRequest(mechanism: "PLAIN"), version: 1, correlationId: 2, clientId: "t")))
        #expect(try FrameCodec.decodeResponse(handshake, as: SaslHandshakeResponse.self, apiKey: .saslHandshake, version: 1).body.errorCode == .none)
        let token: [UInt8] = [0] + Array("alice".utf8) + [0] + Array("alice-secret".utf8)
        let login = try #require(try exchange(user, FrameCodec.encodeRequest(SaslAuthenticateRequest(authBytes: token), version: 2, correlationId: 3, clientId: "t")))
        #expect(try FrameCodec.decodeResponse(login, as: SaslAuthenticateResponse.self, apiKey: .saslAuthenticate, version: 2).body.errorCode == .none)
        let answer = try #require(try exchange(user, bigRequest(4_000)), "after the login the usual limit applies")
        #expect(try FrameCodec.decodeResponse(answer, as: MetadataResponse.self, apiKey: .metadata, version: 1).correlationId == 7)
        // The PLAINTEXT listener never had the small limit.
        let plain = try TCPConnection.connect(to: HostPort(host: "127.0.0.1", port: running.port("PLAINTEXT")))
        defer { plain.close() }
        #expect(try exchange(plain, bigRequest(4_000)) != nil)
    }

    @Test func connectionsPerAddressAreCapped() throws {
        let running = try start(["--max-connections-per-ip", "2"])
        defer { running.stop() }
        let address = HostPort(host: "127.0.0.1", port: running.port("PLAINTEXT"))
        let first = try TCPConnection.connect(to: address)
        let second = try TCPConnection.connect(to: address)
        defer { first.close(); second.close() }
        #expect(try apiVersions(first) != nil)
        #expect(try apiVersions(second) != nil)
        let third = try TCPConnection.connect(to: address)
        #expect(try apiVersions(third) == nil, "the third connection from 127.0.0.1 is refused")
        third.close()
        // Closing one makes room again (the broker counts it closed once it sees the FIN).
        first.close()
        var admitted = false
        let deadline = SystemTimeSource().monotonicNanos() + 5_000_000_000
        while !admitted && SystemTimeSource().monotonicNanos() < deadline {
            let again = try TCPConnection.connect(to: address)
            admitted = try apiVersions(again) != nil
            again.close()
        }
        #expect(admitted)
    }

    @Test func limitsComeFromFlagsOrTheirKafkaNames() throws {
        guard case .run(let flags) = ServerConfig.parse(arguments: ["--connections-max-idle-ms", "5000", "--max-connections-per-ip", "3",
                                                                    "--sasl-max-receive-bytes", "2048"], environment: { _ in nil }),
              case .run(let names) = ServerConfig.parse(arguments: ["--config", "connections.max.idle.ms=5000", "--config", "max.connections.per.ip=3",
                                                                    "--config", "sasl.server.max.receive.size=2048",
                                                                    "--config", "connection.failed.authentication.delay.ms=0"], environment: { _ in nil })
        else { Issue.record("parse"); return }
        for config in [flags, names] {
            #expect(config.connectionsMaxIdleMs == 5000 && config.maxConnectionsPerIp == 3 && config.saslMaxReceiveBytes == 2048)
        }
        #expect(flags.failedAuthenticationDelayMs == 100 && names.failedAuthenticationDelayMs == 0)
        guard case .error(let message) = ServerConfig.parse(arguments: ["--max-connections-per-ip", "0"], environment: { _ in nil }) else {
            Issue.record("0 connections accepted"); return
        }
        #expect(message.contains("--max-connections-per-ip"))
    }

    @Test func idleConnectionsAreClosed() throws {
        let running = try start(["--connections-max-idle-ms", "1000"])
        defer { running.stop() }
        let connection = try TCPConnection.connect(to: HostPort(host: "127.0.0.1", port: running.port("PLAINTEXT")))
        defer { connection.close() }
        #expect(try apiVersions(connection) != nil)
        let started = SystemTimeSource().monotonicNanos()
        // Wait (reading, up to 5 s) for the broker to close the idle connection.
        #expect(try nextFrame(connection, timeoutMs: 5_000) == nil)
        let waited = (SystemTimeSource().monotonicNanos() - started) / 1_000_000
        #expect(waited >= 900 && waited < 4_500, "closed after about a second of silence (\(waited) ms)")
    }
}
