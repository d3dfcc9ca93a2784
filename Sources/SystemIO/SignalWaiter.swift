#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Turns SIGTERM/SIGINT (and others) into a callback on an ordinary thread, so shutdown code can
/// take locks and do I/O (nothing of that is safe in a signal handler).
///
/// `blockInThisProcess` must run before any other thread is started, so every thread inherits
/// the blocked mask and the signals wait for `sigwait` in the dedicated thread.
public enum SignalWaiter {
    public static let terminate = SIGTERM
    public static let interrupt = SIGINT

    /// Blocks `signals` for the calling thread and the threads it starts later. Also ignores
    /// SIGPIPE: a peer that closes its socket must give EPIPE, not kill the process.
    public static func blockInThisProcess(_ signals: [Int32]) {
        Glibc.signal(SIGPIPE, SIG_IGN)
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Starts a thread that calls `handler` with each of `signals` as it arrives.
    public static func start(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) throws(SystemError) {
        try SystemThread.spawn(name: "signals") {
            var set = sigset_t()
            sigemptyset(&set)
            for signal in signals { sigaddset(&set, signal) }
            while true {
                var received: Int32 = 0
                if sigwait(&set, &received) == 0 { handler(received) }
            }
        }
    }
}
