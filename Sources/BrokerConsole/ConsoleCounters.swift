import Synchronization
public import SystemIO

/// The broker's running totals the overview charts turn into rates. kaffeed hands the console
/// a `@Sendable () -> ConsoleCounters`; fields it cannot measure are listed in `unmeasured`
/// (and left 0), and the page says so instead of charting a flat zero as if it were true.
public struct ConsoleCounters: Sendable, Equatable {
    /// The totals, by name (also the JSON keys).
    public enum Field: String, Sendable, CaseIterable, Hashable {
        case recordsIn, bytesIn, recordsOut, bytesOut, requests
    }

    public var recordsIn: Int64
    public var bytesIn: Int64
    public var recordsOut: Int64
    public var bytesOut: Int64
    public var requests: Int64
    /// The fields the source does not know (reported as 0).
    public var unmeasured: Set<Field>
    /// How the estimated fields are estimated, for the page (nil: they are exact counters).
    public var note: String?

    public init(recordsIn: Int64 = 0, bytesIn: Int64 = 0, recordsOut: Int64 = 0, bytesOut: Int64 = 0, requests: Int64 = 0,
                unmeasured: Set<Field> = [], note: String? = nil) {
        self.recordsIn = recordsIn
        self.bytesIn = bytesIn
        self.recordsOut = recordsOut
        self.bytesOut = bytesOut
        self.requests = requests
        self.unmeasured = unmeasured
        self.note = note
    }

    public subscript(field: Field) -> Int64 {
        switch field {
        case .recordsIn: recordsIn
        case .bytesIn: bytesIn
        case .recordsOut: recordsOut
        case .bytesOut: bytesOut
        case .requests: requests
        }
    }
}

/// Turns successive counter readings into per-second rates: each reading is compared with the
/// previous one at least `minimumIntervalNanos` older (closer readings reuse the last rates),
/// so several browsers polling at once do not make the rates jitter; a reading more than
/// `maximumIntervalNanos` after the previous one starts over (no rates) rather than report an
/// average over minutes as the rate now. Thread-safe.
public final class CounterRates: Sendable {
    private struct State {
        var previous: (nanos: UInt64, counters: ConsoleCounters)?
        var rates: [ConsoleCounters.Field: Double] = [:]
        /// The rates computed so far, oldest first, at most `historyLength`.
        var history: [[ConsoleCounters.Field: Double]] = []
        var stopped = false
    }

    /// How many rate readings `history` keeps (two minutes at one a second).
    public static let historyLength = 120

    private let state = Mutex(State())
    private let wake = ConditionSignal()
    private let minimumIntervalNanos: UInt64
    private let maximumIntervalNanos: UInt64

    public init(minimumIntervalNanos: UInt64 = 500_000_000, maximumIntervalNanos: UInt64 = 10_000_000_000) {
        self.minimumIntervalNanos = minimumIntervalNanos
        self.maximumIntervalNanos = maximumIntervalNanos
    }

    /// The rates per second after a reading taken at `nanos` (monotonic); empty until two
    /// readings are far enough apart. A total that went down (retention, a restart) counts as 0.
    public func record(_ counters: ConsoleCounters, atNanos nanos: UInt64) -> [ConsoleCounters.Field: Double] {
        state.withLock { state in
            guard let previous = state.previous else {
                state.previous = (nanos, counters)
                return state.rates
            }
            guard nanos > previous.nanos, nanos - previous.nanos >= minimumIntervalNanos else { return state.rates }
            guard nanos - previous.nanos <= maximumIntervalNanos else {
                // Nobody looked for a while: an average over that long is not "now"; start again.
                state.previous = (nanos, counters)
                state.rates = [:]
                return [:]
            }
            let seconds = Double(nanos - previous.nanos) / 1e9
            var rates: [ConsoleCounters.Field: Double] = [:]
            for field in ConsoleCounters.Field.allCases where !counters.unmeasured.contains(field) {
                rates[field] = Double(max(0, counters[field] - previous.counters[field])) / seconds
            }
            state.rates = rates
            state.previous = (nanos, counters)
            state.history.append(rates)
            if state.history.count > Self.historyLength { state.history.removeFirst(state.history.count - Self.historyLength) }
            return rates
        }
    }

    /// The recent rates, oldest first (what the charts start from when a page opens).
    public var history: [[ConsoleCounters.Field: Double]] { state.withLock { $0.history } }

    /// Reads `counters` once a second on a background thread until `stop()`, so the charts
    /// have a history even before anyone opens the console.
    public func startSampling(clock: any TimeSource = SystemTimeSource(), _ counters: @escaping @Sendable () -> ConsoleCounters) throws(SystemError) {
        try SystemThread.spawn(name: "console-rates") { [self] in
            var seen = wake.generation
            while !state.withLock({ $0.stopped }) {
                _ = record(counters(), atNanos: clock.monotonicNanos())
                seen = wake.wait(after: seen, timeoutNanos: 1_000_000_000)
            }
        }
    }

    /// Stops the sampling thread.
    public func stop() {
        state.withLock { $0.stopped = true }
        wake.signal()
    }
}
