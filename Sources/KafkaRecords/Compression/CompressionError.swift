/// Errors thrown by the pure-Swift decompressors (gzip, snappy, lz4, zstd).
///
/// Every decoder treats its input as hostile: lengths, offsets and back-references are checked
/// against bounds, and output is capped (``CompressionLimits/defaultMaxOutputSize``).
/// Thread-safety: a plain value, `Sendable`.
public enum CompressionError: Error, Equatable, Sendable {
    /// The input ended before the structure was complete.
    case truncated(String)
    /// The input is structurally invalid.
    case malformed(String)
    /// A checksum (CRC-32, xxHash32, xxHash64, length) did not match.
    case checksumMismatch(String)
    /// Decompressing would produce more than `limit` bytes.
    case outputLimitExceeded(limit: Int)
    /// The input uses a feature this decoder does not implement (e.g. an LZ4 or zstd dictionary).
    case unsupported(String)
}

/// Shared limits for the decompressors.
public enum CompressionLimits {
    /// Default cap on the decompressed size of one payload: 64 MiB.
    public static let defaultMaxOutputSize = 64 * 1024 * 1024
}

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as used by gzip.
enum CRC32IEEE {
    static let table: [UInt32] = (0..<256).map { index -> UInt32 in
        var crc = UInt32(index)
        for _ in 0..<8 {
            crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
        }
        return crc
    }

    /// Continues `crc` (a finished value, 0 to start) over `bytes`.
    static func update(_ crc: UInt32, _ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c = ~crc
        table.withUnsafeBufferPointer { table in
            for byte in bytes {
                c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8)
            }
        }
        return ~c
    }

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 { update(0, bytes) }
}

/// xxHash32, as used by the LZ4 frame format.
enum XXHash32 {
    static let p1: UInt32 = 2_654_435_761
    static let p2: UInt32 = 2_246_822_519
    static let p3: UInt32 = 3_266_489_917
    static let p4: UInt32 = 668_265_263
    static let p5: UInt32 = 374_761_393

    @inline(__always)
    static func rotl(_ x: UInt32, _ r: UInt32) -> UInt32 { (x << r) | (x >> (32 - r)) }

    @inline(__always)
    static func read32(_ bytes: ArraySlice<UInt8>, _ i: Int) -> UInt32 {
        UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
    }

    static func hash(_ bytes: ArraySlice<UInt8>, seed: UInt32 = 0) -> UInt32 {
        var i = bytes.startIndex
        let end = bytes.endIndex
        var h: UInt32
        if bytes.count >= 16 {
            var v1 = seed &+ p1 &+ p2
            var v2 = seed &+ p2
            var v3 = seed
            var v4 = seed &- p1
            while end - i >= 16 {
                v1 = rotl(v1 &+ read32(bytes, i) &* p2, 13) &* p1
                v2 = rotl(v2 &+ read32(bytes, i + 4) &* p2, 13) &* p1
                v3 = rotl(v3 &+ read32(bytes, i + 8) &* p2, 13) &* p1
                v4 = rotl(v4 &+ read32(bytes, i + 12) &* p2, 13) &* p1
                i += 16
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
        } else {
            h = seed &+ p5
        }
        h = h &+ UInt32(truncatingIfNeeded: bytes.count)
        while end - i >= 4 {
            h = rotl(h &+ read32(bytes, i) &* p3, 17) &* p4
            i += 4
        }
        while i < end {
            h = rotl(h &+ UInt32(bytes[i]) &* p5, 11) &* p1
            i += 1
        }
        h ^= h >> 15
        h = h &* p2
        h ^= h >> 13
        h = h &* p3
        h ^= h >> 16
        return h
    }
}
