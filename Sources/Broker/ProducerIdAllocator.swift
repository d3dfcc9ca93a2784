import LogStorage
import Synchronization

/// Hands out producer ids that are unique across restarts: ids are reserved in blocks, and the
/// end of the current block is stored durably (`<data>/internal/producer-ids`) before any id
/// from it is given out. A restart starts after the stored block, so ids never repeat (some are
/// skipped). Thread-safe.
final class ProducerIdAllocator: Sendable {
    static let fileName = "producer-ids"
    static let blockSize: Int64 = 1000

    private let store: LogStore
    private let state: Mutex<(next: Int64, blockEnd: Int64)>

    init(store: LogStore) throws {
        self.store = store
        var start: Int64 = 0
        if let bytes = try store.readInternalFile(Self.fileName),
           let stored = Int64(String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }), stored >= 0 {
            start = stored
        }
        state = Mutex((start, start))
    }

    /// The next producer id.
    func next() throws -> Int64 {
        try state.withLock { state throws -> Int64 in
            if state.next >= state.blockEnd {
                let end = state.next + Self.blockSize
                try store.writeInternalFile(Self.fileName, Array("\(end)\n".utf8))
                state.blockEnd = end
            }
            defer { state.next += 1 }
            return state.next
        }
    }
}
