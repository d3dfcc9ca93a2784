public import KafkaProtocol
public import LogStorage

/// What the connection must do with a request's outcome.
public enum BrokerReply: Sendable {
    /// Send these segments in order. Each `.external(token:length:)` segment is `files[token]`,
    /// to be sent straight from the file (`sendfile`) when it has a descriptor.
    case respond([OutputSegment], files: [FileRegion])
    /// Send nothing (Produce with acks = 0).
    case noResponse
    /// Close the connection (unknown API key, unsupported version, malformed request).
    case close(reason: String)
    /// The request waits (long-poll fetch, group join, produce waiting for its sync); the reply
    /// comes through the `PendingReply` (never itself `.pending`).
    case pending(PendingReply)

    /// The reply as one byte array, reading external segments from their files. Used by tests
    /// and as the fallback for files without a descriptor.
    public func materialize() throws(LogStorageError) -> [UInt8]? {
        guard case .respond(let segments, let files) = self else { return nil }
        var bytes: [UInt8] = []
        for segment in segments {
            switch segment {
            case .bytes(let data): bytes += data
            case .external(let token, let length):
                guard token >= 0 && token < files.count else { continue }
                let data = try files[token].readBytes()
                bytes += data.prefix(length)
            }
        }
        return bytes
    }
}
