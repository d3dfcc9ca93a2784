import Foundation
import Net
import SystemIO
import Synchronization
import Testing

/// The epoll server over loopback sockets: frames in any slicing, one request at a time per
/// connection with answers in order, large and oversized frames, many idle connections on a
/// couple of threads, peers that vanish, and a graceful stop.
@Suite struct FramedServerTests {
    /// A server whose handler answers each frame with `answer(frame)` after `delay(frame)` ms,
    /// from a thread of its own (so answers complete out of order across connections).
    final class EchoServer: Sendable {
        let server: FramedServer
        let port: UInt16
        let handled = Locked(0)

        init(maxFrameSize: Int = 1 << 20, delay: @escaping @Sendable ([UInt8]) -> UInt64 = { _ in 0 },
             answer: @escaping @Sendable ([UInt8]) -> [UInt8]? = { $0 }) throws {
            let listener = try TCPListener.listen(on: HostPort(host: "127.0.0.1", port: 0))
            port = listener.port
            let handled = handled
            server = try FramedServer(listener: listener, maxFrameSize: maxFrameSize, loops: 2, logger: .silent) { connection, frame in
                handled.withLock { $0 += 1 }
                let wait = delay(frame)
                let reply = answer(frame)
                let respond: @Sendable () -> Void = {
                    if let reply { connection.respond([.bytes(Self.framed(reply))]) } else { connection.resume() }
                }
                if wait == 0 { respond() } else {
                    try? SystemThread.spawn(name: "delay") {
                        ConditionSignal().wait(after: 0, timeoutNanos: wait * 1_000_000)
                        respond()
                    }
                }
            }
            try server.start()
        }

        static func framed(_ bytes: [UInt8]) -> [UInt8] {
            let n = UInt32(bytes.count)
            return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + bytes
        }

        func connect() throws -> TCPConnection {
            try TCPConnection.connect(to: HostPort(host: "127.0.0.1", port: port))
        }
    }

    /// Reads one length-prefixed frame (blocking).
    static func readFrame(_ connection: TCPConnection) throws -> [UInt8]? {
        func read(_ count: Int) throws -> [UInt8]? {
            var result: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: max(1, count))
            while result.count < count {
                let got = try chunk.withUnsafeMutableBytes { try connection.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<(count - result.count)])) }
                if got == 0 { return nil }
                result += chunk[0..<got]
            }
            return result
        }
        guard let prefix = try read(4) else { return nil }
        let length = Int(UInt32(prefix[0]) << 24 | UInt32(prefix[1]) << 16 | UInt32(prefix[2]) << 8 | UInt32(prefix[3]))
        return length == 0 ? [] : try read(length)
    }

    @Test func pipelinedRequestsAreAnsweredOneAtATimeInOrder() throws {
        // The first request is slow, the others fast: answers must still come back in order,
        // and the server must not start the next request before the previous answer is out.
        let inFlight = Locked((now: 0, overlapped: false))
        let echo = try EchoServer(delay: { frame in
            inFlight.withLock { state in
                state.now += 1
                if state.now > 1 { state.overlapped = true }
            }
            return frame.first == 0 ? 200 : 0
        }, answer: { frame in
            inFlight.withLock { $0.now -= 1 }
            return frame
        })
        defer { echo.server.stop(graceMillis: 1000) }
        let client = try echo.connect()
        var all: [UInt8] = []
        for i in 0..<20 { all += EchoServer.framed([UInt8(i), 1, 2, 3]) }
        try client.writeAll(all)
        for i in 0..<20 { #expect(try Self.readFrame(client) == [UInt8(i), 1, 2, 3]) }
        #expect(!inFlight.withLock { $0.overlapped })
    }

    @Test func framesMaySpanReadsAndReadsMayHoldManyFrames() throws {
        let echo = try EchoServer()
        defer { echo.server.stop(graceMillis: 1000) }
        let client = try echo.connect()
        let big = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let bytes = EchoServer.framed(big) + EchoServer.framed([9]) + EchoServer.framed([])
        // Byte by byte for the first 10 bytes, then the rest at once.
        for byte in bytes.prefix(10) { try client.writeAll([byte]) }
        try client.writeAll(Array(bytes.dropFirst(10)))
        #expect(try Self.readFrame(client) == big)
        #expect(try Self.readFrame(client) == [9])
        #expect(try Self.readFrame(client) == [])
    }

    @Test func anOversizedOrNegativeLengthClosesOnlyThatConnection() throws {
        let echo = try EchoServer(maxFrameSize: 1000)
        defer { echo.server.stop(graceMillis: 1000) }
        let good = try echo.connect()
        for prefix: [UInt8] in [[0, 0, 0x03, 0xE9], [0xFF, 0xFF, 0xFF, 0xFE]] {
            let bad = try echo.connect()
            try bad.writeAll(prefix + [1, 2, 3])
            #expect(try Self.readFrame(bad) == nil, "the connection is closed")
        }
        try good.writeAll(EchoServer.framed([1]))
        #expect(try Self.readFrame(good) == [1])
    }

    @Test func manyIdleConnectionsCostNoThreads() throws {
        let echo = try EchoServer()
        defer { echo.server.stop(graceMillis: 1000) }
        let threadsBefore = try Self.threadCount()
        var clients: [TCPConnection] = []
        for i in 0..<500 {
            let client = try echo.connect()
            try client.writeAll(EchoServer.framed([UInt8(i & 0xFF)]))
            #expect(try Self.readFrame(client) == [UInt8(i & 0xFF)])
            clients.append(client)
        }
        #expect(echo.server.connectionCount == 500)
        #expect(try Self.threadCount() - threadsBefore < 10, "connections must not get threads")
        clients.removeAll()
        let deadline = ContinuousClock.now + .seconds(5)
        while echo.server.connectionCount > 0 && ContinuousClock.now < deadline { usleep(1000) }
        #expect(echo.server.connectionCount == 0, "closed by their peers")
    }

    @Test func aPeerThatLeavesMidRequestDoesNotDisturbTheOthers() throws {
        let echo = try EchoServer(delay: { _ in 100 })
        defer { echo.server.stop(graceMillis: 1000) }
        let leaving = try echo.connect()
        try leaving.writeAll(EchoServer.framed([1]))
        leaving.close()
        let staying = try echo.connect()
        try staying.writeAll(EchoServer.framed([2]))
        #expect(try Self.readFrame(staying) == [2])
    }

    @Test func aFloodOfConnectAndDisconnectLeavesNothingBehind() throws {
        let echo = try EchoServer()
        defer { echo.server.stop(graceMillis: 1000) }
        let steady = try echo.connect()
        for i in 0..<2_000 {
            let client = try echo.connect()
            // Half leave at once, half after a partial frame.
            if i % 2 == 1 { try client.writeAll([0, 0, 0, 9, 1, 2]) }
            client.close()
        }
        try steady.writeAll(EchoServer.framed([42]))
        #expect(try Self.readFrame(steady) == [42], "the other clients are unaffected")
        let deadline = ContinuousClock.now + .seconds(10)
        while echo.server.connectionCount > 1 && ContinuousClock.now < deadline { usleep(1000) }
        #expect(echo.server.connectionCount == 1)
    }

    @Test func noAnswerMeansTheNextRequestIsTaken() throws {
        let echo = try EchoServer(answer: { $0.first == 0 ? nil : $0 })
        defer { echo.server.stop(graceMillis: 1000) }
        let client = try echo.connect()
        try client.writeAll(EchoServer.framed([0]) + EchoServer.framed([5]))
        #expect(try Self.readFrame(client) == [5])
    }

    @Test func stopLetsTheRequestInFlightBeAnswered() throws {
        let echo = try EchoServer(delay: { _ in 300 })
        let client = try echo.connect()
        let idle = try echo.connect()
        try client.writeAll(EchoServer.framed([7]))
        let deadline = ContinuousClock.now + .seconds(5)
        while echo.handled.withLock({ $0 }) == 0 && ContinuousClock.now < deadline { usleep(1000) }
        let stopper = try BackgroundStop(echo.server)
        #expect(try Self.readFrame(client) == [7], "the answer in flight still goes out")
        #expect(try Self.readFrame(idle) == nil, "idle connections are closed")
        stopper.wait()
        #expect(throws: SystemError.self) { _ = try echo.connect().writeAll(EchoServer.framed([1])) ; _ = try Self.readFrame(try echo.connect()) }
    }

    /// Runs `stop` on a thread of its own.
    final class BackgroundStop: Sendable {
        let done = ConditionSignal()
        init(_ server: FramedServer) throws {
            let done = done
            try SystemThread.spawn(name: "stop") {
                server.stop(graceMillis: 5_000)
                done.signal()
            }
        }
        func wait() { done.wait(after: 0, timeoutNanos: 10_000_000_000) }
    }

    static func threadCount() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        for line in status.split(separator: "\n") where line.hasPrefix("Threads:") {
            return Int(line.dropFirst("Threads:".count).trimmingCharacters(in: .whitespaces)) ?? -1
        }
        return -1
    }
}
