/// A request or response body with version-aware encoding and decoding.
///
/// `decode` reads exactly the fields that `version` has (the reader's `flexible` flag already
/// matches the version); `encode` writes them. Round trip: `decode(encode(x, v), v) == x` for
/// every field that exists in version `v`.
public protocol ProtocolMessage: Sendable {
    init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError)
    func encode(to writer: inout ProtocolWriter, version: Int16)
    /// Calls `body` with every error code the message carries, nested ones included (generated
    /// for responses; `.none` values included, callers skip them). Default: none.
    func forEachErrorCode(_ body: (ErrorCode) -> Void)
}

extension ProtocolMessage {
    public func forEachErrorCode(_ body: (ErrorCode) -> Void) {}
}

/// A request body: knows its API and its response type.
public protocol KafkaRequest: ProtocolMessage {
    associatedtype Response: ProtocolMessage
    static var apiKey: ApiKey { get }
}
