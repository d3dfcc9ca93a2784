internal import ServiceKit
public import EventContracts

/// What the barista-service's order desk decides with: the menu and what the shop cannot make.
/// (How drinks are brewed — how many workers, how fast, how often a machine fails — belongs to
/// the barista workers; see `BaristaWorkerSettings`.) Value type.
///
/// Read from the environment by `fromEnvironment(_:)`:
///
/// | Variable | Default | Meaning |
/// |---|---|---|
/// | `BARISTA_CANNOT_MAKE` | `affogato` | comma-separated menu drinks the shop cannot make (orders with one fail at once); set but empty = none |
///
/// A malformed value throws `BaristaSettingsError` naming the variable.
public struct BaristaSettings: Sendable, Equatable {
    /// Drinks on the menu that this shop cannot make; an order containing one fails.
    public var cannotMake: Set<String>
    /// The menu the drinks come from.
    public var menu: Menu

    /// Creates settings.
    public init(cannotMake: Set<String> = ["affogato"], menu: Menu = .standard) {
        self.cannotMake = cannotMake
        self.menu = menu
    }

    /// Reads the settings through `environment` (variable name → value or nil); see the type's
    /// documentation for the variables. Throws `BaristaSettingsError` naming a malformed one.
    public static func fromEnvironment(_ environment: (String) -> String?) throws(BaristaSettingsError) -> BaristaSettings {
        var settings = BaristaSettings()
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
        return settings
    }
}
