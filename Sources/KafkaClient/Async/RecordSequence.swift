/// A consumer's records as a single-pass `AsyncSequence` that throws `KafkaClientError`:
/// ``ConsumerRecords`` (`KafkaConsumer.records`) and ``ShareRecords`` (`ShareConsumer.records`)
/// are this type; their documentation says how each polls, ends and commits.
///
/// Common to both: the first `next()` starts one dedicated OS thread for the iteration that
/// calls the consumer's blocking `poll` and hands records over through a bounded buffer; no
/// thread of Swift's cooperative pool blocks. Cancelling the iterating task makes `next()` stop
/// the thread, wait (without blocking) for its current poll and its end-of-iteration work,
/// and return nil (or throw that work's error). `break` or dropping the iterator stops the
/// thread in the background; ``waitForEnd()`` awaits it.
///
/// One iteration per value: a second iterator throws `invalidArgument`; ask the consumer for a
/// new sequence. Thread-safety: the sequence is `Sendable`; its iterator stays with one task.
public struct RecordSequence<Record: Sendable>: AsyncSequence, Sendable {
    /// The records, one at a time.
    public typealias Element = Record
    /// The error that ends an iteration.
    public typealias Failure = KafkaClientError

    let pump: RecordPump<Record>

    init(pump: RecordPump<Record>) {
        self.pump = pump
    }

    /// The iterator: awaits the next record without blocking a thread; dropping it stops the
    /// poll thread.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let handle: RecordIterationHandle<Record>

        /// The next record; nil once the iteration ended (e.g. the task was cancelled); throws
        /// the `KafkaClientError` that ended it (once).
        public mutating func next() async throws(KafkaClientError) -> Record? {
            try await handle.pump.next(owner: handle.owner)
        }

        /// The next record (see ``next()``), in the caller's isolation.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(KafkaClientError) -> Record? {
            try await handle.pump.next(owner: handle.owner)
        }
    }

    /// The iterator of this single-pass sequence (the first call only; later iterators throw).
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(handle: RecordIterationHandle(pump: pump))
    }

    /// Waits (without blocking a thread) until the iteration has ended: the poll thread exited
    /// after its end-of-iteration work. Returns at once if the iteration never started.
    public func waitForEnd() async {
        await pump.waitForEnd()
    }

    /// The bound of the buffer between the poll thread and the loop.
    public var bufferCapacity: Int { pump.capacity }
}
