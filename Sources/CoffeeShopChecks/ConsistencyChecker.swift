internal import EventContracts

/// The verdict of one consistency check. Value type.
public struct CheckResult: Sendable, Equatable {
    /// Short name, e.g. "ticket sets".
    public var name: String
    /// Whether it holds.
    public var passed: Bool
    /// What was checked (on success) or the first problems found (on failure, at most 10).
    public var details: [String]
    public init(name: String, passed: Bool, details: [String]) {
        self.name = name
        self.passed = passed
        self.details = details
    }
}

/// The four consistency checks of `coffee-shop.md` over a `ShopState`, as pure functions.
///
/// 1. every order in the order-service has exactly one ticket set in the barista-service and
///    vice versa;
/// 2. each order's status equals the barista's final status for it (COMPLETED is the
///    order-service's own step after READY; the barista must then have seen the pickup);
/// 3. every notification-worthy event produced exactly one delivered notification, none twice
///    (OrderPlaced → received; READY/COMPLETED → ready; CANCELLED → cancelled; FAILED → failed);
/// 4. no outbox holds unsent rows, and every dead letter is truly malformed (its value does not
///    decode as a known event) or is a drink the barista workers gave up on: a `DrinkRequested`
///    from the brewing queue whose order is `FAILED` in both services (or `CANCELLED`: a
///    cancelled order's drinks still on the queue are brewed, and may fail, all the same).
public enum ConsistencyChecker {
    /// Runs every check.
    public static func check(_ state: ShopState) -> [CheckResult] {
        [ticketSets(state), statuses(state), notifications(state), outboxesAndDeadLetters(state)]
    }

    static func ticketSets(_ state: ShopState) -> CheckResult {
        var problems: [String] = []
        let orderIds = state.orders.orders.map(\.orderId)
        let ticketIds = state.barista.orders.map(\.orderId)
        let orderSet = Set(orderIds), ticketSet = Set(ticketIds)
        if orderSet.count != orderIds.count { problems.append("order-service lists \(orderIds.count - orderSet.count) order(s) twice") }
        if ticketSet.count != ticketIds.count { problems.append("barista-service has \(ticketIds.count - ticketSet.count) duplicate ticket set(s)") }
        for id in orderSet.subtracting(ticketSet).sorted().prefix(5) { problems.append("order \(id) has no ticket set") }
        for id in ticketSet.subtracting(orderSet).sorted().prefix(5) { problems.append("ticket set \(id) has no order") }
        let missing = orderSet.subtracting(ticketSet).count, orphan = ticketSet.subtracting(orderSet).count
        if missing > 5 || orphan > 5 { problems.append("in all: \(missing) without ticket set, \(orphan) ticket sets without order") }
        return result("ticket sets", problems, ok: "\(orderSet.count) orders, \(ticketSet.count) ticket sets, one each")
    }

    /// The barista status an order-service status corresponds to.
    static func baristaStatus(for orderStatus: String) -> String {
        switch orderStatus {
        case "PLACED": "QUEUED"
        case "COMPLETED": "READY"
        default: orderStatus
        }
    }

    static func statuses(_ state: ShopState) -> CheckResult {
        let barista = Dictionary(state.barista.orders.map { ($0.orderId, $0) }, uniquingKeysWith: { a, _ in a })
        var problems: [String] = []
        var mismatches = 0
        for order in state.orders.orders {
            guard let tickets = barista[order.orderId] else { continue }  // reported by check 1
            let expected = baristaStatus(for: order.status)
            var bad = tickets.status != expected
            if order.status == "COMPLETED", tickets.pickedUp == false { bad = true }
            if bad {
                mismatches += 1
                if problems.count < 10 {
                    problems.append("order \(order.orderId): order-service \(order.status), barista \(tickets.status)"
                        + (tickets.pickedUp == false && order.status == "COMPLETED" ? " (pickup not seen)" : ""))
                }
            }
        }
        if mismatches > problems.count { problems.append("in all: \(mismatches) orders differ") }
        return result("statuses", problems, ok: "\(state.orders.orders.count) orders agree with the barista")
    }

    /// The notification kinds an order in `status` must have produced.
    static func expectedKinds(for status: String) -> [String] {
        switch status {
        case "READY", "COMPLETED": ["received", "ready"]
        case "CANCELLED": ["received", "cancelled"]
        case "FAILED": ["received", "failed"]
        default: ["received"]
        }
    }

    static func notifications(_ state: ShopState) -> CheckResult {
        var problems: [String] = []
        var byOrder: [String: [String: Int]] = [:]
        var eventIds: [String: Int] = [:]
        var waiting = 0
        for n in state.notifications.notifications {
            byOrder[n.orderId, default: [:]][n.kind, default: 0] += 1
            eventIds[n.eventId, default: 0] += 1
            if n.status != "delivered" { waiting += 1 }
        }
        let twiceByEvent = eventIds.values.filter { $0 > 1 }.count
        if twiceByEvent > 0 { problems.append("\(twiceByEvent) event(s) produced more than one notification") }
        if waiting > 0 { problems.append("\(waiting) notification(s) not delivered") }
        var wrong = 0
        let known = Set(state.orders.orders.map(\.orderId))
        for order in state.orders.orders {
            let expected = expectedKinds(for: order.status)
            let actual = byOrder[order.orderId] ?? [:]
            let ok = actual.count == expected.count && expected.allSatisfy { actual[$0] == 1 }
            if !ok {
                wrong += 1
                if problems.count < 10 {
                    let have = actual.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ", ")
                    problems.append("order \(order.orderId) (\(order.status)): expected \(expected.joined(separator: ", ")), found [\(have)]")
                }
            }
        }
        let strays = byOrder.keys.filter { !known.contains($0) }.count
        if strays > 0 { problems.append("\(strays) order id(s) with notifications but no order") }
        if wrong > 0 && problems.count >= 10 { problems.append("in all: \(wrong) orders with wrong notifications") }
        return result("notifications", problems,
                      ok: "\(state.notifications.notifications.count) notifications, exactly one per event, all delivered")
    }

    static func outboxesAndDeadLetters(_ state: ShopState) -> CheckResult {
        var problems: [String] = []
        for (name, pending) in [("order-service", state.orders.outboxPending), ("barista-service", state.barista.outboxPending),
                                ("notification-service", state.notifications.outboxPending)] where pending != 0 {
            problems.append("\(name) outbox holds \(pending) unsent event(s)")
        }
        let orderStatus = Dictionary(state.orders.orders.map { ($0.orderId, $0.status) }, uniquingKeysWith: { a, _ in a })
        let baristaStatus = Dictionary(state.barista.orders.map { ($0.orderId, $0.status) }, uniquingKeysWith: { a, _ in a })
        var failedDrinks = 0
        for letter in state.deadLetters {
            guard let event = try? CoffeeEvent.decode(json: letter.value) else { continue }
            if case .drinkRequested(let request) = event, letter.originalTopic == CoffeeTopic.brewQueue.name,
               let status = orderStatus[request.payload.orderId], ["FAILED", "CANCELLED"].contains(status),
               baristaStatus[request.payload.orderId] == status {
                failedDrinks += 1
                continue
            }
            if problems.count < 10 {
                problems.append("dead letter \(letter.partition)@\(letter.offset) from \(letter.originalTopic) is a valid event (\(letter.error))")
            }
        }
        let malformed = state.deadLetters.count - failedDrinks
        return result("outboxes and dead letters", problems,
                      ok: "outboxes empty; \(state.deadLetters.count) dead letter(s): \(malformed) malformed, \(failedDrinks) failed drink(s) of failed or cancelled orders")
    }

    /// Whether `value` decodes as a known event of a known version.
    static func isWellFormedEvent(_ value: [UInt8]) -> Bool {
        (try? CoffeeEvent.decode(json: value)) != nil
    }

    private static func result(_ name: String, _ problems: [String], ok: String) -> CheckResult {
        CheckResult(name: name, passed: problems.isEmpty, details: problems.isEmpty ? [ok] : problems)
    }
}
