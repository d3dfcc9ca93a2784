/// The records of a ``KafkaConsumer`` as an `AsyncSequence`:
/// `for try await record in consumer.records { ... }`. Made by ``KafkaConsumer/records`` or
/// ``KafkaConsumer/records(pollTimeoutMs:bufferCapacity:)``.
///
/// How it works: the first `next()` starts one dedicated OS thread for this iteration (not one
/// per awaiting task) that calls the blocking `poll(timeoutMs:)` in a loop and hands the
/// records over through a buffer of at most `bufferCapacity` records. While the buffer is full
/// the thread waits and does not poll, so a slow loop never makes the consumer buffer without
/// bound (the thread keeps at most the rest of one poll result in hand). No thread of Swift's
/// cooperative pool ever blocks.
///
/// How it ends:
/// - Cancelling the iterating task: `next()` asks the thread to stop (and calls
///   `wakeup()`), waits without blocking until the current poll has returned (about
///   `pollTimeoutMs`, plus a fetch already at the broker) and the end-of-iteration commit
///   below has run, then returns nil — or throws the commit's error.
/// - `break` (or dropping the iterator): the same stop and commit happen on the poll thread in
///   the background; ``waitForEnd()`` awaits them.
/// - A `poll` error ends the sequence by throwing that `KafkaClientError` (records still
///   buffered are not handed out). `close()` on the consumer ends it with `.closed`.
///   Transient broker failures are retried by `poll` and do not end the sequence: while the
///   broker is down the loop simply waits; cancel the task or close the consumer to stop.
///
/// "Commits what was processed" — at the end (cancellation, `break`, poll error; not after
/// `close()`), the positions of partitions with records polled but not handed to the loop are
/// rewound to the first of them (they will be fetched again), and:
/// - with a group and `enableAutoCommit == false`: `commitSync` of the offsets the loop
///   received (per partition, the offset after the last record `next()` returned; the record
///   being processed when the task was cancelled counts as received);
/// - with `enableAutoCommit == true`: no commit of its own; the rewound positions are committed
///   by the next auto-commit or `close()`. Note that auto-commits made by `poll` during the
///   iteration may already cover records that were only buffered (at most `bufferCapacity`
///   plus one poll result), so turn auto-commit off for at-least-once processing.
///
/// One iteration per value (see ``RecordSequence``); start a new iteration only after the
/// previous one ended, since only one `poll` may run at a time.
public typealias ConsumerRecords = RecordSequence<ConsumerRecord>
