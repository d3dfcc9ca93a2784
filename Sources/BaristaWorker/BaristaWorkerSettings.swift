public import EventContracts
internal import ServiceKit

/// A malformed barista-worker variable. Value type.
public struct BaristaWorkerSettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The environment variable.
    public let variable: String
    /// Its value.
    public let value: String
    /// What was expected instead.
    public let expected: String
    public var description: String { "invalid \(variable)=\"\(value)\": expected \(expected)" }
}

/// How one barista worker brews. Value type; `init` keeps every value in range.
///
/// Read from the environment by `fromEnvironment(_:defaultName:)` (the broker addresses, HTTP
/// port and log level come from `ServiceConfig`: `KAFFEE_BROKERS`, `SERVICE_HTTP_PORT`,
/// `SERVICE_LOG_LEVEL`):
///
/// | Variable | Default | Meaning |
/// |---|---|---|
/// | `BARISTA_WORKER_NAME` | host name and process id | the name results carry (`worker`) |
/// | `BARISTA_GROUP` | `barista-workers` | the share group (or, in group mode, consumer group) |
/// | `BARISTA_QUEUE_MODE` | `auto` | `share` (a share group, KIP-932), `group` (a classic consumer group: at most one worker per partition) or `auto` (share when the broker has share groups) |
/// | `BARISTA_SPEED_FACTOR` | `1.0` | multiplies the menu's preparation times (decimal ≥ 0; `0` = instant) |
/// | `BARISTA_BREW_MS` | unset | every drink takes exactly this many ms (benchmarks); overrides the menu |
/// | `BARISTA_FAIL_RATE` | `0` | share of drinks (0...1) whose machine breaks on every attempt, by a hash of the ticket id |
/// | `BARISTA_MAX_ATTEMPTS` | `3` | deliveries of a failing drink before the worker gives up (dead letter, `DrinkFailed`, REJECT); 1...10 |
/// | `BARISTA_LOCK_MS` | unset | sets the group's `share.record.lock.duration.ms` at start (how long a dead worker's drink stays locked) |
///
/// An empty value counts as unset. A malformed one throws `BaristaWorkerSettingsError`.
public struct BaristaWorkerSettings: Sendable, Equatable {
    /// How the worker reads the queue.
    public enum QueueMode: String, Sendable, Equatable {
        /// A share group: any number of workers per partition, per-record locks and delivery counts.
        case share
        /// A classic consumer group: a partition belongs to one worker; for brokers without share groups.
        case group
        /// `share` when the broker advertises ShareGroupHeartbeat, else `group`.
        case auto
    }

    /// The name results carry.
    public var name: String
    /// The group id.
    public var groupId: String
    /// How the queue is read.
    public var queueMode: QueueMode
    /// Preparation-time multiplier (≥ 0).
    public var speedFactor: Double
    /// A fixed brewing time for every drink, overriding the menu (nil: menu × speed).
    public var fixedBrewMillis: Int64?
    /// Share of drinks (0...1) whose machine always breaks.
    public var failRate: Double
    /// Deliveries of a failing drink before giving up (1...10).
    public var maxAttempts: Int
    /// `share.record.lock.duration.ms` to set on the group at start, if any.
    public var lockDurationMs: Int?
    /// The menu.
    public var menu: Menu

    /// Creates settings; values are clamped into range.
    public init(name: String, groupId: String = "barista-workers", queueMode: QueueMode = .auto, speedFactor: Double = 1.0,
                fixedBrewMillis: Int64? = nil, failRate: Double = 0, maxAttempts: Int = 3, lockDurationMs: Int? = nil,
                menu: Menu = .standard) {
        self.name = name
        self.groupId = groupId
        self.queueMode = queueMode
        self.speedFactor = speedFactor.isFinite ? max(0, speedFactor) : 1.0
        self.fixedBrewMillis = fixedBrewMillis.map { max(0, $0) }
        self.failRate = failRate.isFinite ? min(max(failRate, 0), 1) : 0
        self.maxAttempts = min(max(maxAttempts, 1), 10)
        self.lockDurationMs = lockDurationMs
        self.menu = menu
    }

    /// Reads the settings through `environment`; `defaultName` is used when
    /// `BARISTA_WORKER_NAME` is unset. See the type's documentation.
    public static func fromEnvironment(_ environment: (String) -> String?, defaultName: String) throws(BaristaWorkerSettingsError) -> BaristaWorkerSettings {
        func value(_ name: String) -> String? {
            guard let raw = environment(name) else { return nil }
            let trimmed = raw.trimmingWhitespace
            return trimmed.isEmpty ? nil : trimmed
        }
        func number(_ name: String, _ expected: String, _ valid: (Double) -> Bool) throws(BaristaWorkerSettingsError) -> Double? {
            guard let text = value(name) else { return nil }
            guard let number = Double(text), number.isFinite, valid(number) else {
                throw BaristaWorkerSettingsError(variable: name, value: text, expected: expected)
            }
            return number
        }
        func integer(_ name: String, _ range: ClosedRange<Int>) throws(BaristaWorkerSettingsError) -> Int? {
            guard let text = value(name) else { return nil }
            guard let number = Int(text), range.contains(number) else {
                throw BaristaWorkerSettingsError(variable: name, value: text, expected: "an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return number
        }
        var settings = BaristaWorkerSettings(name: value("BARISTA_WORKER_NAME") ?? defaultName)
        if let group = value("BARISTA_GROUP") { settings.groupId = group }
        if let text = value("BARISTA_QUEUE_MODE") {
            guard let mode = QueueMode(rawValue: text) else {
                throw BaristaWorkerSettingsError(variable: "BARISTA_QUEUE_MODE", value: text, expected: "share, group or auto")
            }
            settings.queueMode = mode
        }
        if let speed = try number("BARISTA_SPEED_FACTOR", "a decimal number ≥ 0", { $0 >= 0 }) { settings.speedFactor = speed }
        if let ms = try integer("BARISTA_BREW_MS", 0...3_600_000) { settings.fixedBrewMillis = Int64(ms) }
        if let rate = try number("BARISTA_FAIL_RATE", "a decimal number in 0...1", { (0...1).contains($0) }) { settings.failRate = rate }
        if let attempts = try integer("BARISTA_MAX_ATTEMPTS", 1...10) { settings.maxAttempts = attempts }
        if let lock = try integer("BARISTA_LOCK_MS", 1_000...3_600_000) { settings.lockDurationMs = lock }
        return settings
    }

    /// How long one drink takes: `fixedBrewMillis` when set, else the menu's preparation time ×
    /// `speedFactor` in whole milliseconds; 0 for a drink not on the menu (it was accepted when
    /// it was, and must not block the queue).
    public func brewMillis(of drink: String, size: DrinkSize) -> Int64 {
        if let fixedBrewMillis { return fixedBrewMillis }
        guard let base = menu.preparationMillis(of: drink, size: size) else { return 0 }
        let scaled = (Double(base) * speedFactor).rounded()
        // Clamp before converting: a huge factor must not trap the conversion.
        return scaled >= 3_600_000 ? 3_600_000 : Int64(scaled)
    }
}
