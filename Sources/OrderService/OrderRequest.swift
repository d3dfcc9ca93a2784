import EventContracts

/// A validated `POST /orders` request. Value type.
///
/// Rules (each failure is a 422 naming the field, except wrong JSON types, which are 400):
/// `memberId` is required and not blank (whether the member exists is checked against the
/// database later); `items` is required with 1…`Menu.maxLines` lines; each line's `drink` must
/// be on the menu (matched after trimming and lower-casing, stored with the menu's spelling),
/// `size` one of `small`, `medium`, `large`, and `quantity` in 1…`Menu.maxQuantity`. More lines
/// or a larger quantity is "order too large".
struct OrderRequest: Sendable, Equatable {
    /// The ordering member's id, trimmed.
    var memberId: String
    /// The lines, in order, normalised.
    var items: [OrderItem]

    /// The body as sent; every field optional so that a missing one is a 422, not a 400.
    struct Body: Decodable, Equatable {
        var memberId: String?
        var items: [Item]?

        /// One line as sent.
        struct Item: Decodable, Equatable {
            var drink: String?
            var size: String?
            var quantity: Int?
        }
    }

    /// Decodes and validates a request body against `menu`.
    static func parse(_ body: [UInt8], menu: Menu) throws(APIError) -> OrderRequest {
        if let fast = fastBody(body) { return try validate(fast, menu: menu) }
        return try validate(RequestBody.decode(Body.self, from: body), menu: menu)
    }

    /// The body as `JSONDecoder` would decode it, read by `StrictJSON` (a fraction of the
    /// cost); nil for anything the strict reader or this mapping does not take as it is — a
    /// field of another type, a quantity written `2.0`, duplicate keys, malformed JSON — which
    /// `RequestBody.decode` then decodes or words the error for, as always.
    static func fastBody(_ bytes: [UInt8]) -> Body? {
        guard case .object(let object)? = StrictJSON.parse(bytes),
              let memberId = object.optionalString("memberId") else { return nil }
        let items: [Body.Item]?
        switch object["items"] {
        case nil, .null?:
            items = nil
        case .array(let values)?:
            var lines: [Body.Item] = []
            lines.reserveCapacity(values.count)
            for value in values {
                guard case .object(let line) = value, let drink = line.optionalString("drink"),
                      let size = line.optionalString("size"), let quantity = line.optionalInt("quantity")
                else { return nil }
                lines.append(Body.Item(drink: drink, size: size, quantity: quantity))
            }
            items = lines
        default:
            return nil
        }
        return Body(memberId: memberId, items: items)
    }

    /// Validates a decoded body against `menu`.
    static func validate(_ body: Body, menu: Menu) throws(APIError) -> OrderRequest {
        guard let rawMemberId = body.memberId else { throw .unprocessable("memberId is required") }
        let memberId = rawMemberId.trimmingWhitespace
        guard !memberId.isEmpty else { throw .unprocessable("memberId must not be blank") }

        guard let lines = body.items else { throw .unprocessable("items is required") }
        guard !lines.isEmpty else { throw .unprocessable("items must not be empty: an order needs at least one drink") }
        guard lines.count <= Menu.maxLines else {
            throw .unprocessable("order too large: at most \(Menu.maxLines) lines, got \(lines.count)")
        }

        var items: [OrderItem] = []
        items.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            let field = "items[\(index)]"
            guard let rawDrink = line.drink else { throw .unprocessable("\(field).drink is required") }
            let wanted = rawDrink.trimmingWhitespace.lowercased()
            guard let drink = menu.drinks.first(where: { $0.name.lowercased() == wanted }) else {
                let names = menu.drinks.map(\.name).joined(separator: ", ")
                throw .unprocessable("unknown drink '\(rawDrink)' at \(field).drink; the menu has: \(names)")
            }
            guard let rawSize = line.size else { throw .unprocessable("\(field).size is required") }
            guard let size = DrinkSize(rawValue: rawSize.trimmingWhitespace.lowercased()) else {
                throw .unprocessable("\(field).size must be small, medium or large, not '\(rawSize)'")
            }
            guard let quantity = line.quantity else { throw .unprocessable("\(field).quantity is required") }
            guard quantity >= 1 else {
                throw .unprocessable("\(field).quantity must be at least 1, not \(quantity)")
            }
            guard quantity <= Menu.maxQuantity else {
                throw .unprocessable(
                    "order too large: \(field).quantity is \(quantity), at most \(Menu.maxQuantity) per line")
            }
            items.append(OrderItem(drink: drink.name, size: size, quantity: quantity))
        }
        return OrderRequest(memberId: memberId, items: items)
    }

    /// The request in canonical form (fixed key order, normalised values): what the
    /// idempotency fingerprint is computed over.
    var canonicalJSON: JSONValue {
        .object([
            ("memberId", .string(memberId)),
            ("items", .array(items.map { item in
                .object([("drink", .string(item.drink)), ("size", .string(item.size.rawValue)),
                         ("quantity", .integer(item.quantity))])
            })),
        ])
    }

    /// The fingerprint stored with an idempotency key (see `RequestHash`).
    var fingerprint: String { RequestHash.fingerprint(canonicalJSON) }
}
