import Dispatch
import Synchronization

/// Runs independent storage work (one item per partition) on all cores at once, for the store's
/// bulk operations: opening, creating and closing thousands of partitions.
///
/// Thread-safety: `body` runs on several threads at once and must be safe for that.
enum ConcurrentWork {
    /// The item that failed first and its error.
    struct Failure: Error {
        var index: Int
        var error: LogStorageError
    }

    /// `body(0..<count)` concurrently, results in order. After the first error, items not yet
    /// started are skipped and that error is thrown (items already running finish).
    static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) throws(LogStorageError) -> T) throws(Failure) -> [T] {
        let results = Mutex([T?](repeating: nil, count: count))
        let failure = Mutex<Failure?>(nil)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            guard failure.withLock({ $0 == nil }) else { return }
            do throws(LogStorageError) {
                let value = try body(index)
                results.withLock { $0[index] = value }
            } catch {
                failure.withLock { if $0 == nil { $0 = Failure(index: index, error: error) } }
            }
        }
        if let first = failure.withLock({ $0 }) { throw first }
        return results.withLock { $0.compactMap { $0 } }
    }
}
