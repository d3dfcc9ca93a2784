/// The size of one ordered drink (`small`, `medium` or `large` in JSON).
public enum DrinkSize: String, Codable, Sendable, CaseIterable, Hashable {
    /// A small drink.
    case small
    /// A medium drink.
    case medium
    /// A large drink.
    case large
}
