/// Writes a partition's `partition.checkpoint` (see `PartitionCheckpoint`): in place, into the
/// slot not holding the newest checkpoint, so no write creates, renames or removes a file (on
/// ext4 those are what thousands of partitions pay for) and a torn write loses nothing.
///
/// A file still in version 1, or missing, is replaced whole (atomically) by its first write.
/// Not thread-safe: used under the owning log's state lock, or by the one thread closing it.
final class CheckpointFile: @unchecked Sendable {
    let path: String
    let fileSystem: any StorageFileSystem
    /// The sequence of the newest slot; the next write goes to the other one.
    private(set) var sequence: UInt64
    /// Whether the file on disk has the two slots.
    private var inPlace: Bool

    init(path: String, fileSystem: any StorageFileSystem, sequence: UInt64, inPlace: Bool) {
        self.path = path
        self.fileSystem = fileSystem
        self.sequence = sequence
        self.inPlace = inPlace
    }

    /// Writes `checkpoint` as the newest; durable on return when `sync` (an in-place write needs
    /// no directory sync), else only once the caller syncs (`syncAll`).
    func write(_ checkpoint: PartitionCheckpoint, sync: Bool) throws(LogStorageError) {
        let next = sequence + 1
        let slot = checkpoint.slot(sequence: next)
        let offset = Int(next % 2) * PartitionCheckpoint.slotSize
        if inPlace {
            let file = try fileSystem.openFile(path, create: false)
            try file.write(slot, at: Int64(offset))
            if sync { try file.sync() }
        } else {
            var bytes = [UInt8](repeating: 0x0A, count: 2 * PartitionCheckpoint.slotSize)
            bytes.replaceSubrange(offset..<(offset + PartitionCheckpoint.slotSize), with: slot)
            if sync {
                try fileSystem.writeAtomically(bytes, to: path)
            } else {
                try fileSystem.writeFileContents(bytes, to: path + ".tmp", sync: false)
                try fileSystem.rename(path + ".tmp", to: path)
            }
            inPlace = true
        }
        sequence = next
    }

    /// Creates the file of a new partition with `checkpoint` in it, unsynced.
    static func create(_ checkpoint: PartitionCheckpoint, path: String, fileSystem: any StorageFileSystem) throws(LogStorageError) -> CheckpointFile {
        var bytes = checkpoint.slot(sequence: 1)
        bytes += [UInt8](repeating: 0x0A, count: PartitionCheckpoint.slotSize)
        try fileSystem.writeFileContents(bytes, to: path, sync: false)
        return CheckpointFile(path: path, fileSystem: fileSystem, sequence: 1, inPlace: true)
    }
}
