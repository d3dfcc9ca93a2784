import KafkaProtocol
import Testing

// Helpers for AdminMessagesTests (Metadata, CreateTopics, DeleteTopics, DescribeConfigs).
// Names carry an `admin` prefix so they cannot collide with other test files in this target.

/// Encodes `message` at `version` with the encoding `apiKey` prescribes for that version.
func adminEncode(_ message: some ProtocolMessage, apiKey: ApiKey, version: Int16) -> [UInt8] {
    var writer = ProtocolWriter(flexible: apiKey.isFlexible(version))
    message.encode(to: &writer, version: version)
    return writer.encoded
}

/// Decodes `bytes` as `type` at `version`; returns the value and the bytes left unread.
func adminDecode<M: ProtocolMessage>(_ type: M.Type, _ bytes: [UInt8], apiKey: ApiKey, version: Int16) throws(ProtocolError) -> (value: M, remaining: Int) {
    var reader = ProtocolReader(bytes, flexible: apiKey.isFlexible(version))
    let value = try M(from: &reader, version: version)
    return (value, reader.remaining)
}

/// Checks, at `version`: encoding `full` writes exactly the bytes of `expected` (fields the
/// version lacks are not written), and decoding them gives back `expected`, consuming all bytes.
func adminCheckRoundTrip<M: ProtocolMessage & Equatable>(full: M, expected: M, apiKey: ApiKey, version: Int16,
                                                        sourceLocation: SourceLocation = #_sourceLocation) throws {
    let fullBytes = adminEncode(full, apiKey: apiKey, version: version)
    let expectedBytes = adminEncode(expected, apiKey: apiKey, version: version)
    #expect(fullBytes == expectedBytes, "v\(version): fields outside the version were written", sourceLocation: sourceLocation)
    let (decoded, remaining) = try adminDecode(M.self, fullBytes, apiKey: apiKey, version: version)
    #expect(decoded == expected, "v\(version) round trip", sourceLocation: sourceLocation)
    #expect(remaining == 0, "v\(version): \(remaining) bytes left unread", sourceLocation: sourceLocation)
}

/// Every strict prefix of `bytes` must fail to decode (and never crash).
func adminCheckTruncations<M: ProtocolMessage>(_ type: M.Type, _ bytes: [UInt8], apiKey: ApiKey, version: Int16,
                                               sourceLocation: SourceLocation = #_sourceLocation) {
    for length in 0..<bytes.count {
        let prefix = Array(bytes[0..<length])
        #expect(throws: ProtocolError.self, "v\(version) prefix \(length)/\(bytes.count)", sourceLocation: sourceLocation) {
            _ = try adminDecode(M.self, prefix, apiKey: apiKey, version: version)
        }
    }
}

/// Decodes arbitrary bytes; when that succeeds, re-encoding and decoding again must be stable.
/// Returns whether the decode succeeded.
@discardableResult
func adminFuzzDecode<M: ProtocolMessage & Equatable>(_ type: M.Type, _ bytes: [UInt8], apiKey: ApiKey, version: Int16,
                                                     normalize: (M) -> M = { $0 }) -> Bool {
    guard let value = (try? adminDecode(M.self, bytes, apiKey: apiKey, version: version))?.value else { return false }
    let again = adminEncode(value, apiKey: apiKey, version: version)
    let redecoded = try? adminDecode(M.self, again, apiKey: apiKey, version: version)
    #expect(redecoded?.value == normalize(value), "v\(version): re-encoding a decoded value is not stable")
    #expect(redecoded?.remaining == 0)
    return true
}

/// A 16-byte UUID filled from `seed` (never all zero for seed > 0).
func adminUUID(_ seed: UInt8) -> [UInt8] {
    (0..<16).map { UInt8(truncatingIfNeeded: Int(seed) &* 31 &+ $0 &* 7) | (($0 == 0) ? 1 : 0) }
}

/// The all-zero UUID ("no topic id").
let adminZeroUUID = [UInt8](repeating: 0, count: 16)

/// Concatenates hand-written byte groups (one group per wire field keeps golden vectors readable).
func adminBytes(_ parts: [UInt8]...) -> [UInt8] {
    parts.flatMap { $0 }
}

/// UTF-8 bytes of a string literal, for golden vectors.
func adminUTF8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// UNSIGNED_VARINT encoding (LEB128), for hand-built compact lengths.
func adminUVarint(_ value: UInt32) -> [UInt8] {
    var value = value
    var out: [UInt8] = []
    while value >= 0x80 {
        out.append(UInt8(value & 0x7F) | 0x80)
        value >>= 7
    }
    out.append(UInt8(value))
    return out
}

/// SplitMix64: a small deterministic PRNG for the garbage-input tests.
struct AdminRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Random bytes, half of them small (0...3) so that counts and lengths often look plausible
    /// and decoding gets deep into nested structures.
    mutating func garbage(maxCount: Int) -> [UInt8] {
        let count = Int.random(in: 0...maxCount, using: &self)
        return (0..<count).map { _ in
            Bool.random(using: &self) ? UInt8.random(in: 0...3, using: &self) : UInt8.random(in: 0...255, using: &self)
        }
    }
}
