import SystemIO
import Synchronization

/// A detached OS thread that calls `tick` every `intervalMs` until `stop()` or until `tick`
/// returns false. Runs outside Swift's cooperative pool because heartbeats block on a socket.
///
/// `stop()` only asks: a tick already running finishes first (bounded by its request
/// timeout). Thread-safe.
final class HeartbeatThread: Sendable {
    private let signal = ConditionSignal()
    private let stopped = Mutex(false)

    private init() {}

    /// Starts the thread; the first tick comes after one interval.
    static func start(intervalMs: Int, tick: @escaping @Sendable () -> Bool) throws(KafkaClientError) -> HeartbeatThread {
        let thread = HeartbeatThread()
        let interval = UInt64(max(1, intervalMs)) * 1_000_000
        do {
            try SystemThread.spawn(name: "kafka-consumer-heartbeat") {
                var seen = thread.signal.generation
                while true {
                    seen = thread.signal.wait(after: seen, timeoutNanos: interval)
                    if thread.stopped.withLock({ $0 }) || !tick() { return }
                }
            }
        } catch {
            throw .connection(address: "heartbeat thread", reason: "cannot start: \(error)")
        }
        return thread
    }

    /// Ends the loop (idempotent).
    func stop() {
        stopped.withLock { $0 = true }
        signal.signal()
    }
}
