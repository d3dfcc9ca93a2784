import Net
import SystemIO

/// Writes one Server-Sent Events stream to its connection; given to an `HTTPEventStream`'s
/// producer.
///
/// The stream ends — `isOpen` becomes false and every later call returns false at once — when
/// a write fails (the client is gone), when the client closes its side (seen while waiting),
/// or when the server stops. `wait(milliseconds:)` is the producer's only blocking call: it
/// watches the socket, so a client that hangs up or a server that stops ends the wait at once,
/// and it sends a `: ping` comment whenever nothing was written for the ping interval, so a
/// dead peer is found by the next failed write and proxies keep the connection.
///
/// Not thread-safe: use it only on the thread that runs the producer (the connection's own).
public final class HTTPEventStreamWriter {
    private let connection: TCPConnection
    private let pingNanos: UInt64
    private let isStopping: @Sendable () -> Bool
    private let clock = SystemTimeSource()
    private var lastWriteNanos: UInt64
    private var open = true

    /// A writer on `connection` that pings after `pingMillis` of silence and ends when
    /// `isStopping` turns true.
    init(connection: TCPConnection, pingMillis: Int, isStopping: @escaping @Sendable () -> Bool) {
        self.connection = connection
        self.pingNanos = UInt64(max(pingMillis, 1)) * 1_000_000
        self.isStopping = isStopping
        self.lastWriteNanos = clock.monotonicNanos()
    }

    /// Whether the stream can still be written (client connected, server running).
    public var isOpen: Bool {
        if open && isStopping() { open = false }
        return open
    }

    /// Sends one event; false when the stream has ended (the event was not delivered).
    @discardableResult
    public func send(_ event: ServerSentEvent) -> Bool {
        write(event.encoded)
    }

    /// Sends a comment line (`: text`), ignored by clients; false when the stream has ended.
    @discardableResult
    public func comment(_ text: String) -> Bool {
        write(ServerSentEvent.comment(text))
    }

    /// Waits `milliseconds` (sending keep-alive pings as due); returns false as soon as the
    /// stream ends (client gone, server stopping), true when the time passed with the stream open.
    public func wait(milliseconds: Int) -> Bool {
        let deadline = clock.monotonicNanos() + UInt64(max(milliseconds, 0)) * 1_000_000
        while isOpen {
            let now = clock.monotonicNanos()
            if now >= lastWriteNanos + pingNanos, !comment("ping") { return false }
            if now >= deadline { return true }
            // Wake for the deadline, the next ping, or at least once a second to see a stop.
            let nextPing = lastWriteNanos + pingNanos
            let sliceNanos = min(deadline - now, nextPing > now ? nextPing - now : 0, 1_000_000_000)
            if !connection.waitWhilePeerIsSilent(timeoutMillis: Int32((sliceNanos + 999_999) / 1_000_000)) { open = false }
        }
        return false
    }

    private func write(_ text: String) -> Bool {
        guard isOpen else { return false }
        do {
            try connection.writeAll(Array(text.utf8))
            lastWriteNanos = clock.monotonicNanos()
            return true
        } catch {
            open = false
            return false
        }
    }
}
