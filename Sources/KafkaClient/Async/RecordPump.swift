import SystemIO
import Synchronization

/// The engine behind ``ConsumerRecords`` and ``ShareRecords``: one dedicated OS thread per
/// iteration calls a blocking `poll` and hands the records to the awaiting iterator through a
/// bounded buffer.
///
/// Invariants:
/// - At most one poll thread per pump, started by the first `next()`; it exits once the
///   iteration ends (stop requested, poll error, or the iterator dropped), after running the
///   `finish` hook exactly once.
/// - The buffer never holds more than `capacity` records: the thread waits while it is full
///   (it keeps at most the rest of one poll's result in hand meanwhile). `highWaterMark` is the
///   most it ever held.
/// - With `pollWhenDrained` the thread polls only when the buffer is empty and the iterator is
///   waiting for a record, so every record of a poll was received (and the loop asked for more)
///   before the next poll — what a share consumer's implicit acknowledgement needs.
/// - Once a stop is requested or the poll failed, no more records are handed out; records still
///   buffered (and the rest of the last poll) go to `finish` as `unreceived`.
/// - `received` holds, per partition, the offset after the last record handed to the iterator.
///
/// Thread-safety: `Sendable`; the state sits behind one mutex, never held while polling,
/// committing or resuming a continuation.
final class RecordPump<Record: Sendable>: Sendable {
    /// What the poll thread does; every closure runs on the poll thread except `interrupt`.
    struct Hooks: Sendable {
        /// The blocking poll (e.g. `KafkaConsumer.poll(timeoutMs:)`).
        let poll: @Sendable () throws(KafkaClientError) -> [Record]
        /// Asks a running poll to return early (from any thread); may do nothing.
        let interrupt: @Sendable () -> Void
        /// Where a record sits: its partition and offset.
        let locate: @Sendable (Record) -> (TopicPartition, Int64)
        /// Runs once at the end: the next offsets received per partition, the records polled
        /// but never handed out, and the poll error that ended the iteration (nil for a stop).
        /// Returns an error to report to a waiting iterator (e.g. a failed commit), or nil.
        let finish: @Sendable (_ received: [TopicPartition: Int64], _ unreceived: [Record], _ failure: KafkaClientError?) -> KafkaClientError?
    }

    /// What a waiting `next()` gets.
    enum Delivery: Sendable {
        case record(Record)
        case end(KafkaClientError?)
    }

    /// What `next()` does after looking at the state.
    private enum Step {
        case resume(Delivery)
        case wait
        case start
    }

    /// What happened to the records in the poll thread's hand.
    private enum Handover {
        case stop
        case full
        case moved(CheckedContinuation<Delivery, Never>?, Record?)
    }

    private struct State {
        var buffer: [Record] = []
        var head = 0
        var highWaterMark = 0
        var waiter: CheckedContinuation<Delivery, Never>?
        var endWaiters: [CheckedContinuation<Void, Never>] = []
        var iterators = 0
        var started = false
        var stopping = false
        /// nil while running; `.some(error)` once ended (error delivered at most once).
        var ended: KafkaClientError?? = nil
        var endDelivered = false
        var received: [TopicPartition: Int64] = [:]

        var count: Int { buffer.count - head }

        mutating func pop() -> Record? {
            guard head < buffer.count else { return nil }
            let record = buffer[head]
            head += 1
            if head == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                head = 0
            }
            return record
        }

        mutating func drain() -> [Record] {
            defer {
                buffer.removeAll()
                head = 0
            }
            return Array(buffer[head...])
        }
    }

    /// The most records the buffer holds.
    let capacity: Int
    /// See the type's invariants.
    let pollWhenDrained: Bool
    private let hooks: Hooks
    private let state = Mutex(State())
    /// Wakes the poll thread: space freed, demand arrived, stop requested.
    private let wake = ConditionSignal()

    /// A pump that has not started its thread yet.
    init(capacity: Int, pollWhenDrained: Bool, hooks: Hooks) {
        self.capacity = max(1, capacity)
        self.pollWhenDrained = pollWhenDrained
        self.hooks = hooks
    }

    /// The most records the buffer ever held (a gauge for tests).
    var highWaterMark: Int { state.withLock { $0.highWaterMark } }

    /// Records in the buffer now.
    var buffered: Int { state.withLock { $0.count } }

    /// Registers an iterator; false for every one after the first (a pump serves one iteration).
    func claimIterator() -> Bool {
        state.withLock { state in
            state.iterators += 1
            return state.iterators == 1
        }
    }

    /// The next record, or nil once the iteration ended; throws the error that ended it (once).
    /// Cancelling the awaiting task stops the iteration: the wait lasts until the poll thread
    /// has finished (its current poll returned and `finish` ran), then returns nil — or throws
    /// the error `finish` reported.
    ///
    /// `owner` is the iterator's claim (``claimIterator()``): a second iterator of one sequence
    /// gets `invalidArgument`.
    func next(owner: Bool) async throws(KafkaClientError) -> Record? {
        guard owner else {
            throw .invalidArgument("a record sequence can be iterated once; ask the consumer for a new one")
        }
        if Task.isCancelled { stop() }
        let delivery = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Delivery, Never>) in
                let step = state.withLock { state -> Step in
                    if !state.stopping, let record = state.pop() {
                        note(record, in: &state)
                        return .resume(.record(record))
                    }
                    if let ended = state.ended {
                        defer { state.endDelivered = true }
                        return .resume(.end(state.endDelivered ? nil : ended))
                    }
                    if !state.started && state.stopping {
                        // Stopped before anything was polled: nothing to finish.
                        state.ended = .some(nil)
                        state.endDelivered = true
                        return .resume(.end(nil))
                    }
                    state.waiter = continuation
                    if !state.started {
                        state.started = true
                        return .start
                    }
                    return .wait
                }
                switch step {
                case .resume(let delivery):
                    wake.signal()
                    continuation.resume(returning: delivery)
                case .wait:
                    wake.signal()
                case .start:
                    startThread()
                }
            }
        } onCancel: {
            stop()
        }
        switch delivery {
        case .record(let record): return record
        case .end(nil): return nil
        case .end(.some(let error)): throw error
        }
    }

    /// Ends the iteration (idempotent, from any thread): the poll thread stops after its
    /// current poll, hands nothing more out and runs `finish`.
    func stop() {
        let interrupt = state.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.stopping = true
            return state.started
        }
        wake.signal()
        if interrupt { hooks.interrupt() }
    }

    /// Waits until the iteration has ended (at once if it never started).
    func waitForEnd() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.ended != nil || !state.started { return true }
                state.endWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    // MARK: the poll thread

    private func note(_ record: Record, in state: inout State) {
        let (partition, offset) = hooks.locate(record)
        state.received[partition] = max(state.received[partition] ?? 0, offset + 1)
    }

    private func startThread() {
        PollThreadGauge.live.wrappingAdd(1, ordering: .sequentiallyConsistent)
        do {
            try SystemThread.spawn(name: "kafka-record-pump") { [self] in run() }
        } catch {
            // Nothing was polled, so there is nothing to finish (and no I/O on the caller's thread).
            end(unreceived: [], failure: .invalidArgument("cannot start the poll thread of a record sequence: \(error)"), finishing: false)
        }
    }

    /// Waits until `ready` holds for the state or a stop is requested; returns false on a stop.
    private func waitUntil(_ ready: (State) -> Bool) -> Bool {
        while true {
            let seen = wake.generation
            let (stopping, isReady) = state.withLock { state in (state.stopping, ready(state)) }
            if stopping { return false }
            if isReady { return true }
            wake.wait(after: seen, timeoutNanos: 1_000_000_000)
        }
    }

    private func run() {
        var inHand: [Record] = []
        var leftover: [Record] = []
        var failure: KafkaClientError?
        polling: while true {
            let ready = waitUntil { [capacity, pollWhenDrained] state in
                pollWhenDrained ? state.count == 0 && state.waiter != nil : state.count < capacity
            }
            guard ready else { break }
            do throws(KafkaClientError) {
                inHand = try hooks.poll()
            } catch {
                failure = error
                break
            }
            var index = 0
            while index < inHand.count {
                let seen = wake.generation
                let handover = state.withLock { state -> Handover in
                    if state.stopping { return .stop }
                    let room = capacity - state.count
                    guard room > 0 else { return .full }
                    let end = min(inHand.count, index + room)
                    state.buffer.append(contentsOf: inHand[index..<end])
                    index = end
                    state.highWaterMark = max(state.highWaterMark, state.count)
                    guard let waiter = state.waiter, let first = state.pop() else { return .moved(nil, nil) }
                    state.waiter = nil
                    note(first, in: &state)
                    return .moved(waiter, first)
                }
                switch handover {
                case .stop:
                    leftover = Array(inHand[index...])
                    break polling
                case .full:
                    wake.wait(after: seen, timeoutNanos: 1_000_000_000)
                case .moved(let waiter, let first):
                    if let waiter, let first { waiter.resume(returning: .record(first)) }
                }
            }
            inHand = []
        }
        end(unreceived: leftover, failure: failure)
    }

    /// Runs `finish` (unless `finishing` is false) and reports the end to the waiting iterator
    /// and to `waitForEnd` callers.
    private func end(unreceived polled: [Record], failure: KafkaClientError?, finishing: Bool = true) {
        let (received, buffered) = state.withLock { state in
            state.stopping = true
            return (state.received, state.drain())
        }
        let reported = finishing ? hooks.finish(received, buffered + polled, failure) : nil
        let (waiter, endWaiters) = state.withLock { state in
            let outcome = failure ?? reported
            state.ended = .some(outcome)
            var waiter: CheckedContinuation<Delivery, Never>?
            if let pending = state.waiter {
                waiter = pending
                state.waiter = nil
                state.endDelivered = true
            }
            defer { state.endWaiters = [] }
            return (waiter.map { ($0, outcome) }, state.endWaiters)
        }
        PollThreadGauge.live.wrappingSubtract(1, ordering: .sequentiallyConsistent)
        if let (continuation, outcome) = waiter { continuation.resume(returning: .end(outcome)) }
        for continuation in endWaiters { continuation.resume() }
    }
}
