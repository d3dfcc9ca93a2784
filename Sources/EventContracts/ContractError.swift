/// Why an event record value could not be decoded (or encoded) against its contract.
///
/// Every case is a property of the input bytes, so a worker can dead-letter the record with
/// `description` as the `dlq.error` header. `unknownEventType` and `unsupportedSchemaVersion`
/// let a consumer tell "not mine / too new" apart from truly malformed input.
public enum ContractError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not a JSON object (not UTF-8 JSON, truncated, or not an object).
    case malformedJSON(String)
    /// A required field is absent; the associated value is its dotted path, e.g. `payload.orderId`.
    case missingField(String)
    /// A field has the wrong JSON type or a value outside what the contract allows.
    case invalidField(path: String, reason: String)
    /// The envelope's `type` is not one of the known coffee-shop event types.
    case unknownEventType(type: String, schemaVersion: Int)
    /// The event type is known but this `schemaVersion` is not.
    case unsupportedSchemaVersion(type: String, schemaVersion: Int)
    /// The envelope's `type` differs from the one the requested payload type expects.
    case typeMismatch(expected: String, found: String)
    /// The envelope's `schemaVersion` differs from the one the requested payload type expects.
    case versionMismatch(type: String, expected: Int, found: Int)
    /// The JSON encoder failed (not expected for these contracts, which hold only text and integers).
    case encodingFailed(String)

    /// A one-line explanation, suitable for logs and the `dlq.error` header.
    public var description: String {
        switch self {
        case .malformedJSON(let detail): "malformed JSON: \(detail)"
        case .missingField(let path): "missing required field '\(path)'"
        case .invalidField(let path, let reason): "invalid field '\(path)': \(reason)"
        case .unknownEventType(let type, let version): "unknown event type '\(type)' (schemaVersion \(version))"
        case .unsupportedSchemaVersion(let type, let version): "unsupported schemaVersion \(version) of event type '\(type)'"
        case .typeMismatch(let expected, let found): "expected event type '\(expected)', found '\(found)'"
        case .versionMismatch(let type, let expected, let found): "expected schemaVersion \(expected) of '\(type)', found \(found)"
        case .encodingFailed(let detail): "encoding failed: \(detail)"
        }
    }
}
