import Testing
import Foundation
import EventContracts
@testable import OrderService

@Suite struct IdempotencyTests {
    @Test func sameKeySameBodyReplaysWithoutASecondOrderOrEvent() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let key = [("Idempotency-Key", "order-42")]
        let first = h.post("/orders", OrderServiceHarness.orderBody(memberId: member), headers: key)
        #expect(first.status == 201)
        #expect(first.headers["Idempotent-Replayed"] == nil)
        let after = try h.counts()
        #expect(after.keys == 1)

        // Same request, other whitespace, key order and an extra field: still the same request.
        h.clock.advance(5_000)
        let body = #"{ "items" : [ { "quantity": 1, "size": "medium", "drink": "latte" } ], "memberId": "\#(member)", "x": 1 }"#
        let replay = h.post("/orders", body, headers: key)
        #expect(replay.status == 200)
        #expect(replay.headers["Idempotent-Replayed"] == "true")
        #expect(replay.string("orderId") == first.string("orderId"))
        #expect(replay.text == first.text)
        #expect(try h.counts() == after)
        #expect(try h.published().filter { $0.event.type == "OrderPlaced" }.count == 1)
    }

    @Test func replayShowsTheOrderAsItIsNow() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let key = [("Idempotency-Key", "k")]
        let orderId = try #require(h.post("/orders", OrderServiceHarness.orderBody(memberId: member), headers: key).string("orderId"))
        try h.deliver(Barista.brewing(orderId))
        let replay = h.post("/orders", OrderServiceHarness.orderBody(memberId: member), headers: key)
        #expect(replay.status == 200)
        #expect(replay.string("status") == "BREWING")
    }

    @Test func sameKeyDifferentBodyIs422AndWritesNothing() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let key = [("Idempotency-Key", "order-42")]
        #expect(h.post("/orders", OrderServiceHarness.orderBody(memberId: member), headers: key).status == 201)
        let before = try h.counts()
        for body in [OrderServiceHarness.orderBody(memberId: member, quantity: 2),
                     OrderServiceHarness.orderBody(memberId: member, drink: "tea"),
                     OrderServiceHarness.orderBody(memberId: member, size: "large")] {
            let response = h.post("/orders", body, headers: key)
            #expect(response.status == 422)
            #expect(response.error == "idempotency key reused with a different request")
        }
        let other = try h.registerMember(name: "Bo", email: "bo@x.io")
        let before2 = try h.counts()
        let response = h.post("/orders", OrderServiceHarness.orderBody(memberId: other), headers: key)
        #expect(response.status == 422)
        #expect(try h.counts() == before2)
        #expect(before2.orders == before.orders)
    }

    @Test func differentKeysMakeDifferentOrders() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let a = h.post("/orders", OrderServiceHarness.orderBody(memberId: member), headers: [("Idempotency-Key", "a")])
        let b = h.post("/orders", OrderServiceHarness.orderBody(memberId: member), headers: [("Idempotency-Key", "b")])
        let none = h.post("/orders", OrderServiceHarness.orderBody(memberId: member))
        #expect([a.status, b.status, none.status] == [Int]([201, 201, 201]))
        #expect(Set([a.string("orderId"), b.string("orderId"), none.string("orderId")]).count == 3)
        #expect(try h.counts().keys == 2)
    }

    @Test func anExpiredKeyIsFreeAgain() throws {
        let h = try OrderServiceHarness(retentionMillis: 60_000)
        let member = try h.registerMember()
        let key = [("Idempotency-Key", "k")]
        let first = h.post("/orders", OrderServiceHarness.orderBody(memberId: member), headers: key)
        h.clock.advance(60_000)
        let second = h.post("/orders", OrderServiceHarness.orderBody(memberId: member, quantity: 3), headers: key)
        #expect(second.status == 201)
        #expect(second.string("orderId") != first.string("orderId"))
        #expect(try h.counts().keys == 1)
    }

    @Test func expiredKeysArePurged() throws {
        let h = try OrderServiceHarness(retentionMillis: 60_000)
        let member = try h.registerMember()
        for index in 0..<3 {
            _ = h.post("/orders", OrderServiceHarness.orderBody(memberId: member), headers: [("Idempotency-Key", "k\(index)")])
        }
        #expect(try h.counts().keys == 3)
        h.clock.advance(OrderService.purgeIntervalMillis)
        _ = h.post("/orders", OrderServiceHarness.orderBody(memberId: member))
        #expect(try h.counts().keys == 0)
        #expect(try h.counts().orders == 4)
    }

    @Test(arguments: ["", "   ", String(repeating: "k", count: 201), "a\u{1}b"])
    func badKeysAre400(key: String) throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let before = try h.counts()
        let response = h.post("/orders", OrderServiceHarness.orderBody(memberId: member), headers: [("Idempotency-Key", key)])
        #expect(response.status == 400)
        #expect(response.error == "Idempotency-Key must be 1...200 visible characters")
        #expect(try h.counts() == before)
    }

    @Test func aKeyOf200CharactersIsAccepted() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let response = h.post("/orders", OrderServiceHarness.orderBody(memberId: member),
                              headers: [("Idempotency-Key", String(repeating: "k", count: 200))])
        #expect(response.status == 201)
    }

    @Test func concurrentRetriesWithOneKeyMakeOneOrder() async throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let body = OrderServiceHarness.orderBody(memberId: member)
        let statuses: [Int] = await withCheckedContinuation { continuation in
            let results = ResultCollector(expected: 8) { continuation.resume(returning: $0) }
            for _ in 0..<8 {
                // Real threads: the router blocks on the database lock, which must not happen
                // on Swift concurrency's cooperative pool.
                Thread.detachNewThread {
                    results.add(h.post("/orders", body, headers: [("Idempotency-Key", "same")]).status)
                }
            }
        }
        #expect(statuses.sorted() == [200, 200, 200, 200, 200, 200, 200, 201])
        #expect(try h.counts().orders == 1)
        #expect(try h.published().filter { $0.event.type == "OrderPlaced" }.count == 1)
    }
}

/// Collects `expected` values from any threads, then hands them over once.
final class ResultCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int] = []
    private let expected: Int
    private let done: @Sendable ([Int]) -> Void

    init(expected: Int, done: @escaping @Sendable ([Int]) -> Void) {
        self.expected = expected
        self.done = done
    }

    func add(_ value: Int) {
        lock.lock()
        values.append(value)
        let finished = values.count == expected ? values : nil
        lock.unlock()
        if let finished { done(finished) }
    }
}
