/// The reference an async record iterator holds: it lets the iterator's first use claim the
/// pump and stops the pump's poll thread when the iterator is dropped (e.g. after `break`).
///
/// Not `Sendable` on purpose: it belongs to the one task that iterates. Iterators call
/// ``RecordPump/next(owner:)`` with `owner` (the pump is `Sendable`, so the call may leave the
/// caller's isolation).
final class RecordIterationHandle<Record: Sendable> {
    /// The pump this iterator reads.
    let pump: RecordPump<Record>
    /// Whether this iterator claimed the pump (only the first one of a sequence does).
    let owner: Bool

    init(pump: RecordPump<Record>) {
        self.pump = pump
        owner = pump.claimIterator()
    }

    deinit {
        if owner { pump.stop() }
    }
}
