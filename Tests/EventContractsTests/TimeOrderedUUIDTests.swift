import Foundation
import Testing
@testable import EventContracts

/// Version-7 ids: valid UUID text, time first, ordered as made, unique.
@Suite struct TimeOrderedUUIDTests {
    /// Whether `id` is lower-case UUID text of version 7 and variant `10`.
    static func isVersion7(_ id: String) -> Bool {
        id.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil
    }

    /// Checks: the fields land where RFC 9562 puts them (48-bit ms time, version 7, 12-bit
    /// counter, variant 10, 62 random bits).
    @Test func fieldsAreWhereRFC9562PutsThem() {
        let text = TimeOrderedUUID.format(unixMillis: 0x0193_a3b4_5c6d, counter: 0xabc, randomBits: 0xffff_ffff_ffff_ffff)
        #expect(text == "0193a3b4-5c6d-7abc-bfff-ffffffffffff")
        #expect(TimeOrderedUUID.format(unixMillis: 0, counter: 0, randomBits: 0) == "00000000-0000-7000-8000-000000000000")
        #expect(UUID(uuidString: text) != nil)
    }

    /// Checks: new ids are UUIDs Foundation parses, carry the current time, and sort (as text)
    /// in the order they were made, also many within one millisecond.
    @Test func idsAreOrderedAndCarryTheTime() throws {
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let ids = (0..<20_000).map { _ in TimeOrderedUUID.next() }
        let after = Int64(Date().timeIntervalSince1970 * 1000)
        for id in ids.prefix(100) {
            #expect(Self.isVersion7(id), "\(id)")
            #expect(UUID(uuidString: id) != nil)
        }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        let first = try #require(ids.first), last = try #require(ids.last)
        let millis = { (id: String) -> Int64 in Int64(id.replacingOccurrences(of: "-", with: "").prefix(12), radix: 16) ?? -1 }
        #expect(millis(first) >= before)
        // The counter may carry the time a little ahead when more than 2,048 ids share a millisecond.
        #expect(millis(last) <= after + Int64(ids.count / 2_048) + 1)
    }

    /// Checks: a clock that stands still or steps back never makes an id that sorts before an
    /// earlier one; an exhausted counter carries into the next millisecond.
    @Test func aStillOrBackwardClockKeepsTheOrder() {
        var generator = TimeOrderedUUID.Generator()
        let now: Int64 = 1_741_939_542_918
        var ids = (0..<5_000).map { _ in generator.next(unixMillis: now) }
        #expect(generator.lastMillis > now)  // 5,000 ids cannot share one millisecond's counter
        ids += (0..<10).map { _ in generator.next(unixMillis: now - 5_000) }
        ids.append(generator.next(unixMillis: now + 1_000))
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(generator.lastMillis == now + 1_000)
    }

    /// Checks: ids made on many threads at once are all distinct.
    @Test func concurrentIdsAreDistinct() async {
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 { group.addTask { (0..<5_000).map { _ in TimeOrderedUUID.next() } } }
            var all: [String] = []
            for await part in group { all += part }
            return all
        }
        #expect(Set(ids).count == 40_000)
    }

    /// Checks: events made without an explicit id get a version-7 id.
    @Test func envelopesDefaultToTimeOrderedIds() {
        let event = EventEnvelope(payload: OrderReady(orderId: "o"))
        #expect(Self.isVersion7(event.eventId))
    }
}
