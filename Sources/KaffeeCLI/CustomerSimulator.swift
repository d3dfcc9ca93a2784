import EventContracts
import Foundation
import HTTPClient
import Net
import SystemIO
import Synchronization

/// The demo's customers: registers members and places orders through the order-service's HTTP
/// API at a fixed rate from several threads — a mix of drinks and sizes, some orders for a drink
/// the barista cannot make, some cancelled right after placing, some POSTed twice with the same
/// `Idempotency-Key` to prove the retry is safe. Deterministic for a given seed.
final class CustomerSimulator: Sendable {
    struct Settings: Sendable {
        var orders: Int
        var ratePerSecond: Int
        var members: Int
        var cancelPercent: Int
        var unavailablePercent: Int
        var replayPercent: Int
        var seed: UInt64
        var threads: Int
    }

    /// Counters shared by the customer threads.
    struct Tally: Sendable {
        var placed = 0
        var rejected = 0
        var errors: [String] = []
        var cancelRequests = 0
        var replays = 0
        var replaysMatched = 0
        var placedOrderIds: [String] = []
        var firstPlacedMs: Int64 = .max
        var lastPlacedMs: Int64 = 0
    }

    let settings: Settings
    let orderService: HostPort
    let tally = Locked(Tally())
    private let next = Atomic<Int>(0)

    init(settings: Settings, orderService: HostPort) {
        self.settings = settings
        self.orderService = orderService
    }

    /// Registers `settings.members` members; returns their ids.
    func registerMembers() throws(CLIError) -> [String] {
        let client = HTTPClient(server: orderService)
        defer { client.close() }
        let names = ["Ana", "Ben", "Chloé", "Dev", "Eun-ji", "Farah", "Goran", "Hana", "Iker", "Jun", "Kofi", "Lena"]
        var ids: [String] = []
        for i in 0..<settings.members {
            let name = "\(names[i % names.count]) \(i)"
            let body = "{\"name\":\(jsonString(name)),\"email\":\"customer\(i)@example.com\"}"
            do {
                let response = try client.postJSON("/members", body)
                guard response.status == 201, let id = Self.field("memberId", in: response.body) else {
                    throw CLIError.failed("registering a member: HTTP \(response.status): \(response.text.prefix(200))")
                }
                ids.append(id)
            } catch let error as CLIError {
                throw error
            } catch {
                throw .failed("registering a member: \(error)")
            }
        }
        return ids
    }

    /// Places every order at the configured rate, from `settings.threads` threads; returns when
    /// all were placed (or Ctrl-C).
    func placeOrders(members: [String]) throws(CLIError) {
        let latch = Locked(0)
        let start = DispatchTime.now().uptimeNanoseconds
        for t in 0..<settings.threads {
            do {
                try SystemThread.spawn(name: "customer-\(t)") { [self] in
                    customerLoop(members: members, start: start)
                    latch.withLock { $0 += 1 }
                }
            } catch {
                throw .failed("cannot start customer threads: \(error)")
            }
        }
        while latch.withLock({ $0 }) < settings.threads { usleep(10_000) }
    }

    private func customerLoop(members: [String], start: UInt64) {
        let client = HTTPClient(server: orderService)
        defer { client.close() }
        let interval = 1_000_000_000 / UInt64(max(1, settings.ratePerSecond))
        while !Interruption.shared.isRequested {
            let index = next.add(1, ordering: .relaxed).oldValue
            guard index < settings.orders else { return }
            let due = start + UInt64(index) * interval
            let now = DispatchTime.now().uptimeNanoseconds
            if due > now { usleep(UInt32(min(1_000_000, (due - now) / 1000))) }
            placeOne(index: index, members: members, client: client)
        }
    }

    private func placeOne(index: Int, members: [String], client: HTTPClient) {
        var random = SeededRandom(seed: settings.seed &+ UInt64(index) &* 7919)
        let member = members[Int.random(in: 0..<members.count, using: &random)]
        let drinks = Menu.standard.drinks.map(\.name).filter { $0 != "affogato" }
        var items: [String] = []
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let drink = random.chance(settings.unavailablePercent) ? "affogato" : drinks[Int.random(in: 0..<drinks.count, using: &random)]
            let size = ["small", "medium", "large"][Int.random(in: 0..<3, using: &random)]
            items.append("{\"drink\":\(jsonString(drink)),\"size\":\"\(size)\",\"quantity\":\(Int.random(in: 1...2, using: &random))}")
        }
        let body = "{\"memberId\":\(jsonString(member)),\"items\":[\(items.joined(separator: ","))]}"
        let key = "demo-\(settings.seed)-\(index)"
        let response: HTTPClientResponse
        do {
            response = try client.postJSON("/orders", body, headers: [("Idempotency-Key", key)])
        } catch {
            tally.withLock { $0.errors.append("order \(index): \(error)") }
            return
        }
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        guard response.status == 201 || response.status == 200, let orderId = Self.field("orderId", in: response.body) else {
            tally.withLock {
                $0.rejected += 1
                if $0.errors.count < 20 { $0.errors.append("order \(index): HTTP \(response.status) \(response.text.prefix(200))") }
            }
            return
        }
        tally.withLock {
            $0.placed += 1
            $0.placedOrderIds.append(orderId)
            $0.firstPlacedMs = min($0.firstPlacedMs, nowMs)
            $0.lastPlacedMs = max($0.lastPlacedMs, nowMs)
        }
        if random.chance(settings.replayPercent) {
            // A client retry of the same POST: must return the same order, not a second one.
            let again = try? client.postJSON("/orders", body, headers: [("Idempotency-Key", key)])
            let matched = again.flatMap { Self.field("orderId", in: $0.body) } == orderId
            tally.withLock {
                $0.replays += 1
                if matched { $0.replaysMatched += 1 }
            }
        }
        if random.chance(settings.cancelPercent) {
            _ = try? client.postJSON("/orders/\(orderId)/cancel", "{\"reason\":\"changed my mind\"}")
            tally.withLock { $0.cancelRequests += 1 }
        }
    }

    /// A top-level string field of a JSON object body. A single scan finds plain (escape-free)
    /// values, which is what the order-service sends; anything else is left to
    /// `JSONSerialization` (a full parse costs the load generator more than the request).
    static func field(_ name: String, in body: [UInt8]) -> String? {
        if let value = scanTopLevelString(Array(name.utf8), in: body) { return value }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        return object[name] as? String
    }

    /// The value of member `name` of the top-level object when it is a string without escapes;
    /// nil otherwise (absent, another type, escaped, or not an object). Tracks strings and
    /// nesting, so a member of the same name in a nested object is never taken.
    static func scanTopLevelString(_ name: [UInt8], in body: [UInt8]) -> String? {
        var depth = 0
        var index = 0
        var expectingKey = false
        while index < body.count {
            let byte = body[index]
            switch byte {
            case UInt8(ascii: "{"):
                depth += 1
                expectingKey = depth == 1
                index += 1
            case UInt8(ascii: "["):
                depth += 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                index += 1
            case UInt8(ascii: ","):
                expectingKey = depth == 1
                index += 1
            case UInt8(ascii: "\""):
                // A string: find its end (skipping escapes).
                let start = index + 1
                var end = start
                var escaped = false
                while end < body.count, body[end] != UInt8(ascii: "\"") {
                    if body[end] == UInt8(ascii: "\\") {
                        escaped = true
                        end += 1
                    }
                    end += 1
                }
                guard end < body.count else { return nil }
                let isKey = expectingKey
                expectingKey = false
                index = end + 1
                guard isKey, !escaped, body[start..<end].elementsEqual(name) else { continue }
                // The key we want: skip the colon, then the value must be an escape-free string.
                while index < body.count, body[index] == UInt8(ascii: " ") || body[index] == UInt8(ascii: ":") { index += 1 }
                guard index < body.count, body[index] == UInt8(ascii: "\"") else { return nil }
                let valueStart = index + 1
                var valueEnd = valueStart
                while valueEnd < body.count, body[valueEnd] != UInt8(ascii: "\"") {
                    if body[valueEnd] == UInt8(ascii: "\\") || body[valueEnd] < 0x20 { return nil }
                    valueEnd += 1
                }
                guard valueEnd < body.count else { return nil }
                return String(validating: body[valueStart..<valueEnd], as: UTF8.self)
            default:
                index += 1
            }
        }
        return nil
    }
}

/// `text` as a JSON string literal.
func jsonString(_ text: String) -> String { RecordFormatter.quote(text) }
