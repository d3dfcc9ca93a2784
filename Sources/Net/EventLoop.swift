internal import CEpoll
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
internal import SystemIO
import Synchronization

/// Something registered with an `EventLoop`: told which readiness events its descriptor got.
/// Called on the loop's thread only.
protocol EventSource: AnyObject {
    func handle(events: UInt32)
}

/// One epoll loop on its own thread: waits for readiness on registered descriptors and calls
/// their `EventSource`, and runs tasks other threads hand it with `execute` (woken through an
/// eventfd). Everything registered with a loop is touched only on that loop's thread, which is
/// what lets a connection's state go without locks.
///
/// Linux-only: epoll and eventfd come from CEpoll. A macOS port replaces this type's insides
/// with kqueue (EVFILT_READ/EVFILT_WRITE for readiness, EVFILT_USER for the wake-up) and keeps
/// its interface, so nothing outside Net changes.
///
/// Level-triggered: a source that leaves data unread is called again. Thread-safety: `execute`
/// and `stop` from any thread; `register`/`modify`/`unregister` on the loop thread only.
final class EventLoop: @unchecked Sendable {
    static let readable = EPOLLIN.rawValue
    static let writable = EPOLLOUT.rawValue
    static let hangUp = EPOLLHUP.rawValue | EPOLLERR.rawValue | EPOLLRDHUP.rawValue

    private let epoll: Int32
    private let wake: Int32
    private let logger: Logger
    private let tasks = Mutex<[@Sendable () -> Void]>([])
    private let state = Mutex((running: false, stopping: false))
    private let finished = ConditionSignal()
    /// Loop thread only.
    private var sources: [Int32: any EventSource] = [:]
    /// Where connections of this loop read into (loop thread only): one buffer for all of
    /// them, so an idle connection costs no read buffer.
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)

    init(logger: Logger) throws(SystemError) {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw SystemError(code: errno, operation: "epoll_create1") }
        wake = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wake >= 0 else {
            let error = SystemError(code: errno, operation: "eventfd")
            Glibc.close(epoll)
            throw error
        }
        self.logger = logger
        var event = epoll_event()
        event.events = Self.readable
        event.data.fd = wake
        epoll_ctl(epoll, EPOLL_CTL_ADD, wake, &event)
    }

    deinit {
        Glibc.close(wake)
        Glibc.close(epoll)
        scratch.deallocate()
    }

    /// The loop's read buffer (loop thread only).
    func withScratch<T>(_ body: (UnsafeMutableRawBufferPointer) -> T) -> T { body(scratch) }

    /// Starts the loop's thread.
    func start(name: String) throws(SystemError) {
        state.withLock { $0.running = true }
        try SystemThread.spawn(name: name) { [self] in run() }
    }

    /// Runs `task` on the loop thread soon (in order with other tasks). Thread-safe.
    func execute(_ task: @escaping @Sendable () -> Void) {
        let first = tasks.withLock { tasks -> Bool in
            tasks.append(task)
            return tasks.count == 1
        }
        if first {
            var one: UInt64 = 1
            _ = Glibc.write(wake, &one, 8)
        }
    }

    /// Ends the loop after the tasks already queued, and waits for its thread. Thread-safe.
    func stop() {
        let running = state.withLock { state -> Bool in
            state.stopping = true
            return state.running
        }
        execute {}
        var generation = finished.generation
        while running && state.withLock({ $0.running }) {
            generation = finished.wait(after: generation, timeoutNanos: 100_000_000)
        }
    }

    // MARK: loop thread

    func register(_ source: any EventSource, descriptor: Int32, events: UInt32) {
        sources[descriptor] = source
        var event = epoll_event()
        event.events = events
        event.data.fd = descriptor
        if epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) != 0 {
            logger.error("epoll_ctl ADD \(descriptor): \(SystemError(code: errno, operation: "epoll_ctl"))")
        }
    }

    func modify(descriptor: Int32, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = descriptor
        epoll_ctl(epoll, EPOLL_CTL_MOD, descriptor, &event)
    }

    /// Forgets a descriptor (call before closing it).
    func unregister(descriptor: Int32) {
        sources[descriptor] = nil
        epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, nil)
    }

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        while !state.withLock({ $0.stopping }) {
            let count = events.withUnsafeMutableBufferPointer { buffer in
                epoll_wait(epoll, buffer.baseAddress, Int32(buffer.count), -1)
            }
            if count < 0 {
                if errno == EINTR { continue }
                logger.error("epoll_wait: \(SystemError(code: errno, operation: "epoll_wait"))")
                break
            }
            for index in 0..<Int(count) {
                let descriptor = events[index].data.fd
                if descriptor == wake {
                    var value: UInt64 = 0
                    _ = Glibc.read(wake, &value, 8)
                    continue
                }
                // A source may have been unregistered by an earlier event of this round.
                sources[descriptor]?.handle(events: events[index].events)
            }
            runTasks()
        }
        runTasks()
        sources.removeAll()
        state.withLock { $0.running = false }
        finished.signal()
    }

    private func runTasks() {
        while true {
            let batch = tasks.withLock { tasks -> [@Sendable () -> Void] in
                defer { tasks.removeAll(keepingCapacity: true) }
                return tasks
            }
            if batch.isEmpty { return }
            for task in batch { task() }
        }
    }
}
