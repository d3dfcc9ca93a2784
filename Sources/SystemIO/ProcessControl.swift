#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Process-level calls for executables.
public enum ProcessControl {
    /// Ends the process with `code` (flushing stdio buffers, as `exit(3)` does).
    public static func exit(_ code: Int32) -> Never {
        Glibc.exit(code)
    }

    /// CPU time (user and system, all threads) this process has used, in nanoseconds
    /// (benchmarks report it beside wall time, which other load on the machine distorts).
    public static func cpuTimeNanos() -> UInt64 {
        var spec = timespec()
        guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec) == 0 else { return 0 }
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
