internal import ServiceKit
public import EventContracts

/// Renders the customer-facing text of a notification. Pure functions; thread-safe.
///
/// Texts are rendered at delivery time from the contact's current name and the order's items:
/// - received: `Hi Ana, we received your order: 2 lattes, 1 espresso.`
/// - ready: `Ana, your latte is ready!` / `Ana, your 2 lattes and 1 espresso are ready!`
/// - cancelled: `Ana, your order of 2 lattes, 1 espresso was cancelled.`
/// - failed: `Sorry Ana, we could not make your order of 1 affogato: no ice cream.`
///
/// An empty (or blank) name drops the name instead of leaving a dangling comma; an order with
/// no items says "your order".
public enum NotificationText {
    /// Drinks of the same name summed (sizes merged), in order of first appearance; lines
    /// with a quantity below 1 are ignored.
    public static func drinkCounts(_ items: [OrderItem]) -> [(drink: String, count: Int)] {
        var counts: [(drink: String, count: Int)] = []
        for item in items where item.quantity > 0 {
            if let index = counts.firstIndex(where: { $0.drink == item.drink }) {
                counts[index].count += item.quantity
            } else {
                counts.append((item.drink, item.quantity))
            }
        }
        return counts
    }

    /// `2 lattes, 1 espresso`; empty for no drinks.
    public static func summary(of items: [OrderItem]) -> String {
        drinkCounts(items).map { "\($0.count) \(plural($0.drink, count: $0.count))" }.joined(separator: ", ")
    }

    /// The message of a notification of `kind` for `name` about an order of `items`;
    /// `reason` is used by `failed` only.
    public static func render(kind: NotificationKind, name: String, items: [OrderItem], reason: String?) -> String {
        let name = name.trimmingWhitespace
        let summary = summary(of: items)
        let order = summary.isEmpty ? "your order" : "your order of \(summary)"
        switch kind {
        case .received:
            let greeting = name.isEmpty ? "Hi" : "Hi \(name)"
            return summary.isEmpty
                ? "\(greeting), we received your order."
                : "\(greeting), we received your order: \(summary)."
        case .ready:
            let sentence = "\(readyPhrase(items)) ready!"
            return name.isEmpty ? capitalizedFirst(sentence) : "\(name), \(sentence)"
        case .cancelled:
            let sentence = "\(order) was cancelled."
            return name.isEmpty ? capitalizedFirst(sentence) : "\(name), \(sentence)"
        case .failed:
            let sorry = name.isEmpty ? "Sorry" : "Sorry \(name)"
            var why = (reason ?? "").trimmingWhitespace
            while why.last == "." { why.removeLast() }
            return why.isEmpty ? "\(sorry), we could not make \(order)." : "\(sorry), we could not make \(order): \(why)."
        }
    }

    /// `your latte is` for one drink, `your 2 lattes and 1 espresso are` for more, `your order is`
    /// for none.
    static func readyPhrase(_ items: [OrderItem]) -> String {
        let counts = drinkCounts(items)
        let total = counts.reduce(0) { $0 + $1.count }
        if total == 0 { return "your order is" }
        if total == 1, let only = counts.first { return "your \(only.drink) is" }
        let parts = counts.map { "\($0.count) \(plural($0.drink, count: $0.count))" }
        let list = parts.count == 1
            ? parts[0]
            : parts.dropLast().joined(separator: ", ") + " and " + (parts.last ?? "")
        return "your \(list) are"
    }

    /// English plural of a drink name (`latte` → `lattes`, `flat white` → `flat whites`,
    /// `ristretto` → `ristrettos`; `-s/-x/-z/-ch/-sh` take `-es`); unchanged for a count of 1.
    static func plural(_ drink: String, count: Int) -> String {
        guard count != 1, !drink.isEmpty else { return drink }
        let lower = drink.lowercased()
        if lower.hasSuffix("s") || lower.hasSuffix("x") || lower.hasSuffix("z")
            || lower.hasSuffix("ch") || lower.hasSuffix("sh") {
            return drink + "es"
        }
        return drink + "s"
    }

    private static func capitalizedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}
