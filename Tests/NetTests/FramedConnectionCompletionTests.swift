import Net
import SystemIO
import Synchronization
import Testing

/// `FramedConnection.respond(_:whenWritten:)` reports when an answer is out (the broker's
/// send-time metric), and `FramedServer.listenerConnections` counts connections per listener.
@Suite struct FramedConnectionCompletionTests {
    @Test func whenWrittenRunsOnceTheAnswerIsOutAndConnectionsAreCounted() throws {
        let listener = try TCPListener.listen(on: HostPort(host: "127.0.0.1", port: 0))
        let outcomes = Locked<[Bool]>([])
        let written = ConditionSignal()
        let big = [UInt8](repeating: 7, count: 2_000_000)
        let server = try FramedServer(listener: listener, maxFrameSize: 1 << 20, loops: 1, logger: .silent) { connection, frame in
            let answer = frame == [1] ? big : frame
            let n = UInt32(answer.count)
            connection.respond([.bytes([UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + answer)]) { done in
                outcomes.withLock { $0.append(done) }
                written.signal()
            }
        }
        try server.start()
        defer { server.stop(graceMillis: 1000) }
        let client = try TCPConnection.connect(to: HostPort(host: "127.0.0.1", port: listener.port))
        try client.writeAll([0, 0, 0, 2, 5, 6])
        #expect(try FramedServerTests.readFrame(client) == [5, 6])
        // A 2 MB answer cannot be written at once: the completion waits for the last byte.
        try client.writeAll([0, 0, 0, 1, 1])
        #expect(try FramedServerTests.readFrame(client)?.count == big.count)
        for _ in 0..<100 where outcomes.withLock({ $0.count }) < 2 { written.wait(after: written.generation, timeoutNanos: 50_000_000) }
        #expect(outcomes.withLock { $0 } == [true, true])
        let counts = server.listenerConnections
        #expect(counts.count == 1)
        #expect(counts.first?.open == 1)
        #expect(counts.first?.accepted == 1)
    }
}
