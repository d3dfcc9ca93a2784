import Foundation

/// JSON coding shared by envelopes and `CoffeeEvent`: decoding errors mapped to `ContractError`.
enum EventJSON {
    /// Encodes a value as compact JSON with sorted keys (deterministic bytes).
    static func encode<T: Encodable>(_ value: T) throws(ContractError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value))
        } catch {
            throw .encodingFailed(String(describing: error))
        }
    }

    /// Decodes a value, turning every decoding failure into a `ContractError`.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(ContractError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as ContractError {
            throw error
        } catch let error as DecodingError {
            throw map(error)
        } catch {
            throw .malformedJSON(String(describing: error))
        }
    }

    /// Maps a `DecodingError` to the matching `ContractError`.
    static func map(_ error: DecodingError) -> ContractError {
        switch error {
        case .keyNotFound(let key, let context):
            return .missingField(path(context.codingPath + [key]))
        case .valueNotFound(_, let context):
            if context.codingPath.isEmpty { return .malformedJSON("top level is null, not a JSON object") }
            return .missingField(path(context.codingPath))
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty { return .malformedJSON("top level is not a JSON object") }
            return .invalidField(path: path(context.codingPath), reason: "expected \(type)")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return .malformedJSON(context.debugDescription) }
            return .invalidField(path: path(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return .malformedJSON(String(describing: error))
        }
    }

    /// A dotted path such as `payload.items.0.size`.
    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    /// The current time as RFC 3339 UTC with milliseconds, e.g. `2025-03-14T08:05:42.918Z`.
    static func now() -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date())
    }
}
