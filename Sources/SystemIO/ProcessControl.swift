internal import Glibc

/// Process-level calls for executables.
public enum ProcessControl {
    /// Ends the process with `code` (flushing stdio buffers, as `exit(3)` does).
    public static func exit(_ code: Int32) -> Never {
        Glibc.exit(code)
    }
}
