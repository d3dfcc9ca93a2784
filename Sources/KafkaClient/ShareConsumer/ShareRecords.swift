/// The records of a ``ShareConsumer`` as an `AsyncSequence`:
/// `for try await record in shareConsumer.records { ... }`. Made by ``ShareConsumer/records``
/// or ``ShareConsumer/records(pollTimeoutMs:)``.
///
/// How it works: the first `next()` starts one dedicated OS thread for this iteration that calls
/// the blocking `poll(timeoutMs:)`. It polls again only once every record of the previous poll
/// was handed to the loop *and* the loop asks for the next one, so a poll's implicit
/// acknowledgement (implicit mode: the next poll accepts what the previous one delivered) only
/// covers records the loop has finished with. The buffer therefore holds at most one poll's
/// records (`ShareConsumerConfig.maxPollRecords`); no thread of the cooperative pool blocks.
///
/// Acknowledgement while iterating: as with the blocking API — implicit mode accepts the
/// records of a poll with the next poll; explicit mode needs `acknowledge(_:type:)` for each
/// record (allowed from the loop; it is sent with the next poll or commit).
///
/// How it ends:
/// - Cancelling the iterating task, `break` or dropping the iterator: the thread stops after
///   its current poll (at most about `pollTimeoutMs`, plus a fetch already at the broker).
///   Records polled but not yet handed to the loop are **released**
///   (`acknowledge(_:type: .release)`: available again to the group, delivery count
///   incremented); then `commitSync()` sends the acknowledgements — in implicit mode accepting
///   the records the loop received, in explicit mode only those it acknowledged. A cancelled
///   `next()` waits for this (without blocking) and returns nil, or throws the commit's error
///   (a partition whose acknowledgement failed reports the first such error); after `break`,
///   ``waitForEnd()`` awaits it.
/// - A `poll` error ends the sequence by throwing that `KafkaClientError` (buffered records are
///   released as above). `close()` on the share consumer ends it with `.closed` (`close` itself
///   sends the acknowledgements and the broker releases what is still acquired).
/// - Transient failures are retried by `poll`; while the broker is down the loop waits.
///
/// One iteration per value (a second iterator throws `invalidArgument`). Thread-safety: the
/// sequence is `Sendable`; its iterator stays with one task.
public typealias ShareRecords = RecordSequence<ShareRecord>
