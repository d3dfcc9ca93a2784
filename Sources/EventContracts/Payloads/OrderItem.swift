/// One line of an order: a drink, its size and how many.
public struct OrderItem: Codable, Sendable, Hashable {
    /// Menu name of the drink, e.g. `"latte"`.
    public var drink: String
    /// The size of each drink.
    public var size: DrinkSize
    /// How many (the schema allows 1...10).
    public var quantity: Int

    /// Creates an order line.
    public init(drink: String, size: DrinkSize, quantity: Int) {
        self.drink = drink
        self.size = size
        self.quantity = quantity
    }
}
