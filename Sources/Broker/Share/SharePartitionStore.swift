import SystemIO
import Synchronization

/// The live share partitions of the broker and their durable state: what ShareFetch,
/// ShareAcknowledge and the share-group admin APIs call. Every change of stored state
/// (acquisition, acknowledgement, release, lock expiry, reset) is written to the
/// `ShareStateLog` and synced *before* it takes effect in memory and before the call returns,
/// so an accepted record is never delivered again after a crash and an acquired one keeps its
/// delivery count. A renew changes only the lock (not stored) and writes nothing.
///
/// Thread-safety: `partitions` (the map) is guarded by its own mutex, held only to find or
/// insert an entry; each partition has its own mutex, held across its log write, so changes
/// of one partition are serialised while different partitions proceed in parallel. Lock
/// order: map, then at most one partition; never the reverse.
final class SharePartitionStore: Sendable {
    private final class Entry: Sendable {
        let partition: Mutex<SharePartition>
        init(_ partition: SharePartition) { self.partition = Mutex(partition) }
    }

    private let log: ShareStateLog
    private let time: any TimeSource
    private let partitions = Mutex<[SharePartitionKey: Entry]>([:])

    init(log: ShareStateLog, time: any TimeSource) {
        self.log = log
        self.time = time
    }

    /// Loads every stored partition (replacing what is in memory), with the settings
    /// `settings` gives for it. Records that cannot be decoded are skipped and reported.
    func recover(settings: (SharePartitionKey) -> ShareGroupSettings, skipped: (Int64) -> Void = { _ in }) throws {
        let stored = try log.load(skipped: skipped)
        var entries: [SharePartitionKey: Entry] = [:]
        for (key, state) in stored { entries[key] = Entry(state.restore(settings: settings(key))) }
        partitions.withLock { $0 = entries }
    }

    /// The partition of `key`, creating it at `startOffset` (see
    /// `ShareAutoOffsetReset.initialStartOffset`) and storing that SPSO durably if it has no
    /// state yet — so a `latest` start is not moved by a restart. Returns a copy of its state.
    func initialize(_ key: SharePartitionKey, settings: ShareGroupSettings, startOffset: Int64) throws(ShareError) -> SharePartition {
        guard ShareStateRecord.canEncode(key) else { throw .invalidRequest }
        if let existing = partition(key) { return existing }
        let entry = partitions.withLock { map in
            if let existing = map[key] { return (entry: existing, created: false) }
            let created = Entry(SharePartition(settings: settings, startOffset: startOffset))
            map[key] = created
            return (entry: created, created: true)
        }
        let (state, error) = entry.entry.partition.withLock { partition -> (SharePartition, ShareError) in
            guard entry.created else { return (partition, .none) }
            return (partition, store(key, partition))
        }
        if error != .none {
            _ = partitions.withLock { $0.removeValue(forKey: key) }
            throw error
        }
        return state
    }

    /// A copy of the partition's state (describe, lag), or nil if it has none.
    func partition(_ key: SharePartitionKey) -> SharePartition? {
        partitions.withLock { $0[key] }?.partition.withLock { $0 }
    }

    /// The partitions with state.
    var keys: [SharePartitionKey] { partitions.withLock { Array($0.keys) } }

    /// `SharePartition.acquire` on the stored partition, under `settings` (the group's settings
    /// now, adopted first; nil keeps the partition's); `.invalidRecordState` if it has no
    /// state (call `initialize` first), `.kafkaStorageError` if the change could not be
    /// stored (then nothing was acquired).
    func acquire(_ key: SharePartitionKey, memberId: String, fetched: [ClosedRange<Int64>], maxRecords: Int,
                 mode: ShareAcquireMode, settings: ShareGroupSettings? = nil) throws(ShareError) -> [ShareAcquiredRecords] {
        let now = time.wallMillis()
        guard let (acquired, error) = change(key, { partition in
            if let settings { partition.adopt(settings) }
            return partition.acquire(memberId: memberId, fetched: fetched, maxRecords: maxRecords, mode: mode, now: now)
        })
        else { throw .invalidRecordState }
        guard error == .none else { throw error }
        return acquired
    }

    /// `SharePartition.acknowledge` on the stored partition, durable before it returns. If the
    /// change cannot be stored, nothing changes and every batch that would have been applied
    /// answers `.kafkaStorageError`. A partition with no state answers `.invalidRecordState`.
    /// `settings` (the group's settings now; nil keeps the partition's) are adopted first, so a
    /// renew locks for the current `share.record.lock.duration.ms`.
    func acknowledge(_ key: SharePartitionKey, memberId: String, batches: [ShareAckBatch], settings: ShareGroupSettings? = nil) -> [ShareError] {
        let now = time.wallMillis()
        guard let (results, error) = change(key, { partition in
            if let settings { partition.adopt(settings) }
            return partition.acknowledge(memberId: memberId, batches: batches, now: now)
        }) else {
            return Array(repeating: .invalidRecordState, count: batches.count)
        }
        guard error == .none else { return results.map { $0 == .none ? error : $0 } }
        return results
    }

    /// Releases expired locks in every partition (call when `earliestLockDeadline` passes).
    /// A partition whose change cannot be stored keeps its locks until the next call.
    func expireLocks() {
        let now = time.wallMillis()
        for entry in partitions.withLock({ Array($0) }) {
            _ = change(entry.key) { $0.expireLocks(now: now) }
        }
    }

    /// Releases what `memberId` holds in every partition of `group` (the member left or closed
    /// its share session), or only in `only`. Returns whether every change was stored.
    @discardableResult
    func releaseAll(group: String, memberId: String, only: Set<SharePartitionKey>? = nil) -> Bool {
        var stored = true
        for key in keys where key.group == group && only.map({ $0.contains(key) }) ?? true {
            if let (_, error) = change(key, { $0.releaseAll(memberId: memberId) }), error != .none { stored = false }
        }
        return stored
    }

    /// Starts `key` again at `startOffset` with the next state epoch (AlterShareGroupOffsets).
    func reset(_ key: SharePartitionKey, startOffset: Int64) throws(ShareError) {
        guard let (_, error) = change(key, { $0.reset(startOffset: startOffset) }) else { throw .invalidRecordState }
        guard error == .none else { throw error }
    }

    /// Forgets the partitions `keys` durably (tombstones), e.g. when their group or topic is deleted.
    func delete(_ keys: [SharePartitionKey]) throws(ShareError) {
        do {
            try log.remove(keys, timestamp: time.wallMillis())
        } catch {
            throw .kafkaStorageError
        }
        partitions.withLock { map in for key in keys { map[key] = nil } }
    }

    /// Closes the log cleanly.
    func close() throws {
        try log.close()
    }

    /// Runs `body` on a copy of the partition under its lock; appends the copy to the state log
    /// if its stored state differs, then keeps it (or drops it when the append failed). The
    /// fsync the append owes runs after the partition lock is released and before this
    /// returns, so changes of concurrent requests (other partitions, other members) share one
    /// fsync and no caller answers before its change is durable. A change whose append
    /// succeeded but whose sync failed stays in memory (the log is failing; the caller answers
    /// `.kafkaStorageError`, and locks it granted expire as usual). Nil if `key` has no state.
    private func change<T: Sendable>(_ key: SharePartitionKey, _ body: (inout SharePartition) -> T) -> (T, ShareError)? {
        guard let entry = partitions.withLock({ $0[key] }) else { return nil }
        let (result, error, syncThrough) = entry.partition.withLock { partition -> (T, ShareError, Int64?) in
            var copy = partition
            let result = body(&copy)
            var syncThrough: Int64?
            if ShareStateRecord(copy) != ShareStateRecord(partition) {
                do {
                    syncThrough = try log.writeDeferringSync(key, ShareStateRecord(copy), timestamp: time.wallMillis())
                } catch {
                    return (result, .kafkaStorageError, nil)
                }
            }
            partition = copy
            return (result, .none, syncThrough)
        }
        guard error == .none else { return (result, error) }
        if let syncThrough {
            do { try log.sync(through: syncThrough) } catch { return (result, .kafkaStorageError) }
        }
        return (result, .none)
    }

    /// Stores `partition` as the state of `key`, synced before returning.
    private func store(_ key: SharePartitionKey, _ partition: SharePartition) -> ShareError {
        do {
            try log.write(key, ShareStateRecord(partition), timestamp: time.wallMillis())
            return .none
        } catch {
            return .kafkaStorageError
        }
    }
}
