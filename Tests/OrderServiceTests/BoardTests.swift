import EventContracts
import HTTPServer
import SQLite
import Synchronization
import Testing
@testable import OrderService

/// The coffee board without sockets: what the tracker reads, how snapshots differ, and that
/// the page escapes every piece of data.
@Suite struct BoardTests {
    private func read(_ h: OrderServiceHarness, after previous: BoardSnapshot? = nil) throws -> BoardSnapshot {
        try h.db.transaction { db in
            let tracker = BoardTracker(store: OrderStore(db: db))
            if let previous { return try tracker.next(after: previous, nowMs: h.clock.now) }
            return try tracker.initial(nowMs: h.clock.now)
        }
    }

    @Test func htmlEscapingCoversTheFiveSignificantCharacters() {
        #expect(HTMLText.escaped(#"<script>alert("x") & 'y'</script>"#)
            == "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;")
        #expect(HTMLText.escaped("flat white ☕") == "flat white ☕")
    }

    @Test func initialSnapshotHasColumnsCountsBaristasAndActivity() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember(name: "Ada")
        let placed = try h.placeOrder(memberId: member)
        let brewing = try h.placeOrder(memberId: member, drink: "mocha")
        let ready = try h.placeOrder(memberId: member)
        try h.deliver(Barista.brewing(brewing))
        try h.deliver(Barista.ready(ready))

        let snapshot = try read(h)
        #expect(snapshot.version == 1)
        #expect(snapshot.column(.placed).map(\.orderId) == [placed])
        #expect(snapshot.column(.brewing).map(\.orderId) == [brewing])
        #expect(snapshot.column(.ready).map(\.orderId) == [ready])
        #expect(snapshot.queueDepth == 1)
        #expect(snapshot.counts[.brewing] == 1)
        let card = try #require(snapshot.column(.brewing).first)
        #expect(card.customer == "Ada")
        #expect(card.items == "1× medium mocha")
        #expect(card.barista == "b1")
        #expect(snapshot.baristas.map(\.name) == ["b1"])
        #expect(snapshot.baristas.first?.orders.map(\.orderId) == [brewing])
        #expect(snapshot.activity.map(\.status).filter { $0 == .placed }.count == 3)
        #expect(snapshot.activity.map(\.seq) == Array(1...snapshot.activity.count))
    }

    @Test func nextSnapshotMovesCardsAndAppendsActivity() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let order = try h.placeOrder(memberId: member)
        let first = try read(h)

        let unchanged = try read(h, after: first)
        #expect(unchanged.version == first.version)
        #expect(BoardChange.between(first, unchanged).upserted.isEmpty)

        try h.deliver(Barista.brewing(order))
        let second = try read(h, after: unchanged)
        #expect(second.version == 2)
        #expect(second.column(.brewing).map(\.orderId) == [order])
        let change = BoardChange.between(first, second)
        #expect(change.upserted.map(\.orderId) == [order])
        #expect(change.upserted.first?.status == .brewing)
        #expect(change.activity.map(\.status) == [.brewing])
        #expect(change.activity.first?.note == "barista: b1")
        #expect(change.activity.first?.seq == first.lastActivitySeq + 1)

        try h.deliver(Barista.ready(order))
        #expect(h.post("/orders/\(order)/pickup").status == 200)
        let third = try read(h, after: second)
        #expect(third.column(.completed).map(\.orderId) == [order])
        #expect(third.column(.brewing).isEmpty)
        #expect(BoardChange.between(second, third).activity.map(\.status) == [.ready, .completed])
    }

    @Test func anOrderPlacedAndClosedBetweenTwoReadsStillShows() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let first = try read(h)
        let order = try h.placeOrder(memberId: member, drink: "affogato")
        try h.deliver(Barista.failed(order))
        let second = try read(h, after: first)
        #expect(second.column(.failed).map(\.orderId) == [order])
        #expect(BoardChange.between(first, second).activity.map(\.status) == [.placed, .failed])
    }

    @Test func closedColumnsKeepOnlyTheNewest() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        var snapshot = try read(h)
        var cancelled: [String] = []
        for _ in 0..<(BoardTracker.closedLimit + 3) {
            let order = try h.placeOrder(memberId: member)
            try h.deliver(Barista.cancelled(order))
            cancelled.append(order)
            snapshot = try read(h, after: snapshot)
        }
        #expect(snapshot.column(.cancelled).map(\.orderId) == Array(cancelled.reversed().prefix(BoardTracker.closedLimit)))
        #expect(snapshot.counts[.cancelled] == BoardTracker.closedLimit + 3)
        #expect(snapshot.activity.count == BoardTracker.activityLimit)
        let fresh = try read(h)
        #expect(fresh.column(.cancelled).map(\.orderId) == snapshot.column(.cancelled).map(\.orderId))
    }

    @Test func changeListsCardsThatLeftTheBoard() {
        func card(_ id: String, _ status: OrderStatus) -> BoardOrder {
            BoardOrder(orderId: id, status: status, customer: "c", items: "1× small tea", placedAtMs: 0, barista: nil,
                       cancellationRequested: false, lastSeq: 1, rowId: 1)
        }
        let old = BoardSnapshot(version: 3, nowMs: 0, cards: [card("a", .completed), card("b", .placed)], counts: [:],
                                activity: [], maxRowId: 2)
        let new = BoardSnapshot(version: 4, nowMs: 5, cards: [card("b", .brewing)], counts: [.brewing: 1],
                                activity: [], maxRowId: 2)
        let change = BoardChange.between(old, new)
        #expect(change.removed == ["a"])
        #expect(change.upserted.map(\.status) == [.brewing])
        #expect(BoardJSON.change(change).text.contains(#""counts":{"PLACED":0,"BREWING":1,"READY":0"#))
    }

    @Test func pageEscapesDataAndRendersTheColumns() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember(name: "<script>alert(1)</script>")
        let order = try h.placeOrder(memberId: member)
        try h.deliver(Barista.brewing(order))
        let response = h.router.handle(HTTPRequest(method: "GET", target: "/board"))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(response.headers["Content-Security-Policy"]?.contains("default-src 'none'") == true)
        let html = String(decoding: response.body, as: UTF8.self)
        #expect(!html.contains("<script>alert(1)"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("data-order-id=\"\(order)\" data-status=\"BREWING\""))
        #expect(html.contains("<strong>b1</strong>"))
        #expect(html.contains("aria-live=\"polite\""))
        #expect(html.contains("<label for=\"order-drink\">"))
        #expect(html.contains("<option value=\"flat white\">"))
        for status in BoardSnapshot.columns { #expect(html.contains("id=\"column-\(status.rawValue)\"")) }
        #expect(!html.contains("src=\""))  // nothing loaded from elsewhere
    }

    @Test func notificationsURLAcceptsOnlyWhatACSPCanName() throws {
        let url = try #require(BoardNotificationsURL(" HTTP://Notify.Example:8082/kaffee/ "))
        #expect(url.origin == "http://notify.example:8082")
        #expect(url.base == "http://notify.example:8082/kaffee")
        #expect(BoardNotificationsURL("https://127.0.0.1")?.base == "https://127.0.0.1")
        for bad in ["ftp://host", "javascript:alert(1)", "127.0.0.1:8082", "http://", "http://user@host",
                    "http://host:0", "http://host:65536", "http://host:80x", "http://[::1]:8082", "http://a..b",
                    "http://host/?q=1", "http://host/#x", "http://host;script-src", "http://host/a b",
                    "http://host/'x'", "http://host/\"><b>"] {
            #expect(BoardNotificationsURL(bad) == nil, "\(bad)")
        }
    }

    @Test func notificationsURLSettingIsValidatedAtStart() throws {
        let name = "ORDER_BOARD_NOTIFICATIONS_URL"
        #expect(try OrderServiceSettings.fromEnvironment { _ in nil }.boardNotifications == nil)
        #expect(try OrderServiceSettings.fromEnvironment { _ in " " }.boardNotifications == nil)
        let set = try OrderServiceSettings.fromEnvironment { $0 == name ? "http://127.0.0.1:8082" : nil }
        #expect(set.boardNotifications?.origin == "http://127.0.0.1:8082")
        #expect(performing: { _ = try OrderServiceSettings.fromEnvironment { $0 == name ? "file:///etc/passwd" : nil } },
                throws: { ($0 as? OrderServiceSettingsError)?.variable == name })
    }

    @Test func pageReadsNotificationsFromTheConfiguredOrigin() throws {
        let notifications = try #require(BoardNotificationsURL("http://127.0.0.1:8082"))
        let h = try OrderServiceHarness(boardNotifications: notifications)
        let response = h.router.handle(HTTPRequest(method: "GET", target: "/board"))
        let csp = try #require(response.headers["Content-Security-Policy"])
        #expect(csp.contains("connect-src 'self' http://127.0.0.1:8082;"))
        let html = String(decoding: response.body, as: UTF8.self)
        #expect(html.contains("<h2 id=\"notifications-heading\">Notifications delivered</h2>"))
        #expect(html.contains("<ol id=\"notifications\" data-notifications-url=\"http://127.0.0.1:8082\" aria-live=\"polite\""))
        #expect(html.contains("Showing notifications needs JavaScript."))

        let unset = try OrderServiceHarness().router.handle(HTTPRequest(method: "GET", target: "/board"))
        #expect(unset.headers["Content-Security-Policy"]?.contains("connect-src 'self';") == true)
        let plain = String(decoding: unset.body, as: UTF8.self)
        #expect(plain.contains("Notifications are not connected"))
        #expect(plain.contains("<code>ORDER_BOARD_NOTIFICATIONS_URL</code>"))
        #expect(!plain.contains("<ol id=\"notifications\""))
    }

    @Test func snapshotRouteAnswersJSON() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember(name: "Bo <b>&amp;</b>")
        let order = try h.placeOrder(memberId: member)
        let response = h.get("/board/snapshot")
        #expect(response.status == 200)
        #expect(response.int("queueDepth") == 1)
        #expect(response.array("cards").first?["orderId"] as? String == order)
        #expect(response.array("cards").first?["customer"] as? String == "Bo <b>&amp;</b>")
    }

    @Test func eventsRouteIsAStream() throws {
        let h = try OrderServiceHarness()
        let response = h.router.handle(HTTPRequest(method: "GET", target: "/board/events"))
        #expect(response.eventStream != nil)
    }

    @Test func feedRereadsOnlyWhenTheGenerationMoves() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let generation = Counter()
        let feed = BoardFeed(database: h.db, changeGeneration: { generation.value }, nowMillis: { h.clock.now },
                             logger: .silent, minIntervalMillis: 0, maxIntervalMillis: 60_000)
        let first = try feed.current()
        let order = try h.placeOrder(memberId: member)
        #expect(try feed.current().version == first.version)  // no signal yet: cached
        generation.bump()
        let second = try feed.current()
        #expect(second.version == first.version + 1)
        #expect(second.column(.placed).map(\.orderId) == [order])
    }
}

/// A thread-safe counter standing in for a change generation.
final class Counter: Sendable {
    private let storage = Mutex<UInt64>(0)
    var value: UInt64 { storage.withLock { $0 } }
    func bump() { storage.withLock { $0 += 1 } }
}
