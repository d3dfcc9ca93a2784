public import SystemIO

/// A piece of a response to write to a connection: bytes, or a run of a file sent straight
/// from the page cache with `sendfile`.
public enum OutboundChunk: Sendable {
    case bytes([UInt8])
    /// `count` bytes of `descriptor` from `offset`. `owner` keeps whatever owns the descriptor
    /// (a segment file) alive, and so the descriptor open, until the chunk has been sent.
    case file(descriptor: FileDescriptor, offset: Int64, count: Int, owner: any Sendable)

    var count: Int {
        switch self {
        case .bytes(let bytes): bytes.count
        case .file(_, _, let count, _): count
        }
    }
}
