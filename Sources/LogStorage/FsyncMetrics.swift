public import Prometheus
import SystemIO

/// How many syncs the storage made and how long they took, by kind: `file` (fdatasync of a
/// segment, index or checkpoint file), `directory` (fsync of a directory after a create,
/// rename or delete) and `filesystem` (syncfs). Filled by `PosixFileSystem` when given one;
/// rendered by the broker's `/metrics`. Thread-safe (one lock per histogram, taken once per
/// sync — nothing next to the cost of the sync itself).
public final class FsyncMetrics: Sendable {
    /// What was synced.
    public enum Kind: String, Sendable, CaseIterable {
        case file, directory, filesystem
    }

    private let histograms: [Histogram]

    public init() {
        histograms = Kind.allCases.map { _ in Histogram() }
    }

    /// Runs `body` (a sync of `kind`) and records its duration, also when it throws.
    @inline(__always)
    func timed<T>(_ kind: Kind, _ body: () throws(LogStorageError) -> T) throws(LogStorageError) -> T {
        let clock = SystemTimeSource()
        let start = clock.monotonicNanos()
        defer { histograms[index(kind)].observe(nanos: clock.monotonicNanos() &- start) }
        return try body()
    }

    /// The latency histogram of `kind` (a copy).
    public func histogram(_ kind: Kind) -> LatencyHistogram { histograms[index(kind)].snapshot }

    private func index(_ kind: Kind) -> Int {
        switch kind {
        case .file: 0
        case .directory: 1
        case .filesystem: 2
        }
    }
}
