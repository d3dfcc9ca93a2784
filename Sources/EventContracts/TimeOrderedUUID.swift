import Foundation
import Synchronization

/// Time-ordered UUIDs (RFC 9562 version 7), as lower-case text: the id generator for events,
/// orders, members and correlation ids.
///
/// Layout: 48 bits of Unix milliseconds, the version nibble 7, a 12-bit counter (`rand_a`,
/// RFC 9562 §6.2 method 1: it starts at a random value below 2¹¹ in each new millisecond and
/// counts up within it), the variant bits `10` and 62 random bits (`rand_b`). Ids made by one
/// process therefore sort (as text, too) in the order they were made, which is why the
/// services use them: every table and index keyed by an id — the inbox, the outbox's event id,
/// orders, tickets, notifications — grows at its right edge, so a transaction dirties a few
/// B-tree pages instead of one random page per index per row. The ids are ordinary UUIDs for
/// every contract (`format: uuid`); nothing may rely on their order for correctness.
///
/// Uniqueness: within a process the (millisecond, counter) pair never repeats — when the
/// counter runs out within a millisecond, or the clock steps back, the timestamp is carried
/// forward instead. Across processes the 62 random bits (plus the random counter start) make a
/// collision as unlikely as between two random (version 4) UUIDs made in the same millisecond.
/// The random bits come from a xoshiro256** generator seeded once per process from the
/// system's random source (`SystemRandomNumberGenerator`), so making an id costs no system call.
///
/// Thread-safe: `next()` may be called from any thread (one lock).
public enum TimeOrderedUUID {
    /// The generator's state: the last millisecond used, the counter within it, the random
    /// source. Value type; the process-wide one is behind a lock.
    struct Generator {
        private(set) var lastMillis: Int64 = 0
        private var counter: UInt16 = 0
        private var random: Xoshiro256StarStar

        init(random: Xoshiro256StarStar = Xoshiro256StarStar(seededFrom: SystemRandomNumberGenerator())) {
            self.random = random
        }

        /// A new id for `unixMillis`, or for a later millisecond should this generator have made
        /// ids for one already (ids never go backwards).
        mutating func next(unixMillis: Int64) -> String {
            if unixMillis > lastMillis {
                lastMillis = unixMillis
                counter = UInt16(truncatingIfNeeded: random.next() & 0x7ff)
            } else if counter >= 0xfff {
                // Counter exhausted in this millisecond (or the clock went back): carry on in the next.
                lastMillis += 1
                counter = UInt16(truncatingIfNeeded: random.next() & 0x7ff)
            } else {
                counter += 1
            }
            return TimeOrderedUUID.format(unixMillis: lastMillis, counter: counter, randomBits: random.next())
        }
    }

    private static let shared = Mutex(Generator())

    /// A new id for now (the wall clock).
    public static func next() -> String {
        let now = wallClockMillis()
        return shared.withLock { $0.next(unixMillis: now) }
    }

    /// The text of the version-7 UUID with these fields (`counter`: the low 12 bits are used;
    /// `randomBits`: the low 62 bits are used). Pure; exposed for tests.
    static func format(unixMillis: Int64, counter: UInt16, randomBits: UInt64) -> String {
        let time = UInt64(bitPattern: unixMillis) & 0xffff_ffff_ffff
        let high = (time << 16) | 0x7000 | UInt64(counter & 0xfff)
        let low = (0b10 << 62) | (randomBits & 0x3fff_ffff_ffff_ffff)
        return String(unsafeUninitializedCapacity: 36) { buffer in
            let hex: StaticString = "0123456789abcdef"
            var position = 0
            func put(_ value: UInt64, nibbles: Int) {
                var shift = (nibbles - 1) * 4
                while shift >= 0 {
                    buffer[position] = hex.utf8Start[Int((value >> UInt64(shift)) & 0xf)]
                    position += 1
                    shift -= 4
                }
            }
            func dash() {
                buffer[position] = UInt8(ascii: "-")
                position += 1
            }
            put(high >> 32, nibbles: 8)
            dash()
            put((high >> 16) & 0xffff, nibbles: 4)
            dash()
            put(high & 0xffff, nibbles: 4)
            dash()
            put(low >> 48, nibbles: 4)
            dash()
            put(low & 0xffff_ffff_ffff, nibbles: 12)
            return position
        }
    }

    /// The wall clock in Unix milliseconds.
    static func wallClockMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}

/// xoshiro256** (Blackman and Vigna): a small, fast generator of 64-bit values with a period of
/// 2²⁵⁶ − 1. Not for secrets; here it spreads the random bits of ids. Value type.
struct Xoshiro256StarStar: RandomNumberGenerator {
    private var s0, s1, s2, s3: UInt64

    /// A generator seeded with 256 bits from `source` (never the all-zero state).
    init<Source: RandomNumberGenerator>(seededFrom source: Source) {
        var source = source
        s0 = source.next()
        s1 = source.next()
        s2 = source.next()
        s3 = source.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9e37_79b9_7f4a_7c15 }
    }

    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }
}
