public import KafkaRecords

/// Why a request or response could not be decoded.
public enum ProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes end before the message does, or a length/varint is malformed.
    case malformed(ByteReaderError)
    /// A length or count that cannot be right (negative where not allowed, larger than the frame).
    case invalidLength(field: String, value: Int64)
    /// An API key this broker does not know.
    case unknownApiKey(Int16)
    /// A version of a known API that is not implemented.
    case unsupportedVersion(ApiKey, Int16)
    /// A frame longer than the allowed maximum (or a negative length).
    case frameTooLarge(length: Int64, limit: Int)
    /// A field value that is not allowed (a null where none may be, bad UTF-8, ...).
    case invalidValue(String)

    public var description: String {
        switch self {
        case .malformed(let error): "malformed message: \(error)"
        case .invalidLength(let field, let value): "invalid length \(value) for \(field)"
        case .unknownApiKey(let key): "unknown API key \(key)"
        case .unsupportedVersion(let key, let version): "unsupported version \(version) of \(key)"
        case .frameTooLarge(let length, let limit): "frame of \(length) bytes exceeds the limit of \(limit)"
        case .invalidValue(let reason): reason
        }
    }
}
