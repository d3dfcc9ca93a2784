import Dispatch
import Synchronization

extension LogStore {
    /// Syncs partitions whose `interval` has passed (see `PartitionLog.flushIfDue`). Errors are
    /// logged, not thrown: one failing partition must not stop the others.
    public func flushDuePartitions() {
        for (topic, partition, log) in allPartitions {
            do { try log.flushIfDue() } catch {
                logger.error("flush of \(topic)-\(partition) failed: \(error)")
            }
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
    /// `PartitionLog.close`: the next open scans nothing), on all cores and with one sync for
    /// all: each log writes its indexes, producer snapshot and clean checkpoint unsynced
    /// (`closeWithoutSyncing`), then everything is synced at once, the checkpoints renamed into
    /// place and synced again. Logs untouched since they were opened write nothing. The first
    /// error is thrown after every partition was tried; a log that failed stays unclean on
    /// disk and is recovered at the next open. Waits for a topic change in progress.
    public func close() throws(LogStorageError) {
        maintenance.withLock { timer in
            timer?.source.cancel()
            timer = nil
        }
        try admin.withLock { _ throws(LogStorageError) in
            let partitions = state.withLock { state in
                state.closed = true
                return state.topics.values.flatMap(\.partitions)
            }
            let firstError = Mutex<LogStorageError?>(nil)
            let renames = Mutex<[(from: String, to: String)]>([])
            DispatchQueue.concurrentPerform(iterations: partitions.count) { [self] index in
                let log = partitions[index]
                do throws(LogStorageError) {
                    let pending = try log.closeWithoutSyncing()
                    if !pending.isEmpty { renames.withLock { $0 += pending } }
                } catch {
                    logger.error("closing \(log.directory) failed: \(error)")
                    firstError.withLock { if $0 == nil { $0 = error } }
                }
            }
            let pending = renames.withLock { $0 }
            if !pending.isEmpty {
                try fileSystem.syncAll(dataDirectory)
                for (from, to) in pending { try fileSystem.rename(from, to: to) }
                try fileSystem.syncAll(dataDirectory)
            }
            files.removeAll()
            logger.info("closed \(partitions.count) partitions (\(pending.count / 2) had changed)")
            if let error = firstError.withLock({ $0 }) { throw error }
        }
    }
}
