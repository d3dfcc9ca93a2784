internal import ServiceKit
public import EventContracts

/// How the barista-service brews: how many baristas, how fast, what it cannot make.
/// Value type; every value is kept inside its valid range by `init`.
///
/// Read from the environment by `fromEnvironment(_:)`:
///
/// | Variable | Default | Meaning |
/// |---|---|---|
/// | `BARISTA_COUNT` | `3` | baristas brewing concurrently (integer 1...64) |
/// | `BARISTA_SPEED_FACTOR` | `1.0` | multiplies the menu's preparation times (decimal ≥ 0; `0` = instant) |
/// | `BARISTA_CANNOT_MAKE` | `affogato` | comma-separated menu drinks the shop cannot make (orders with one fail); set but empty = none |
/// | `BARISTA_FAIL_RATE` | `0` | probability (decimal 0...1) that an order fails with "machine broke"; decided by a hash of the order id, so a redelivery or restart decides the same |
///
/// Unset (or, except for `BARISTA_CANNOT_MAKE`, empty) variables take the default. A malformed
/// value throws `BaristaSettingsError` naming the variable.
public struct BaristaSettings: Sendable, Equatable {
    /// The most baristas `baristaCount` allows.
    public static let maxBaristas = 64

    /// How many tickets brew at once (1...64).
    public var baristaCount: Int
    /// Preparation time multiplier (≥ 0, finite); 0 makes every drink instant.
    public var speedFactor: Double
    /// Drinks on the menu that this shop cannot make; an order containing one fails.
    public var cannotMake: Set<String>
    /// Probability (0...1) that an order fails with "machine broke" (hash of the order id).
    public var failRate: Double
    /// The menu the drinks and preparation times come from.
    public var menu: Menu
    /// The most tickets one scheduler step starts (bounds the transaction, so latency of other
    /// writers stays low while a large backlog drains); ≥ 1.
    public var maxTicketsPerStep: Int

    /// Creates settings; out-of-range values are clamped (count to 1...64, speed and fail rate
    /// to ≥ 0 and 0...1, a non-finite speed to 1, `maxTicketsPerStep` to ≥ 1).
    public init(
        baristaCount: Int = 3, speedFactor: Double = 1.0, cannotMake: Set<String> = ["affogato"],
        failRate: Double = 0, menu: Menu = .standard, maxTicketsPerStep: Int = 500
    ) {
        self.baristaCount = min(max(baristaCount, 1), Self.maxBaristas)
        self.speedFactor = speedFactor.isFinite ? max(0, speedFactor) : 1.0
        self.cannotMake = cannotMake
        self.failRate = failRate.isFinite ? min(max(failRate, 0), 1) : 0
        self.menu = menu
        self.maxTicketsPerStep = max(1, maxTicketsPerStep)
    }

    /// Reads the settings through `environment` (variable name → value or nil); see the type's
    /// documentation for the variables. Throws `BaristaSettingsError` naming a malformed one.
    public static func fromEnvironment(_ environment: (String) -> String?) throws(BaristaSettingsError) -> BaristaSettings {
        func value(_ name: String) -> String? {
            guard let raw = environment(name) else { return nil }
            let trimmed = raw.trimmingWhitespace
            return trimmed.isEmpty ? nil : trimmed
        }
        var settings = BaristaSettings()
        if let text = value("BARISTA_COUNT") {
            guard let count = Int(text), (1...maxBaristas).contains(count) else {
                throw BaristaSettingsError(variable: "BARISTA_COUNT", value: text, expected: "an integer in 1...\(maxBaristas)")
            }
            settings.baristaCount = count
        }
        if let text = value("BARISTA_SPEED_FACTOR") {
            guard let speed = Double(text), speed.isFinite, speed >= 0 else {
                throw BaristaSettingsError(variable: "BARISTA_SPEED_FACTOR", value: text, expected: "a decimal number ≥ 0")
            }
            settings.speedFactor = speed
        }
        if let raw = environment("BARISTA_CANNOT_MAKE") {
            var drinks = Set<String>()
            for part in raw.split(separator: ",") {
                let drink = String(part).trimmingWhitespace
                guard !drink.isEmpty else { continue }
                guard settings.menu.drink(named: drink) != nil else {
                    throw BaristaSettingsError(
                        variable: "BARISTA_CANNOT_MAKE", value: raw,
                        expected: "comma-separated drinks of the menu ("
                            + settings.menu.drinks.map(\.name).joined(separator: ", ") + ")")
                }
                drinks.insert(drink)
            }
            settings.cannotMake = drinks
        }
        if let text = value("BARISTA_FAIL_RATE") {
            guard let rate = Double(text), rate.isFinite, (0...1).contains(rate) else {
                throw BaristaSettingsError(variable: "BARISTA_FAIL_RATE", value: text, expected: "a decimal number in 0...1")
            }
            settings.failRate = rate
        }
        return settings
    }

    /// How long one drink of `size` takes: the menu's preparation time × `speedFactor`,
    /// rounded to whole milliseconds; nil for a drink not on the menu.
    public func brewMillis(of drink: String, size: DrinkSize) -> Int64? {
        guard let base = menu.preparationMillis(of: drink, size: size) else { return nil }
        let scaled = (Double(base) * speedFactor).rounded()
        // Clamp before converting: a huge factor must not trap the conversion.
        return scaled >= Double(Int64.max / 2) ? Int64.max / 2 : Int64(scaled)
    }

    /// True when some drink brews in 0 ms, so one barista can finish many tickets in one
    /// scheduler step.
    var hasInstantDrinks: Bool {
        menu.drinks.contains { drink in DrinkSize.allCases.contains { brewMillis(of: drink.name, size: $0) == 0 } }
    }
}
