import KafkaProtocol
import Testing

// Support for the sweeps over every generated message (Generated/MessageSamples.swift).

/// A generated message type that tests can fill with random values.
protocol SampledMessage: Equatable, Sendable {
    /// A value with every field set (arrays of 0–2 items, optionals sometimes nil).
    static func sample(_ rng: inout TestRNG) -> Self
    /// What decoding this value's encoding at `version` gives back.
    func restricted(to version: Int16) -> Self
}

/// One generated message: its type, API key and codec versions, with type-erased checks.
struct GeneratedMessageCase: Sendable, CustomStringConvertible {
    let name: String
    let apiKey: ApiKey
    let versions: ClosedRange<Int16>
    /// Encodes a random sample at `version`, checks the round trip; returns the encoding.
    let roundTrip: @Sendable (inout TestRNG, Int16) throws -> [UInt8]
    /// Decodes arbitrary bytes at `version`; returns whether it decoded (must never crash).
    let decode: @Sendable ([UInt8], Int16) -> Bool

    init<M: ProtocolMessage & SampledMessage>(_ type: M.Type, _ apiKey: ApiKey, _ versions: ClosedRange<Int16>) {
        name = "\(M.self)"
        self.apiKey = apiKey
        self.versions = versions
        roundTrip = { rng, version in
            let value = M.sample(&rng)
            try checkRoundTrip(value, expected: value.restricted(to: version), apiKey, version)
            return encodeBody(value, apiKey, version)
        }
        decode = { bytes, version in
            var reader = ProtocolReader(bytes, flexible: apiKey.isFlexible(version))
            guard let value = try? M(from: &reader, version: version) else { return false }
            // Whatever decodes must encode again without trouble.
            _ = encodeBody(value, apiKey, version)
            return true
        }
    }

    var description: String { name }
}

extension TestRNG {
    /// nil or a value, each half of the time.
    mutating func maybe<T>(_ make: (inout TestRNG) -> T) -> T? {
        next() % 2 == 0 ? nil : make(&self)
    }

    /// 0–2 values.
    mutating func list<T>(_ make: (inout TestRNG) -> T) -> [T] {
        (0..<Int(next() % 3)).map { _ in make(&self) }
    }

    /// A short printable string (possibly empty).
    mutating func text() -> String {
        let letters = Array("abcxyz.-_09 é")
        return String((0..<Int(next() % 7)).map { _ in letters[Int(next() % UInt64(letters.count))] })
    }

    /// A known error code (unknown numbers decode as unknownServerError and would not round-trip).
    mutating func errorCode() -> ErrorCode {
        let codes: [ErrorCode] = [.none, .unknownServerError, .offsetOutOfRange, .unknownTopicOrPartition, .invalidConfig,
                                  .invalidPartitions, .invalidRequest, .notCoordinator]
        return codes[Int(next() % UInt64(codes.count))]
    }
}
