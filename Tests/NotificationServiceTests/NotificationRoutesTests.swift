import Foundation
import Testing
import EventContracts
import HTTPServer
import NotificationService

@Suite struct NotificationRoutesTests {
    /// Two members, three orders, one order never placed.
    func populated() throws -> NotificationHarness {
        let h = try NotificationHarness()
        try h.consume(Events.member("m1", name: "Ana"))
        try h.consume(Events.member("m2", name: "Bo", email: "bo@example.com"))
        try h.consume(Events.placed("o1", member: "m1"))
        try h.consume(Events.ready("o1"))
        try h.consume(Events.placed("o2", member: "m2"))
        try h.consume(Events.cancelled("o2"))
        try h.consume(Events.placed("o3", member: "m1"))
        try h.consume(Events.ready("o4"))  // never placed: waits
        return h
    }

    @Test func filtersByMemberOrderAndStatus() throws {
        let h = try populated()
        #expect(try h.notifications("/notifications").count == 6)
        let m1 = try h.notifications("/notifications?memberId=m1")
        #expect(m1.map { $0["orderId"] as? String } == ["o1", "o1", "o3"])
        let o2 = try h.notifications("/notifications?orderId=o2")
        #expect(o2.map { $0["kind"] as? String } == ["received", "cancelled"])
        #expect(o2.allSatisfy { $0["recipient"] as? String == "bo@example.com" })
        let waiting = try h.notifications("/notifications?status=waiting")
        #expect(waiting.map { $0["orderId"] as? String } == ["o4"])
        #expect(try h.notifications("/notifications?status=delivered").count == 5)
        #expect(try h.notifications("/notifications?memberId=m1&orderId=o3&status=delivered").count == 1)
        #expect(try h.notifications("/notifications?memberId=nobody").isEmpty)
        #expect(try h.notifications("/notifications?memberId=&orderId=").count == 6)  // empty = absent
    }

    @Test func limitAndAfterIdPage() throws {
        let h = try populated()
        let first = try h.notifications("/notifications?limit=2")
        #expect(first.count == 2)
        let lastId = try #require(first.last?["notificationId"] as? Int)
        let rest = try h.notifications("/notifications?afterId=\(lastId)&limit=10000")
        #expect(rest.count == 4)
        let ids = (first + rest).compactMap { $0["notificationId"] as? Int }
        #expect(ids == ids.sorted() && Set(ids).count == 6)
    }

    @Test func malformedParametersAre400() throws {
        let h = try populated()
        for target in ["/notifications?limit=0", "/notifications?limit=10001", "/notifications?limit=ten",
                       "/notifications?status=sent", "/notifications?afterId=x"] {
            let (status, json) = try h.get(target)
            #expect(status == 400, "\(target)")
            #expect(json["error"] is String, "\(target)")
        }
        let post = h.router.handle(HTTPRequest(method: "POST", target: "/notifications"))
        #expect(post.status == 405)
    }

    @Test func onlyTheFeedWithoutAddressesIsReadableFromOtherOrigins() throws {
        // The coffee board's page (another origin) reads the feed in the browser; the full list,
        // with recipients' addresses, is not shared.
        let h = try populated()
        for target in ["/notifications/feed?afterId=0&limit=50", "/notifications/feed?limit=0"] {
            let response = h.router.handle(HTTPRequest(method: "GET", target: target))
            #expect(response.headers["Access-Control-Allow-Origin"] == "*", "\(target)")
            #expect(response.headers["Access-Control-Allow-Credentials"] == nil)
            #expect(!String(decoding: response.body, as: UTF8.self).contains("recipient"))
        }
        let feed = h.router.handle(HTTPRequest(method: "GET", target: "/notifications/feed"))
        let text = String(decoding: feed.body, as: UTF8.self)
        #expect(text.contains("\"notificationId\"") && !text.contains("@"), "no e-mail addresses in \(text)")
        let full = h.router.handle(HTTPRequest(method: "GET", target: "/notifications"))
        #expect(full.headers["Access-Control-Allow-Origin"] == nil)
        let admin = h.router.handle(HTTPRequest(method: "GET", target: "/admin/stats"))
        #expect(admin.headers["Access-Control-Allow-Origin"] == nil)
        let bad = h.router.handle(HTTPRequest(method: "GET", target: "/notifications/feed?limit=x"))
        #expect(bad.status == 400 && bad.headers["Access-Control-Allow-Origin"] == "*")
    }

    @Test func snapshotHasTheVerifiersShape() throws {
        let h = try populated()
        let snapshot = try h.snapshot()
        #expect(snapshot["contacts"] as? Int == 2)
        #expect(snapshot["waiting"] as? Int == 1)
        #expect(snapshot["delivered"] as? Int == 5)
        #expect(snapshot["outboxPending"] as? Int == 0)
        let list = try #require(snapshot["notifications"] as? [[String: Any]])
        #expect(list.count == 6)
        let keys: Set<String> = ["notificationId", "eventId", "eventType", "kind", "orderId", "memberId", "status",
                                 "createdAt", "createdAtMs", "deliveredAt", "deliveredAtMs", "eventOccurredAtMs"]
        #expect(list.allSatisfy { Set($0.keys) == keys })
        let waiting = try #require(list.first { $0["status"] as? String == "waiting" })
        #expect(waiting["orderId"] as? String == "o4")
        #expect(waiting["deliveredAtMs"] is NSNull)
    }

    @Test func statsCountByKind() throws {
        let h = try populated()
        let (status, stats) = try h.get("/admin/stats")
        #expect(status == 200)
        #expect(stats["contacts"] as? Int == 2)
        #expect(stats["orders"] as? Int == 3)
        #expect(stats["waiting"] as? Int == 1)
        #expect(stats["delivered"] as? Int == 5)
        #expect(stats["sinkUnwritten"] as? Int == 5)
        let byKind = try #require(stats["byKind"] as? [String: Int])
        #expect(byKind == ["received": 3, "ready": 2, "cancelled": 1, "failed": 0])
    }
}
