import Testing
import Foundation
import EventContracts
import ServiceKit
import SQLite
@testable import OrderService

/// SplitMix64: a small, fixed-seed generator so the property runs are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct StatusMonotonicityTests {
    /// What a step of the random walk does to one order.
    enum Step: CaseIterable {
        case brewing, ready, cancelled, failed, rejected, pickup, cancelRequest

        func event(_ orderId: String) -> CoffeeEvent? {
            switch self {
            case .brewing: Barista.brewing(orderId)
            case .ready: Barista.ready(orderId)
            case .cancelled: Barista.cancelled(orderId)
            case .failed: Barista.failed(orderId)
            case .rejected: Barista.rejected(orderId)
            case .pickup, .cancelRequest: nil
            }
        }
    }

    /// Checks the invariants of one order after a step, given its status before it.
    static func checkInvariants(_ h: OrderServiceHarness, _ orderId: String, previous: OrderStatus,
                                context: String) throws -> OrderStatus {
        let status = try #require(try h.status(orderId))
        #expect(status.rank >= previous.rank, "\(context): \(previous) → \(status)")
        if previous.isTerminal { #expect(status == previous, "\(context): left terminal \(previous) for \(status)") }
        return status
    }

    /// The statuses the history moved through rise strictly in rank and end at the status;
    /// `readyAtMs` is set exactly when the order went through READY.
    static func checkHistory(_ h: OrderServiceHarness, _ orderId: String) throws {
        let order = h.get("/orders/\(orderId)")
        let moved = try h.db.query(
            "SELECT status FROM order_history WHERE order_id = ? AND changed = 1 ORDER BY seq", .text(orderId))
            .map { try $0.text("status") }
        let ranks = moved.compactMap { OrderStatus(rawValue: $0)?.rank }
        #expect(ranks == ranks.sorted() && Set(ranks).count == ranks.count, "\(orderId): \(moved)")
        #expect(moved.last == order.string("status"))
        #expect(moved.first == "PLACED")
        let wentThroughReady = moved.contains("READY")
        #expect((order.json["readyAtMs"] as? Int != nil) == wentThroughReady, "\(orderId): \(moved)")
    }

    @Test(arguments: [UInt64(1), 42, 2_025, 0xC0FFEE])
    func randomEventSequencesNeverMoveAStatusBackwards(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        var orders: [(id: String, status: OrderStatus, delivered: [CoffeeEvent])] = []
        for _ in 0..<25 { orders.append((try h.placeOrder(memberId: member), .placed, [])) }

        for stepNumber in 0..<600 {
            let index = Int.random(in: 0..<orders.count, using: &rng)
            let orderId = orders[index].id
            let roll = Int.random(in: 0..<10, using: &rng)
            if roll < 2, let old = orders[index].delivered.randomElement(using: &rng) {
                // Redelivery of the very same record: the inbox makes it a no-op.
                #expect(try h.deliver(old) == .duplicate)
            } else if roll < 3, let old = orders[index].delivered.randomElement(using: &rng) {
                // The barista said the same thing twice (a new event id).
                let copy = Self.copy(old)
                try h.deliver(copy)
                orders[index].delivered.append(copy)
            } else {
                let step = Step.allCases.randomElement(using: &rng) ?? .ready
                if let event = step.event(orderId) {
                    try h.deliver(event)
                    orders[index].delivered.append(event)
                } else if step == .pickup {
                    let status = h.post("/orders/\(orderId)/pickup").status
                    #expect(status == 200 || status == 409)
                } else {
                    let status = h.post("/orders/\(orderId)/cancel").status
                    #expect(status == 202 || status == 409)
                }
            }
            orders[index].status = try Self.checkInvariants(
                h, orderId, previous: orders[index].status, context: "seed \(seed) step \(stepNumber)")
        }
        for order in orders { try Self.checkHistory(h, order.id) }
    }

    /// Every order of the barista's decisions, each delivered twice (once more with a new id),
    /// ends in a status reached without ever going back.
    @Test func everyPermutationOfDecisionsIsMonotonic() throws {
        let h = try OrderServiceHarness()
        let member = try h.registerMember()
        let kinds: [[Step]] = [[.brewing, .ready, .rejected, .failed], [.brewing, .ready, .cancelled, .rejected]]
        for steps in kinds {
            for permutation in Self.permutations(steps) {
                let orderId = try h.placeOrder(memberId: member)
                var status = OrderStatus.placed
                for step in permutation + permutation {
                    guard let event = step.event(orderId) else { continue }
                    try h.deliver(event)
                    status = try Self.checkInvariants(h, orderId, previous: status, context: "\(permutation)")
                }
                // The first decision among ready/cancelled/failed wins.
                let first = permutation.first { [.ready, .cancelled, .failed].contains($0) }
                let expected: OrderStatus = switch first {
                case .ready: .ready
                case .cancelled: .cancelled
                default: .failed
                }
                #expect(status == expected, "\(permutation)")
                try Self.checkHistory(h, orderId)
            }
        }
    }

    static func permutations<T>(_ items: [T]) -> [[T]] {
        guard items.count > 1 else { return [items] }
        var result: [[T]] = []
        for (index, item) in items.enumerated() {
            var rest = items
            rest.remove(at: index)
            for tail in permutations(rest) { result.append([item] + tail) }
        }
        return result
    }

    /// The same barista decision under a new event id.
    static func copy(_ event: CoffeeEvent) -> CoffeeEvent {
        let id = UUID().uuidString.lowercased()
        switch event {
        case .orderBrewingStarted(var e): e.eventId = id; return .orderBrewingStarted(e)
        case .orderReady(var e): e.eventId = id; return .orderReady(e)
        case .orderCancelled(var e): e.eventId = id; return .orderCancelled(e)
        case .orderFailed(var e): e.eventId = id; return .orderFailed(e)
        case .cancellationRejected(var e): e.eventId = id; return .cancellationRejected(e)
        default: return event
        }
    }
}
