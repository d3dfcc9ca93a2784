import Broker
import SystemIO

/// Follows one request through the server for `RequestMetrics`: the API key and version read
/// from the frame's first four bytes, and the monotonic times of its phases, filled in as the
/// request moves from the network loop to a handler, maybe through the purgatory, and back to
/// the connection. Recorded once, in one lock acquisition, when the answer is written (or the
/// connection closes); nothing is recorded for a request whose frame is too short to name its
/// API (it closes its connection: counted as `api="unknown"`). A value type; `Sendable`.
struct RequestTimer: Sendable {
    let metrics: RequestMetrics
    /// The API key as read from the frame, nil when the frame is shorter than 4 bytes.
    let apiKey: Int16?
    let version: Int16
    private var timing: RequestTiming

    static func now() -> UInt64 { SystemTimeSource().monotonicNanos() }

    /// A request whose frame arrived at `received` and whose handler starts now.
    init(metrics: RequestMetrics, frame: [UInt8], received: UInt64) {
        self.metrics = metrics
        if frame.count >= 4 {
            apiKey = Int16(bitPattern: UInt16(frame[0]) << 8 | UInt16(frame[1]))
            version = Int16(bitPattern: UInt16(frame[2]) << 8 | UInt16(frame[3]))
        } else {
            apiKey = nil
            version = 0
        }
        let started = Self.now()
        timing = RequestTiming(received: received, started: started, handled: started, ready: started, written: started)
    }

    /// The handler returned (the answer is ready now, unless it waits in the purgatory).
    mutating func markHandled() {
        timing.handled = Self.now()
        timing.ready = timing.handled
    }

    /// The answer of a request that waited is ready.
    mutating func markReady() {
        timing.ready = Self.now()
    }

    /// The answer is written (or its connection closed while writing): records every phase.
    func written() {
        guard let apiKey else { return }
        var done = timing
        done.written = Self.now()
        metrics.record(apiKey: apiKey, version: version, timing: done)
    }

    /// The request closed its connection instead of being answered.
    func closed() {
        metrics.recordClosed(apiKey: apiKey)
    }
}
