import Net

/// The process-wide pool of OS threads behind the async API's blocking calls (admin requests,
/// `flush`, a producer hand-over while its buffer is full), so an awaiting task never blocks a
/// thread of Swift's cooperative pool and no call starts a thread of its own.
///
/// Invariants: one `Net.WorkerPool` of `threadCount` threads, started on first use and kept for
/// the process; jobs run in submission order as threads free up, so a burst of slow calls
/// queues instead of multiplying threads. Thread-safety: every member from anywhere.
///
/// Cancellation: ``run(_:)`` ends the await at once with `CancellationError`; a job that has not
/// started yet is then skipped, a running one finishes in the background (bounded by the
/// client's own timeouts) and its result is dropped.
enum AsyncWorkers {
    /// How many threads the pool has.
    static let threadCount = 4

    /// The pool (nil when its threads could not be started).
    static let pool: WorkerPool? = try? WorkerPool(threads: threadCount, name: "kafka-async")

    /// Queues `job` on the pool; false when there is no pool.
    static func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        guard let pool else { return false }
        pool.submit(job)
        return true
    }

    /// Runs `body` on a pool thread and awaits its result without blocking the caller's thread.
    /// Throws `body`'s `KafkaClientError`, or `CancellationError` when the awaiting task is
    /// cancelled (see the type's notes).
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws(KafkaClientError) -> T) async throws -> T {
        try await AsyncOneShot<T>.run { shot in
            let queued = submit {
                guard !shot.isResolved else { return }
                do throws(KafkaClientError) {
                    shot.resolve(.success(try body()))
                } catch {
                    shot.resolve(.failure(error))
                }
            }
            if !queued {
                shot.resolve(.failure(KafkaClientError.invalidArgument("cannot start the worker threads of the async client calls")))
            }
        }
    }
}
