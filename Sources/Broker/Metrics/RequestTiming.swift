/// When one request passed each point of its life, in monotonic nanoseconds (the server's
/// clock): its frame fully received, a handler starting on it, the handler returning, its
/// answer ready (later than `handled` only when it waited in the purgatory), and the last byte
/// of the answer handed to the kernel. Invariant the server keeps: the five are non-decreasing
/// (`RequestMetrics` clamps differences at 0 anyway).
public struct RequestTiming: Sendable, Equatable {
    public var received: UInt64
    public var started: UInt64
    public var handled: UInt64
    public var ready: UInt64
    public var written: UInt64

    public init(received: UInt64, started: UInt64, handled: UInt64, ready: UInt64, written: UInt64) {
        self.received = received
        self.started = started
        self.handled = handled
        self.ready = ready
        self.written = written
    }

    /// Frame received → handler starts (waiting for a handler thread).
    public var queueNanos: UInt64 { started > received ? started - received : 0 }
    /// Handler starts → handler returns (the request's own work).
    public var localNanos: UInt64 { handled > started ? handled - started : 0 }
    /// Handler returns → answer ready (waiting in the purgatory; 0 for requests that did not wait).
    public var purgatoryNanos: UInt64 { ready > handled ? ready - handled : 0 }
    /// Answer ready → fully written to the socket.
    public var sendNanos: UInt64 { written > ready ? written - ready : 0 }
    /// Frame received → answer fully written.
    public var totalNanos: UInt64 { written > received ? written - received : 0 }
}
