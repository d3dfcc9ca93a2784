/// The coffee shop's menu: every drink the order-service accepts, with its base preparation
/// time (a medium drink; small is 0.8×, large 1.25×). Shared by the order-service (which
/// rejects drinks not on it) and the barista-service (which brews them). Value type.
public struct Menu: Sendable, Equatable {
    /// One drink on the menu.
    public struct Drink: Sendable, Equatable, Hashable {
        /// The name used in orders, e.g. `"latte"`.
        public var name: String
        /// Preparation time of a medium drink, in milliseconds.
        public var preparationMillis: Int
        /// Creates a drink.
        public init(name: String, preparationMillis: Int) {
            self.name = name
            self.preparationMillis = preparationMillis
        }
    }

    /// The drinks, in menu order.
    public var drinks: [Drink]

    /// Creates a menu.
    public init(drinks: [Drink]) { self.drinks = drinks }

    /// The standard menu. `affogato` is on it, but the standard barista has no ice cream and
    /// fails such orders (`OrderFailed`): the path a real shop takes when it runs out.
    public static let standard = Menu(drinks: [
        Drink(name: "espresso", preparationMillis: 1_000),
        Drink(name: "americano", preparationMillis: 1_500),
        Drink(name: "cappuccino", preparationMillis: 2_500),
        Drink(name: "latte", preparationMillis: 2_500),
        Drink(name: "flat white", preparationMillis: 2_000),
        Drink(name: "mocha", preparationMillis: 3_000),
        Drink(name: "tea", preparationMillis: 1_200),
        Drink(name: "affogato", preparationMillis: 2_000),
    ])

    /// The drink called `name`, if on the menu.
    public func drink(named name: String) -> Drink? { drinks.first { $0.name == name } }

    /// Preparation time in milliseconds of one drink of `size` (nil when not on the menu).
    public func preparationMillis(of name: String, size: DrinkSize) -> Int? {
        guard let drink = drink(named: name) else { return nil }
        switch size {
        case .small: return drink.preparationMillis * 4 / 5
        case .medium: return drink.preparationMillis
        case .large: return drink.preparationMillis * 5 / 4
        }
    }

    /// Most order lines in one order (the `OrderPlaced` schema's limit).
    public static let maxLines = 20
    /// Most drinks of one line (the `OrderItem` schema's limit).
    public static let maxQuantity = 10
}
