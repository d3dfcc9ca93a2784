import KafkaRecords

extension GroupCoordinator {
    /// Writes `group`'s snapshot (Stable or Empty) to the state log, synced. Called under the
    /// coordinator's lock, before the replies that announce the change are filled: the log's
    /// order is then the order of changes, and no client learns of a generation a crash could
    /// forget. Syncing under the lock is deliberate — parked replies are filled inside the
    /// lock, so syncing after it would mean deferring every fill; these writes happen once per
    /// generation, not per heartbeat. A failed write is logged and otherwise ignored (the
    /// in-memory state stays authoritative while the process lives).
    func persist(_ group: ConsumerGroup) {
        write(group.groupId, encoded: ClassicGroupStateRecord.encodeValue(group))
    }

    /// Writes the tombstone of a deleted group (DeleteGroups). Under the lock.
    func persistDeletion(of groupId: String) {
        write(groupId, encoded: nil)
    }

    private func write(_ groupId: String, encoded: [UInt8]?) {
        guard let stateLog else { return }
        do {
            try stateLog.write(groupId, encoded: encoded, timestamp: time.wallMillis())
        } catch {
            logger.warning("group \(groupId): storing its membership failed (kept in memory only): \(error)")
        }
    }

    /// Loads the stored groups at start-up (before any request), as Kafka loads its
    /// coordinator's partition: a group with members comes back Stable with its generation,
    /// leader, protocol and assignments, every member's session starting now; an Empty group
    /// comes back Empty with its generation. `excluded(groupId, hasMembers)` says when a stored
    /// group must stay unloaded (its id belongs to a consumer-protocol group). Unreadable
    /// records are skipped and reported through `skipped`. Returns the groups loaded.
    @discardableResult
    func recover(excluded: (String, Bool) -> Bool = { _, _ in false }, skipped: (Int64) -> Void = { _ in }) throws -> Int {
        guard let stateLog else { return 0 }
        let now = nowMillis
        var loaded = try stateLog.load(skipped: skipped)
        for (id, group) in loaded {
            if excluded(id, !group.members.isEmpty) {
                loaded[id] = nil
                logger.info("group \(id): stored classic membership not loaded (a consumer-protocol group holds the id)")
                continue
            }
            var restored = group
            for memberId in group.joinOrder { restored.members[memberId]?.lastHeardMillis = now }
            loaded[id] = restored
        }
        let count = loaded.count
        groups.withLock { $0 = loaded }
        return count
    }
}
