import KafkaProtocol
import Testing

// Helpers shared by the message codec tests.

/// Deterministic PRNG (SplitMix64) for reproducible garbage inputs.
struct TestRNG: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` uniformly random bytes.
    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }

    /// Random bytes, half of them small (0...3) so that counts and lengths often look plausible
    /// and decoding gets deep into nested structures.
    mutating func garbage(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in
            next() % 2 == 0 ? UInt8(truncatingIfNeeded: next() % 4) : UInt8(truncatingIfNeeded: next())
        }
    }

    /// Like `garbage(_:)` with a random length up to `maxCount`.
    mutating func garbage(maxCount: Int) -> [UInt8] {
        garbage(Int.random(in: 0...maxCount, using: &self))
    }
}

/// Parses hex such as "0A ff 10" (whitespace ignored). Invalid digits are recorded as a test
/// issue and yield 0 (no crash).
func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.filter { !$0.isWhitespace })
    if digits.count % 2 != 0 { Issue.record("odd number of hex digits") }
    var result: [UInt8] = []
    var index = 0
    while index + 1 < digits.count {
        if let byte = UInt8(String(digits[index...index + 1]), radix: 16) {
            result.append(byte)
        } else {
            Issue.record("bad hex literal near \(index)")
            result.append(0)
        }
        index += 2
    }
    return result
}

/// Encodes a body alone, with the encoding `version` of `apiKey` uses.
func encodeBody(_ message: some ProtocolMessage, _ apiKey: ApiKey, _ version: Int16) -> [UInt8] {
    var writer = ProtocolWriter(flexible: apiKey.isFlexible(version))
    message.encode(to: &writer, version: version)
    return writer.encoded
}

/// Decodes a body alone and checks that every byte was consumed.
func decodeBody<M: ProtocolMessage>(_ type: M.Type, _ bytes: [UInt8], _ apiKey: ApiKey, _ version: Int16,
                                    sourceLocation: SourceLocation = #_sourceLocation) throws -> M {
    var reader = ProtocolReader(bytes, flexible: apiKey.isFlexible(version))
    let value = try M(from: &reader, version: version)
    #expect(reader.remaining == 0, "\(M.self) v\(version) left \(reader.remaining) bytes", sourceLocation: sourceLocation)
    return value
}

/// Encoding `value` writes exactly the bytes of `expected` (fields outside the version are not
/// written), decoding gives back `expected`, and re-encoding is byte-stable.
func checkRoundTrip<M: ProtocolMessage & Equatable>(_ value: M, expected: M, _ apiKey: ApiKey, _ version: Int16,
                                                    sourceLocation: SourceLocation = #_sourceLocation) throws {
    let bytes = encodeBody(value, apiKey, version)
    #expect(bytes == encodeBody(expected, apiKey, version), "\(M.self) v\(version): fields outside the version were written",
            sourceLocation: sourceLocation)
    let decoded = try decodeBody(M.self, bytes, apiKey, version, sourceLocation: sourceLocation)
    #expect(decoded == expected, "\(M.self) v\(version)", sourceLocation: sourceLocation)
    #expect(encodeBody(decoded, apiKey, version) == bytes, "\(M.self) v\(version) re-encoding", sourceLocation: sourceLocation)
}

/// `value` encodes at `version` to exactly the bytes of `hexText`, and those bytes decode back to
/// `value` (golden bytes written by hand from Kafka's JSON layouts).
func checkGolden<M: ProtocolMessage & Equatable>(_ value: M, _ apiKey: ApiKey, _ version: Int16, _ hexText: String,
                                                 sourceLocation: SourceLocation = #_sourceLocation) throws {
    let expected = hex(hexText)
    #expect(encodeBody(value, apiKey, version) == expected, "\(M.self) v\(version) encoding", sourceLocation: sourceLocation)
    #expect(try decodeBody(M.self, expected, apiKey, version, sourceLocation: sourceLocation) == value,
            "\(M.self) v\(version) decoding", sourceLocation: sourceLocation)
}
