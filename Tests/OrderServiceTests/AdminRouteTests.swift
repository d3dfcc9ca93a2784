import Testing
import Foundation
import EventContracts
import ServiceKit
import SQLite
@testable import OrderService

@Suite struct AdminRouteTests {
    @Test func snapshotShape() throws {
        let h = try OrderServiceHarness()
        let empty = h.get("/admin/snapshot")
        #expect(empty.status == 200)
        #expect(empty.text == #"{"orders":[],"members":0,"outboxPending":0}"#)

        let member = try h.registerMember()
        _ = try h.registerMember(name: "Bo", email: "bo@x.io")
        let a = try h.placeOrder(memberId: member)
        h.clock.advance(10)
        let b = try h.placeOrder(memberId: member)
        try h.deliver(Barista.brewing(a))
        try h.deliver(Barista.ready(a))
        #expect(h.post("/orders/\(a)/pickup").status == 200)
        #expect(h.post("/orders/\(b)/cancel").status == 202)

        let snapshot = h.get("/admin/snapshot")
        #expect(snapshot.status == 200)
        #expect(snapshot.int("members") == 2)
        // 2 MemberRegistered, 2 OrderPlaced, 1 OrderPickedUp, 1 OrderCancellationRequested.
        #expect(snapshot.int("outboxPending") == 6)
        let orders = snapshot.array("orders")
        #expect(orders.count == 2)
        let first = try #require(orders.first)
        #expect(Set(first.keys) == ["orderId", "memberId", "status", "placedAtMs", "readyAtMs", "cancellationRequested", "historyStatuses"])
        #expect(first["orderId"] as? String == a)
        #expect(first["memberId"] as? String == member)
        #expect(first["status"] as? String == "COMPLETED")
        #expect(first["placedAtMs"] as? Int == 1_741_939_542_918)
        #expect(first["readyAtMs"] as? Int == 1_741_939_560_250)
        #expect(first["cancellationRequested"] as? Bool == false)
        #expect(first["historyStatuses"] as? [String] == ["PLACED", "BREWING", "READY", "COMPLETED"])
        let second = try #require(orders.last)
        #expect(second["orderId"] as? String == b)
        #expect(second["status"] as? String == "PLACED")
        #expect(second["readyAtMs"] is NSNull)
        #expect(second["cancellationRequested"] as? Bool == true)
        #expect(second["historyStatuses"] as? [String] == ["PLACED"])

        // Sent rows no longer count as pending.
        let ids = try Outbox.pending(limit: 100, in: h.db).prefix(4).map(\.id)
        try Outbox.markSent(ids: Array(ids), in: h.db)
        #expect(h.get("/admin/snapshot").int("outboxPending") == 2)
    }

    @Test func stats() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let a = try h.placeOrder(memberId: member)
        _ = try h.placeOrder(memberId: member)
        try h.deliver(Barista.brewing(a))
        let stats = h.get("/admin/stats")
        #expect(stats.status == 200)
        #expect(stats.int("orders") == 2)
        #expect(stats.int("members") == 1)
        #expect(stats.int("outboxPending") == 3)
        let byStatus = stats.json["byStatus"] as? [String: Int]
        #expect(byStatus == ["PLACED": 1, "BREWING": 1, "READY": 0, "COMPLETED": 0, "CANCELLED": 0, "FAILED": 0])
    }
}

@Suite struct ServiceDefinitionTests {
    @Test func identityTopicsAndMigrations() throws {
        let service = OrderService()
        #expect(service.name == "order-service")
        #expect(service.consumedTopics == [.barista])
        #expect(service.migrations.allSatisfy { $0.version >= ServiceKitMigrations.firstServiceVersion })
        let db = try Database.inMemory()
        let all = try ServiceKitMigrations.including(service.migrations)
        #expect(try db.migrate(all) == all.count)
        #expect(try db.migrate(all) == 0)
        let tables = try db.query("SELECT name FROM sqlite_schema WHERE type = 'table'").map { try $0.text("name") }
        for table in ["members", "orders", "order_items", "order_history", "idempotency_keys"] {
            #expect(tables.contains(table))
        }
    }

    @Test func settingsFromEnvironment() throws {
        let defaults = try OrderServiceSettings.fromEnvironment { _ in nil }
        #expect(defaults.idempotencyRetentionMillis == 24 * 3_600_000)
        #expect(defaults.menu == .standard)
        let blank = try OrderServiceSettings.fromEnvironment { _ in " " }
        #expect(blank.idempotencyRetentionMillis == 24 * 3_600_000)
        let two = try OrderServiceSettings.fromEnvironment { $0 == "ORDER_IDEMPOTENCY_RETENTION_HOURS" ? "2" : nil }
        #expect(two.idempotencyRetentionMillis == 7_200_000)
        for bad in ["0", "-1", "abc", "8761", "1.5"] {
            #expect(throws: OrderServiceSettingsError(
                variable: "ORDER_IDEMPOTENCY_RETENTION_HOURS", value: bad, expected: "an integer in 1...8760 (hours)")) {
                _ = try OrderServiceSettings.fromEnvironment { _ in bad }
            }
        }
    }

    @Test func defaultIdsAreDistinctLowercaseUUIDs() {
        let settings = OrderServiceSettings()
        let a = settings.newId(), b = settings.newId()
        #expect(a != b)
        #expect(a == a.lowercased())
        #expect(UUID(uuidString: a) != nil)
        #expect(abs(settings.nowMillis() - Int64(Date().timeIntervalSince1970 * 1000)) < 60_000)
    }
}

@Suite struct FormatTests {
    @Test func fnv1a64KnownVectors() {
        // Published FNV-1a 64 test vectors.
        #expect(RequestHash.fnv1a64("".utf8) == 0xcbf2_9ce4_8422_2325)
        #expect(RequestHash.fnv1a64("a".utf8) == 0xaf63_dc4c_8601_ec8c)
        #expect(RequestHash.fnv1a64("foobar".utf8) == 0x8594_4171_f739_67e8)
        // The fingerprint is the hash of the canonical text, zero-padded to 16 hex digits.
        #expect(RequestHash.fnv1a64("{}".utf8) == 0x08f4_4b07_b590_1a25)
        #expect(RequestHash.fingerprint(.object([])) == "fnv1a64:08f44b07b5901a25")
    }

    @Test func fingerprintIgnoresFormattingButNotContent() throws {
        let a = try OrderRequest.parse(Array(#"{"memberId":"m","items":[{"drink":"latte","size":"small","quantity":1}]}"#.utf8), menu: .standard)
        let b = try OrderRequest.parse(Array(#"{ "items": [ {"quantity": 1, "size": "Small", "drink": " LATTE "} ], "memberId": " m " }"#.utf8), menu: .standard)
        let c = try OrderRequest.parse(Array(#"{"memberId":"m","items":[{"drink":"latte","size":"small","quantity":2}]}"#.utf8), menu: .standard)
        #expect(a == b)
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.fingerprint != c.fingerprint)
        #expect(a.canonicalJSON.text == #"{"memberId":"m","items":[{"drink":"latte","size":"small","quantity":1}]}"#)
    }

    @Test func jsonTextEscapes() {
        let value = JSONValue.object([("a\"b", .string("line\nbreak\\")), ("n", .null), ("t", .bool(true)), ("i", .int(-5)),
                                      ("list", .array([.integer(1), .optional(nil as String?), .optional(Int64(2))]))])
        #expect(value.text == #"{"a\"b":"line\nbreak\\","n":null,"t":true,"i":-5,"list":[1,null,2]}"#)
    }
}
