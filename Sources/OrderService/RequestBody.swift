import Foundation

/// Decoding of JSON request bodies into `Decodable` types whose fields are all optional, so a
/// missing field reaches validation (422 naming it) while malformed JSON, a non-object body or
/// a field of the wrong JSON type is a 400. Unknown fields are ignored. Pure; thread-safe.
enum RequestBody {
    /// Decodes `body` as `T`; an empty (or all-whitespace) body decodes `emptyValue` when given,
    /// else it is a 400.
    static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8], emptyValue: T? = nil) throws(APIError) -> T {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            if let emptyValue { return emptyValue }
            throw .badRequest("the request body must be a JSON object")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch let error as DecodingError {
            throw .badRequest(message(for: error))
        } catch {
            throw .badRequest("malformed JSON: \(error)")
        }
    }

    /// A client-facing description of a decoding failure, naming the field when there is one.
    private static func message(for error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty { return "the request body must be a JSON object" }
            return "field '\(path(context.codingPath))' must be \(jsonTypeName(type))"
        case .valueNotFound(let type, let context):
            if context.codingPath.isEmpty { return "the request body must be a JSON object" }
            return "field '\(path(context.codingPath))' must be \(jsonTypeName(type)), not null"
        case .keyNotFound(let key, let context):
            return "field '\(path(context.codingPath + [key]))' is required"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "malformed JSON: \(context.debugDescription)" }
            return "field '\(path(context.codingPath))' is invalid: \(context.debugDescription)"
        @unknown default:
            return "malformed JSON"
        }
    }

    /// `items[0].quantity` style paths.
    private static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    /// "a string", "an integer", … for the Swift type a decoder expected.
    private static func jsonTypeName(_ type: Any.Type) -> String {
        if type == String.self { return "a string" }
        if type == Int.self { return "an integer" }
        if type == Bool.self { return "true or false" }
        let name = String(describing: type)
        if name.hasPrefix("Array") || (name.hasPrefix("[") && !name.contains(":")) { return "an array" }
        return "an object"
    }
}
