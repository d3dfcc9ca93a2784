/// The per-partition checkpoint file `partition.checkpoint`, replaced atomically.
///
/// Text format, one `key value` pair per line:
/// ```
/// version 1
/// clean 1
/// log-start-offset 0
/// recovery-point 4096
/// log-end-offset 5000
/// active-segment 4096
/// active-size 81234
/// ```
/// - `clean 1` is written only by a clean shutdown, after every segment and index was synced;
///   the next open then trusts the indexes and sizes and scans nothing. Any open rewrites the
///   file with `clean 0` before accepting appends.
/// - `recovery-point` is the base offset of the first segment that is not known to be sealed
///   (synced, with indexes written): after a crash, segments from there on are scanned.
/// - `log-start-offset` is the first offset still readable (delete-records, retention).
/// - `log-end-offset`, `active-segment`, `active-size` describe the log at a clean shutdown, so
///   the open can check the files still match.
struct PartitionCheckpoint: Equatable {
    static let fileName = "partition.checkpoint"

    var clean: Bool
    var logStartOffset: Int64
    var recoveryPoint: Int64
    var logEndOffset: Int64
    var activeSegment: Int64
    var activeSize: Int64

    func serialized() -> [UInt8] {
        let text = """
        version 1
        clean \(clean ? 1 : 0)
        log-start-offset \(logStartOffset)
        recovery-point \(recoveryPoint)
        log-end-offset \(logEndOffset)
        active-segment \(activeSegment)
        active-size \(activeSize)

        """
        return Array(text.utf8)
    }

    /// Parses the file; nil when it is damaged or from an unknown version.
    static func parse(_ bytes: [UInt8]) -> PartitionCheckpoint? {
        var values: [String: Int64] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = Int64(parts[1]) else { return nil }
            values[String(parts[0])] = value
        }
        guard values["version"] == 1,
              let clean = values["clean"], clean == 0 || clean == 1,
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
