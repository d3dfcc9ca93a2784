internal import KafkaRecords

/// The per-partition checkpoint `partition.checkpoint`: where recovery must start and whether
/// the log was closed cleanly.
///
/// Version 2 (written now): two slots of 512 bytes, rewritten in place in turn (`CheckpointFile`),
/// so an update never creates or renames a file and a write torn by a crash leaves the other
/// slot intact. Each slot is text, `key value` per line, padded with newlines:
/// ```
/// version 2
/// sequence 17
/// clean 1
/// log-start-offset 0
/// recovery-point 4096
/// log-end-offset 5000
/// active-segment 4096
/// active-size 81234
/// producer-state-at 5000
/// crc 1a2b3c4d
/// ```
/// `crc` is the CRC-32C of the slot's text before that line; of the slots whose CRC matches,
/// the one with the higher `sequence` is the checkpoint. Version 1 (one text block like the
/// above without `sequence`, `producer-state-at` and `crc`, replaced atomically) is still read.
///
/// - `clean 1` is written by a clean shutdown, after every segment, index and snapshot was
///   synced, and by the creation of an empty partition; the next open then trusts the indexes
///   and sizes and scans nothing. The first change after that (append, roll, deletion,
///   compaction swap) first rewrites it with `clean 0` (`PartitionLog.markDirty`).
/// - `recovery-point` is the base offset of the first segment that is not known to be sealed
///   (synced, with indexes written): after a crash, segments from there on are scanned.
/// - `log-start-offset` is the first offset still readable (delete-records, retention).
/// - `log-end-offset`, `active-segment`, `active-size` describe the log at a clean shutdown, so
///   the open can check the files still match.
/// - `producer-state-at` (clean only, optional): `producer.snapshot` holds the idempotent
///   producers' state as of this offset (no snapshot file: no producers), so the open reads no
///   batch header; written when the producers did not change since the snapshot was.
struct PartitionCheckpoint: Equatable {
    static let fileName = "partition.checkpoint"
    static let slotSize = 512

    var clean: Bool
    var logStartOffset: Int64
    var recoveryPoint: Int64
    var logEndOffset: Int64
    var activeSegment: Int64
    var activeSize: Int64
    var producerStateAt: Int64? = nil

    /// One version-2 slot: exactly `slotSize` bytes.
    func slot(sequence: UInt64) -> [UInt8] {
        var text = """
        version 2
        sequence \(sequence)
        clean \(clean ? 1 : 0)
        log-start-offset \(logStartOffset)
        recovery-point \(recoveryPoint)
        log-end-offset \(logEndOffset)
        active-segment \(activeSegment)
        active-size \(activeSize)

        """
        if let producerStateAt { text += "producer-state-at \(producerStateAt)\n" }
        var bytes = Array(text.utf8)
        let crc = String(CRC32C.checksum(bytes), radix: 16)
        bytes += Array("crc \(crc)\n".utf8)
        bytes += [UInt8](repeating: 0x0A, count: max(0, Self.slotSize - bytes.count))
        return bytes
    }

    /// The checkpoint in a whole file (either version) and the sequence of the slot it came
    /// from (0 for version 1); nil when no slot is intact.
    static func parseFile(_ bytes: [UInt8]) -> (checkpoint: PartitionCheckpoint, sequence: UInt64)? {
        guard bytes.count >= 2 * slotSize else { return parse(bytes).map { ($0, 0) } }
        let slots = [parseSlot(Array(bytes[0..<slotSize])), parseSlot(Array(bytes[slotSize..<(2 * slotSize)]))]
        return slots.compactMap { $0 }.max { $0.sequence < $1.sequence }
    }

    /// One version-2 slot; nil when torn or damaged.
    static func parseSlot(_ bytes: [UInt8]) -> (checkpoint: PartitionCheckpoint, sequence: UInt64)? {
        let marker = Array("crc ".utf8)
        var lineStart = 0
        var crcLine: Range<Int>?
        for index in bytes.indices where bytes[index] == 0x0A {
            if bytes[lineStart..<index].starts(with: marker) {
                crcLine = lineStart..<index
                break
            }
            lineStart = index + 1
        }
        guard let crcLine, let stored = UInt32(String(decoding: bytes[(crcLine.lowerBound + marker.count)..<crcLine.upperBound], as: UTF8.self), radix: 16),
              stored == CRC32C.checksum(Array(bytes[0..<crcLine.lowerBound])) else { return nil }
        let values = keyValues(bytes[0..<crcLine.lowerBound])
        guard values["version"] == 2, let sequence = values["sequence"], sequence >= 0,
              var checkpoint = checkpoint(from: values) else { return nil }
        checkpoint.producerStateAt = values["producer-state-at"]
        return (checkpoint, UInt64(sequence))
    }

    /// Parses a version-1 file; nil when it is damaged or from an unknown version.
    static func parse(_ bytes: [UInt8]) -> PartitionCheckpoint? {
        let values = keyValues(bytes[...])
        guard values["version"] == 1 else { return nil }
        return checkpoint(from: values)
    }

    /// The numbers of a checkpoint's `key value` lines; `valid` is false when a line is not
    /// one. Works on bytes (a store opens thousands of these).
    private struct Fields {
        static let keys = ["version", "sequence", "clean", "log-start-offset", "recovery-point", "log-end-offset",
                           "active-segment", "active-size", "producer-state-at"].map { Array($0.utf8) }
        var values = [Int64?](repeating: nil, count: keys.count)
        var valid = true

        subscript(_ key: String) -> Int64? {
            guard let index = Self.keys.firstIndex(of: Array(key.utf8)) else { return nil }
            return values[index]
        }
    }

    private static func keyValues(_ bytes: ArraySlice<UInt8>) -> Fields {
        var fields = Fields()
        for line in bytes.split(separator: 0x0A) {
            guard let space = line.firstIndex(of: 0x20), let value = decimal(line[(space + 1)...]) else {
                fields.valid = false
                return fields
            }
            let key = line[..<space]
            if let index = Fields.keys.firstIndex(where: { $0.elementsEqual(key) }) { fields.values[index] = value }
        }
        return fields
    }

    /// An optionally negative decimal number filling `digits`, or nil.
    private static func decimal(_ digits: ArraySlice<UInt8>) -> Int64? {
        var rest = digits
        let negative = rest.first == 0x2D
        if negative { rest = rest.dropFirst() }
        guard !rest.isEmpty, rest.count <= 19 else { return nil }
        var value: Int64 = 0
        for byte in rest {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - 0x30))
            guard !overflow && !overflow2 else { return nil }
            value = sum
        }
        return negative ? -value : value
    }

    private static func checkpoint(from values: Fields) -> PartitionCheckpoint? {
        guard values.valid, let clean = values["clean"], clean == 0 || clean == 1,
              let logStart = values["log-start-offset"], logStart >= 0,
              let recoveryPoint = values["recovery-point"], recoveryPoint >= 0,
              let logEnd = values["log-end-offset"], logEnd >= 0,
              let activeSegment = values["active-segment"], activeSegment >= 0,
              let activeSize = values["active-size"], activeSize >= 0
        else { return nil }
        return PartitionCheckpoint(clean: clean == 1, logStartOffset: logStart, recoveryPoint: recoveryPoint,
                                   logEndOffset: logEnd, activeSegment: activeSegment, activeSize: activeSize)
    }
}
