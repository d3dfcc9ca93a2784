import Foundation
import Testing
import EventContracts
import NotificationService
import ServiceKit
import SQLite

@Suite struct NotificationDeliveryTests {
    @Test func everyKindIsDeliveredWithItsText() throws {
        let h = try NotificationHarness()
        try h.consume(Events.member("m1", name: "Ana", email: "ana@example.com"))
        try h.consume(Events.placed("o1", member: "m1", items: Events.twoLattesOneEspresso))
        try h.consume(Events.ready("o1"))
        try h.consume(Events.placed("o2", member: "m1", items: [OrderItem(drink: "tea", size: .small, quantity: 1)]))
        try h.consume(Events.cancelled("o2"))
        try h.consume(Events.placed("o3", member: "m1", items: [OrderItem(drink: "affogato", size: .medium, quantity: 1)]))
        try h.consume(Events.failed("o3", reason: "no ice cream"))

        let list = try h.notifications()
        #expect(list.map { $0["kind"] as? String } == ["received", "ready", "received", "cancelled", "received", "failed"])
        #expect(list.map { $0["message"] as? String } == [
            "Hi Ana, we received your order: 2 lattes, 1 espresso.",
            "Ana, your 2 lattes and 1 espresso are ready!",
            "Hi Ana, we received your order: 1 tea.",
            "Ana, your order of 1 tea was cancelled.",
            "Hi Ana, we received your order: 1 affogato.",
            "Sorry Ana, we could not make your order of 1 affogato: no ice cream.",
        ])
        for item in list {
            #expect(item["status"] as? String == "delivered")
            #expect(item["channel"] as? String == "email")
            #expect(item["recipient"] as? String == "ana@example.com")
            #expect(item["memberId"] as? String == "m1")
            #expect(item["deliveredAtMs"] as? Int != nil)
        }
        #expect(list[0]["eventOccurredAtMs"] as? Int == 1_741_939_542_918)
        #expect(list[0]["eventOccurredAt"] as? String == "2025-03-14T08:05:42.918Z")
        #expect(list[1]["eventType"] as? String == "OrderReady")
        // Every delivery is also an info log line, and the metrics follow.
        let infos = h.log.messages(at: "INFO")
        #expect(infos.count == 6)
        #expect(infos.contains { $0.contains("ana@example.com") && $0.contains("your 2 lattes and 1 espresso are ready!") })
        #expect(h.context.metrics.value(NotificationMetrics.delivered) == 6)
        #expect(h.context.metrics.value(NotificationMetrics.waiting) == 0)
    }

    @Test func eventsWithoutNotificationsAreConsumedQuietly() throws {
        let h = try NotificationHarness()
        try h.consume(Events.member("m1"))
        try h.consume(Events.placed("o1", member: "m1"))
        let quiet: [CoffeeEvent] = [
            Events.brewing("o1"),
            .cancellationRejected(EventEnvelope(payload: CancellationRejected(orderId: "o1", reason: "brewing"))),
            .orderCancellationRequested(EventEnvelope(payload: OrderCancellationRequested(orderId: "o1"))),
            .orderPickedUp(EventEnvelope(payload: OrderPickedUp(orderId: "o1"))),
        ]
        for event in quiet {
            #expect(try h.consume(event) == .handled(published: 0))
        }
        #expect(try h.notifications().count == 1)
    }

    @Test func redeliveryThroughTheInboxAndDirectlyMakesExactlyOne() throws {
        let h = try NotificationHarness()
        let member = Events.member("m1")
        let placed = Events.placed("o1", member: "m1")
        let ready = Events.ready("o1")
        for event in [member, placed, ready] {
            #expect(try h.consume(event) == .handled(published: 0))
            #expect(try h.consume(event) == .duplicate)
            // Past the inbox: notifications.event_id makes it a no-op, not an error.
            #expect(try h.handleDirectly(event).isEmpty)
            #expect(try h.handleDirectly(event).isEmpty)
        }
        let list = try h.notifications()
        #expect(list.count == 2)
        #expect(Set(list.compactMap { $0["eventId"] as? String }) == [placed.eventId, ready.eventId])
        #expect(h.log.messages(at: "INFO").count == 2)
        #expect(h.context.metrics.value(NotificationMetrics.delivered) == 2)
    }

    /// Every order of arrival of the member, the order and its readiness (and brewing, and a
    /// redelivered copy of each) ends with the same two delivered notifications, none waiting.
    @Test func everyArrivalOrderEndsWithReceivedAndReadyDelivered() throws {
        let base: [CoffeeEvent] = [
            Events.member("m1", name: "Ana"),
            Events.placed("o1", member: "m1", items: Events.twoLattesOneEspresso),
            Events.ready("o1"),
            Events.brewing("o1"),
        ]
        for permutation in permutations(of: Array(base.indices)) {
            let h = try NotificationHarness()
            for (step, index) in permutation.enumerated() {
                try h.consume(base[index], offset: Int64(step))
                try h.handleDirectly(base[permutation[step / 2]])  // a stray redelivery of something seen
            }
            let list = try h.notifications()
            #expect(list.count == 2, "\(permutation)")
            #expect(Set(list.compactMap { $0["kind"] as? String }) == ["received", "ready"], "\(permutation)")
            #expect(list.allSatisfy { $0["status"] as? String == "delivered" }, "\(permutation)")
            #expect(Set(list.compactMap { $0["message"] as? String }) == [
                "Hi Ana, we received your order: 2 lattes, 1 espresso.",
                "Ana, your 2 lattes and 1 espresso are ready!",
            ])
            let snapshot = try h.snapshot()
            #expect(snapshot["waiting"] as? Int == 0)
            #expect(snapshot["delivered"] as? Int == 2)
            #expect(h.context.metrics.value(NotificationMetrics.waiting) == 0)
        }
    }

    @Test func waitsForTheOrderThenForTheContact() throws {
        let h = try NotificationHarness()
        try h.consume(Events.ready("o1"))
        var list = try h.notifications()
        #expect(list.count == 1)
        #expect(list[0]["status"] as? String == "waiting")
        #expect(list[0]["memberId"] is NSNull)
        #expect(list[0]["message"] is NSNull)
        #expect(h.context.metrics.value(NotificationMetrics.waiting) == 1)

        // The order fills in the member; the contact is still unknown, so both wait.
        try h.consume(Events.placed("o1", member: "m1"))
        list = try h.notifications()
        #expect(list.count == 2)
        #expect(list.allSatisfy { $0["status"] as? String == "waiting" && $0["memberId"] as? String == "m1" })
        #expect(try h.notifications("/notifications?memberId=m1&status=waiting").count == 2)

        // The contact completes both, received first.
        try h.consume(Events.member("m1", name: "Ana"))
        list = try h.notifications("/notifications?status=delivered")
        #expect(list.count == 2)
        let infos = h.log.messages(at: "INFO")
        #expect(infos.count == 2)
        #expect(infos.first?.contains("we received your order") == true)
        #expect(infos.last?.contains("your latte is ready!") == true)
    }

    @Test func reRegistrationUpdatesTheContactForLaterNotifications() throws {
        let h = try NotificationHarness()
        try h.consume(Events.member("m1", name: "Ana", email: "ana@old.example"))
        try h.consume(Events.placed("o1", member: "m1"))
        try h.consume(Events.member("m1", name: "Anna", email: "anna@new.example", phone: "+49 30 1234"))
        try h.consume(Events.ready("o1"))
        let list = try h.notifications()
        #expect(list.map { $0["recipient"] as? String } == ["ana@old.example", "anna@new.example"])
        #expect(list.map { $0["message"] as? String } == ["Hi Ana, we received your order: 1 latte.", "Anna, your latte is ready!"])
        #expect(try h.snapshot()["contacts"] as? Int == 1)
        let phone = try h.db.scalar("SELECT phone FROM contacts WHERE member_id = 'm1'")
        #expect(phone == .text("+49 30 1234"))
    }

    @Test func aWaitingNotificationUsesTheContactAsItIsAtDelivery() throws {
        let h = try NotificationHarness()
        try h.consume(Events.placed("o1", member: "m1"))
        try h.consume(Events.member("m2", name: "Bo"))  // someone else: changes nothing for m1
        #expect(try h.notifications("/notifications?status=waiting").count == 1)
        try h.consume(Events.member("m1", name: "Cy", email: "cy@example.com"))
        let list = try h.notifications()
        #expect(list.first?["message"] as? String == "Hi Cy, we received your order: 1 latte.")
    }

    @Test func anOrderNeverPlacedStaysWaitingWithoutError() throws {
        let h = try NotificationHarness()
        try h.consume(Events.member("m1"))
        #expect(try h.consume(Events.ready("ghost")) == .handled(published: 0))
        #expect(try h.consume(Events.failed("ghost", reason: "x")) == .handled(published: 0))
        let snapshot = try h.snapshot()
        #expect(snapshot["waiting"] as? Int == 2)
        #expect(snapshot["delivered"] as? Int == 0)
        #expect(snapshot["outboxPending"] as? Int == 0)
    }

    @Test func emptyIdsArePermanentErrorsAndWriteNothing() throws {
        let h = try NotificationHarness()
        for event in [Events.member(""), Events.placed("", member: "m1"), Events.placed("o1", member: ""), Events.ready("")] {
            #expect(throws: PermanentHandlerError.self) { try h.consume(event) }
            #expect(try Inbox.contains(eventId: event.eventId, in: h.db) == false)
        }
        #expect(try h.notifications().isEmpty)
        #expect(try h.snapshot()["contacts"] as? Int == 0)
    }

    @Test func aSecondOrderPlacedKeepsTheFirstMemberButStillNotifiesOnce() throws {
        let h = try NotificationHarness()
        try h.consume(Events.member("m1", name: "Ana"))
        try h.consume(Events.placed("o1", member: "m1"))
        try h.consume(Events.placed("o1", member: "m2"))  // a buggy producer: another event for the same order
        let list = try h.notifications()
        #expect(list.count == 2)
        #expect(list.allSatisfy { $0["memberId"] as? String == "m1" && $0["status"] as? String == "delivered" })
        #expect(h.log.messages(at: "WARN").count == 1)
    }

    @Test func anUnparseableOccurredAtIsStoredAsNull() throws {
        let h = try NotificationHarness()
        let event = CoffeeEvent.orderReady(EventEnvelope(payload: OrderReady(orderId: "o1"), occurredAt: "last tuesday"))
        try h.consume(event)
        let item = try #require(try h.notifications().first)
        #expect(item["eventOccurredAtMs"] is NSNull)
        #expect(item["eventOccurredAt"] as? String == "last tuesday")
    }

    @Test func timesComeFromTheInjectedClock() throws {
        let h = try NotificationHarness(clock: { 1_700_000_000_123 })
        try h.consume(Events.member("m1"))
        try h.consume(Events.placed("o1", member: "m1"))
        let item = try #require(try h.notifications().first)
        #expect(item["createdAtMs"] as? Int == 1_700_000_000_123)
        #expect(item["deliveredAtMs"] as? Int == 1_700_000_000_123)
        #expect(item["createdAt"] as? String == "2023-11-14T22:13:20.123Z")
    }

    /// Checks: a notification delivered at once (order and contact known, nothing waiting) is
    /// stored exactly as one that waited and was delivered later — every column the API shows,
    /// the file sink's flag and the waiting indexes alike — for every kind.
    @Test func deliveredAtOnceEqualsDeliveredAfterWaiting() throws {
        let events: [CoffeeEvent] = [
            Events.member("m1", name: "Ana", email: "ana@example.com"),
            Events.placed("o1", member: "m1", items: Events.twoLattesOneEspresso),
            Events.ready("o1"),
            Events.placed("o2", member: "m1"),
            Events.cancelled("o2"),
            Events.placed("o3", member: "m1"),
            Events.failed("o3", reason: "no milk"),
        ]
        let atOnce = try NotificationHarness(clock: { 1_700_000_000_123 })
        for (offset, event) in events.enumerated() { try atOnce.consume(event, offset: Int64(offset)) }
        // Outcomes first, then orders, then the member: everything waits, then is delivered.
        let waited = try NotificationHarness(clock: { 1_700_000_000_123 })
        for (offset, index) in [2, 4, 6, 1, 3, 5, 0].enumerated() { try waited.consume(events[index], offset: Int64(offset)) }

        func byEvent(_ h: NotificationHarness) throws -> [String: NSDictionary] {
            var result: [String: NSDictionary] = [:]
            for var item in try h.notifications() {
                item["notificationId"] = nil
                result[try #require(item["eventId"] as? String)] = item as NSDictionary
            }
            return result
        }
        let a = try byEvent(atOnce), b = try byEvent(waited)
        #expect(a.count == 6)
        #expect(Set(a.keys) == Set(b.keys))
        for (eventId, item) in a {
            #expect(item.isEqual(to: b[eventId] as? [AnyHashable: Any] ?? [:]), "\(item) vs \(String(describing: b[eventId]))")
            #expect(item["status"] as? String == "delivered")
        }
        for h in [atOnce, waited] {
            #expect(try h.db.scalar("SELECT COUNT(*) FROM notifications WHERE status = 'waiting'") == 0)
            #expect(try h.db.scalar("SELECT COUNT(*) FROM notifications WHERE status = 'delivered' AND sink_written = 0") == 6)
            #expect(h.context.metrics.value(NotificationMetrics.delivered) == 6)
            #expect(h.log.messages(at: "INFO").count == 6)
        }
    }

    @Test func metricsAreLoadedFromTheDatabaseAtStart() throws {
        let h = try NotificationHarness()
        try h.consume(Events.member("m1"))
        try h.consume(Events.placed("o1", member: "m1"))
        try h.consume(Events.ready("o2"))
        let restarted = try NotificationHarness(db: h.db)
        try restarted.service.startWorkers(context: restarted.context)
        defer { restarted.service.stopWorkers() }
        #expect(restarted.context.metrics.value(NotificationMetrics.delivered) == 1)
        #expect(restarted.context.metrics.value(NotificationMetrics.waiting) == 1)
        #expect(restarted.context.metrics.render().contains("notifications_delivered_total 1"))
    }
}

/// All orderings of `items`.
func permutations<T>(of items: [T]) -> [[T]] {
    guard items.count > 1 else { return [items] }
    var result: [[T]] = []
    for (index, item) in items.enumerated() {
        var rest = items
        rest.remove(at: index)
        for tail in permutations(of: rest) { result.append([item] + tail) }
    }
    return result
}
