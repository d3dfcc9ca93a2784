/// Reads a zstd backward bitstream (RFC 8878 §4.1, §4.2.2, §3.1.1.3.2.1): the stream is
/// written forwards and read from its last byte towards its first. The last byte's highest set
/// bit is an end marker (a last byte of 0 is invalid); the bits below it are read first, from
/// the most significant down.
///
/// Invariants: `container` holds the 8 bytes at `offset` (little-endian) when the stream has
/// 8 or more bytes, otherwise the whole stream zero-extended with `consumed` counting the
/// padding; `offset` only decreases and stays in `0...count - 8` (or 0), so every load is in
/// bounds by construction. Reading past the start yields unspecified bits instead of trapping;
/// callers detect it through ``bitsRemaining`` (negative once overread) and reject the input.
/// The reader borrows memory: use it only inside the `withUnsafeBufferPointer` that made it.
/// Thread-safety: a plain value; not shared.
struct ZstdReverseBitReader {
    private let base: UnsafeRawPointer
    private var offset: Int
    private var container: UInt64
    /// Bits already read from the top of `container` (may exceed 64 once overread).
    private var consumed: Int

    /// Starts reading `stream`; throws when it is empty or its last byte has no end marker.
    init(_ stream: UnsafeBufferPointer<UInt8>, what: String) throws(CompressionError) {
        guard let start = stream.baseAddress, let last = stream.last else {
            throw .truncated("zstd \(what) bitstream is empty")
        }
        guard last != 0 else { throw .malformed("zstd \(what) bitstream has no end marker") }
        base = UnsafeRawPointer(start)
        let markerAndPadding = last.leadingZeroBitCount + 1
        if stream.count >= 8 {
            offset = stream.count - 8
            container = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            consumed = markerAndPadding
        } else {
            offset = 0
            var value: UInt64 = 0
            for (index, byte) in stream.enumerated() {
                value |= UInt64(byte) &<< (8 * index)
            }
            container = value
            consumed = markerAndPadding + (8 - stream.count) * 8
        }
    }

    /// Bits not yet read; negative once the reader went past the start of the stream.
    var bitsRemaining: Int { 64 - consumed + offset * 8 }

    /// Returns the next `count` bits (0...57 after a ``reload()``; 0 yields 0).
    @inline(__always)
    mutating func read(_ count: Int) -> UInt64 {
        let value = peek(count)
        consumed += count
        return value
    }

    /// The next `count` bits (1...57), without consuming them.
    @inline(__always)
    func peek(_ count: Int) -> UInt64 {
        // Shifting by one first keeps `count == 0` at 0 without an out-of-range shift.
        ((container &<< UInt64(truncatingIfNeeded: consumed)) &>> 1) &>> UInt64(truncatingIfNeeded: 63 &- count)
    }

    /// Marks `count` bits as read (after a ``peek(_:)``).
    @inline(__always)
    mutating func skip(_ count: Int) {
        consumed += count
    }

    /// Refills the container so that at least 57 bits are available (fewer near the start).
    @inline(__always)
    mutating func reload() {
        guard consumed <= 64 else { return }  // overread: stays overread
        let bytes = min(consumed >> 3, offset)
        guard bytes > 0 else { return }
        offset -= bytes
        consumed -= bytes << 3
        container = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
