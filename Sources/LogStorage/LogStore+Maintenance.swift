import Dispatch
import Synchronization

extension LogStore {
    /// Syncs partitions whose `interval` has passed (see `PartitionLog.flushIfDue`), among
    /// those with appends not synced yet (`PendingFlushes`): the others cost nothing. Errors
    /// are logged, not thrown: one failing partition must not stop the others.
    public func flushDuePartitions() {
        for log in pendingFlushes.snapshot {
            do { try log.flushIfDue() } catch {
                logger.error("flush of \(log.directory) failed: \(error)")
            }
            log.forgetIfSynced()
        }
    }

    /// Applies retention to every partition; returns the number of segments deleted.
    @discardableResult
    public func applyRetention() -> Int {
        var deleted = 0
        for (topic, partition, log) in allPartitions {
            do { deleted += try log.applyRetention() } catch {
                logger.error("retention of \(topic)-\(partition) failed: \(error)")
            }
        }
        return deleted
    }

    /// Starts a background timer that runs `flushDuePartitions` every `flushTickMillis` and
    /// `applyRetention` every `retentionCheckMillis`. Stopped by `close()`.
    public func startMaintenance(flushTickMillis: Int = 10, retentionCheckMillis: Int = 300_000) {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "kaffee.log-maintenance"))
        let ticksPerRetention = max(1, retentionCheckMillis / max(1, flushTickMillis))
        let counter = Mutex(0)
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            self.flushDuePartitions()
            let due = counter.withLock { count -> Bool in
                count += 1
                if count >= ticksPerRetention { count = 0; return true }
                return false
            }
            if due { self.applyRetention() }
        }
        timer.schedule(deadline: .now() + .milliseconds(flushTickMillis), repeating: .milliseconds(flushTickMillis))
        timer.resume()
        let box = MaintenanceTimer(timer)
        maintenance.withLock { current in
            current?.source.cancel()
            current = box
        }
    }

    /// Stops maintenance and closes every partition cleanly (the guarantee of
    /// `PartitionLog.close`: the next open scans nothing), on all cores and with two syncs for
    /// all: each log writes what it must unsynced (`prepareClose`), everything is synced at
    /// once, the clean checkpoints are written in place (`finishClose`) and synced at once.
    /// Logs untouched since they were opened write nothing. The first error is thrown after
    /// every partition was tried; a log that failed stays unclean on disk and is recovered at
    /// the next open. Waits for a topic change in progress.
    public func close() throws(LogStorageError) {
        maintenance.withLock { timer in
            timer?.source.cancel()
            timer = nil
        }
        try admin.withLock { _ throws(LogStorageError) in
            var phases: [UInt64] = [time.monotonicNanos()]
            let partitions = state.withLock { state in
                state.closed = true
                return state.topics.values.flatMap(\.partitions)
            }
            let firstError = Mutex<LogStorageError?>(nil)
            @Sendable func record(_ error: LogStorageError, _ log: PartitionLog) {
                logger.error("closing \(log.directory) failed: \(error)")
                firstError.withLock { if $0 == nil { $0 = error } }
            }
            let changed = Mutex<[PartitionLog]>([])
            DispatchQueue.concurrentPerform(iterations: partitions.count) { index in
                let log = partitions[index]
                do throws(LogStorageError) {
                    if try log.prepareClose() { changed.withLock { $0.append(log) } }
                } catch {
                    record(error, log)
                }
            }
            let pending = changed.withLock { $0 }
            phases.append(time.monotonicNanos())
            if !pending.isEmpty {
                try fileSystem.syncAll(dataDirectory)
                phases.append(time.monotonicNanos())
                DispatchQueue.concurrentPerform(iterations: pending.count) { index in
                    do throws(LogStorageError) { try pending[index].finishClose() } catch { record(error, pending[index]) }
                }
                phases.append(time.monotonicNanos())
                try fileSystem.syncAll(dataDirectory)
                phases.append(time.monotonicNanos())
            }
            files.removeAll()
            let millis = zip(phases.dropFirst(), phases).map { ($0 - $1) / 1_000_000 }
            let steps = zip(["writes", "sync", "checkpoints", "sync"], millis).map { "\($0) \($1)" }.joined(separator: ", ")
            logger.info("closed \(partitions.count) partitions (\(pending.count) had changed) in \(millis.reduce(0, +)) ms: \(steps)")
            if let error = firstError.withLock({ $0 }) { throw error }
        }
    }
}
