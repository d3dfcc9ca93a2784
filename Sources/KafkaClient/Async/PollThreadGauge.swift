import Synchronization

/// The live poll threads of every record sequence in the process (a gauge for tests and
/// diagnostics): incremented when a poll thread starts, decremented just before it reports the
/// end of its sequence.
enum PollThreadGauge {
    static let live = Atomic<Int>(0)
}
