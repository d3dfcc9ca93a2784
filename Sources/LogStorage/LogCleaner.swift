public import SystemIO
import Synchronization

/// The log cleaner's settings (Kafka's `log.cleaner.*` broker configs), read again before every
/// pass so run-time changes apply at once.
public struct CleanerSettings: Sendable, Equatable {
    /// `log.cleaner.enable`.
    public var enabled: Bool
    /// `log.cleaner.dedupe.buffer.size`: memory for one pass's key map.
    public var offsetMapBytes: Int
    /// `log.cleaner.io.max.bytes.per.second` (reads plus writes).
    public var ioBytesPerSecond: Double
    /// `log.cleaner.backoff.ms`: the pause after a pass that found nothing to do.
    public var backoffMillis: Int64

    public init(enabled: Bool = true, offsetMapBytes: Int = 128 << 20, ioBytesPerSecond: Double = .infinity, backoffMillis: Int64 = 15_000) {
        self.enabled = enabled
        self.offsetMapBytes = offsetMapBytes
        self.ioBytesPerSecond = ioBytesPerSecond
        self.backoffMillis = backoffMillis
    }
}

/// The background log cleaner: one thread that, pass after pass, rolls idle active segments of
/// compacted partitions (`segment.ms`), removes retired segment files once due
/// (`file.delete.delay.ms`), and compacts the dirtiest partition that is due
/// (`PartitionLog.compact`), with its I/O throttled so other partitions' producers keep their
/// latency. After a pass with nothing to compact it waits `backoffMillis` (or until stopped).
///
/// `runOnce()` is the whole of a pass, for tests that drive it without the thread.
/// Thread-safe.
public final class LogCleaner: Sendable {
    private let store: LogStore
    private let settings: @Sendable () -> CleanerSettings
    private let logger: Logger
    private let wake = ConditionSignal()
    private let state = Mutex((running: false, stopping: false))
    private let finished = ConditionSignal()

    public init(store: LogStore, logger: Logger = Logger(component: "cleaner"), settings: @escaping @Sendable () -> CleanerSettings) {
        self.store = store
        self.settings = settings
        self.logger = logger
    }

    /// What one pass did.
    public struct PassResult: Sendable, Equatable {
        public var rolled = 0
        public var retiredFilesRemoved = 0
        /// The partition compacted, if any.
        public var compacted: String?
        public var summary: CompactionSummary?
    }

    /// One pass (see the type's documentation). `pause` is given throttle waits and returns
    /// false to stop early.
    @discardableResult
    public func runOnce(pause: @escaping (UInt64) -> Bool = { _ in true }) -> PassResult {
        var result = PassResult()
        let settings = settings()
        var best: (log: PartitionLog, name: String, candidate: CompactionCandidate)?
        for (topic, partition, log) in store.compactableLogs {
            do {
                result.retiredFilesRemoved += try log.removeRetiredFiles()
                guard settings.enabled, log.config.cleanupPolicy.compacts else { continue }
                if try log.rollIfIdle() { result.rolled += 1 }
                guard let candidate = try log.compactionCandidate(), candidate.isDue else { continue }
                // The dirtiest log first; one whose max compaction lag passed before the others.
                if let current = best?.candidate,
                   (current.mustClean && !candidate.mustClean) || (current.mustClean == candidate.mustClean && current.dirtyRatio >= candidate.dirtyRatio) {
                    continue
                }
                best = (log, "\(topic)-\(partition)", candidate)
            } catch {
                logger.error("cleaner: \(topic)-\(partition): \(error)")
            }
        }
        guard let best else { return result }
        let throttle = settings.ioBytesPerSecond.isFinite ? IOThrottle(bytesPerSecond: settings.ioBytesPerSecond, time: SystemTimeSource()) : nil
        do {
            result.summary = try best.log.compact(offsetMapBytes: settings.offsetMapBytes, throttle: throttle, pause: pause)
            result.compacted = best.name
        } catch {
            logger.error("cleaner: compacting \(best.name) failed; its segments stay as they were: \(error)")
        }
        return result
    }

    /// Starts the cleaner thread (idempotent).
    public func start() throws(SystemError) {
        let start = state.withLock { state -> Bool in
            guard !state.running else { return false }
            state.running = true
            state.stopping = false
            return true
        }
        guard start else { return }
        try SystemThread.spawn(name: "kaffee-cleaner") { [self] in
            while !isStopping {
                let pass = runOnce { [self] nanos in
                    wake.wait(after: wake.generation, timeoutNanos: nanos)
                    return !isStopping
                }
                if pass.compacted == nil {
                    let backoff = UInt64(max(0, settings().backoffMillis)) * 1_000_000
                    let seen = wake.generation
                    if !isStopping { wake.wait(after: seen, timeoutNanos: max(backoff, 1_000_000)) }
                }
            }
            state.withLock { $0.running = false }
            finished.signal()
        }
    }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    /// Stops the thread, interrupting a throttled compaction (whose unswapped work is discarded),
    /// and waits for it to finish.
    public func stop() {
        let seen = finished.generation
        let running = state.withLock { state -> Bool in
            state.stopping = true
            return state.running
        }
        wake.signal()
        guard running else { return }
        var generation = seen
        while state.withLock({ $0.running }) {
            generation = finished.wait(after: generation, timeoutNanos: 100_000_000)
        }
    }
}
