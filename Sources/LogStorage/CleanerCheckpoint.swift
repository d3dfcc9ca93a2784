/// `cleaner.checkpoint` in a partition directory: where the dirty (not yet compacted) part of
/// the log starts; below which offset compaction may have left gaps (recovery accepts gaps only
/// there, so a damaged base offset elsewhere is still caught); and the earliest delete horizon
/// among the tombstones the cleaner left (a clean is due when it passes). Text, replaced
/// atomically:
/// ```
/// version 1
/// first-dirty-offset 81234
/// gap-horizon 81234
/// delete-horizon 1700000000000
/// ```
/// (`gap-horizon` and `delete-horizon` only when set.) The gap horizon is written before a
/// pass swaps any segment, the first dirty offset after. Missing means nothing was ever
/// compacted.
struct CleanerCheckpoint: Equatable {
    static let fileName = "cleaner.checkpoint"

    var firstDirtyOffset: Int64
    var gapHorizon: Int64 = 0
    var deleteHorizon: Int64?

    func serialized() -> [UInt8] {
        var text = "version 1\nfirst-dirty-offset \(firstDirtyOffset)\n"
        if gapHorizon > 0 { text += "gap-horizon \(gapHorizon)\n" }
        if let deleteHorizon { text += "delete-horizon \(deleteHorizon)\n" }
        return Array(text.utf8)
    }

    static func parse(_ bytes: [UInt8]) -> CleanerCheckpoint? {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        guard lines.first == "version 1" else { return nil }
        var values: [String: Int64] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = Int64(parts[1]),
                  ["first-dirty-offset", "gap-horizon", "delete-horizon"].contains(parts[0]) else { return nil }
            values[String(parts[0])] = value
        }
        guard let offset = values["first-dirty-offset"], offset >= 0 else { return nil }
        return CleanerCheckpoint(firstDirtyOffset: offset, gapHorizon: max(0, values["gap-horizon"] ?? 0), deleteHorizon: values["delete-horizon"])
    }
}

/// `cleaner.swap` in a partition directory: the commit record of one compaction swap.
///
/// The cleaner writes a group's compacted segment as `<base>.log.cleaned` (plus
/// `.index.cleaned`, `.timeindex.cleaned`), syncs them and the directory, then writes this
/// manifest atomically. From that moment the swap is decided: whoever finds the manifest (the
/// cleaner itself, or recovery after a crash) removes the replaced segments, renames the
/// `.cleaned` files into place, syncs the directory and removes the manifest, all idempotently.
/// Without a manifest, `.cleaned` files are an unfinished clean and are removed. So a crash at
/// any moment leaves either the old segments or the new one, never a mix.
/// ```
/// version 1
/// base 0
/// replaces 0 4096 9000
/// ```
/// A last line `drop` says the group compacted to nothing and is removed without a
/// replacement (never the log's first segment): the offsets it covered become a gap.
struct CleanerSwapManifest: Equatable {
    static let fileName = "cleaner.swap"
    static let cleanedSuffix = ".cleaned"

    /// Base offset of the compacted segment (the first replaced segment's base).
    var base: Int64
    /// Base offsets of every segment it replaces, `base` first.
    var replaced: [Int64]
    /// The replaced segments are removed and nothing takes their place.
    var drop = false

    func serialized() -> [UInt8] {
        Array("version 1\nbase \(base)\nreplaces \(replaced.map(String.init).joined(separator: " "))\n\(drop ? "drop\n" : "")".utf8)
    }

    static func parse(_ bytes: [UInt8]) -> CleanerSwapManifest? {
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        var drop = false
        if lines.count == 4, lines[3] == "drop" {
            drop = true
            lines.removeLast()
        }
        guard lines.count == 3, lines[0] == "version 1" else { return nil }
        let baseParts = lines[1].split(separator: " ")
        let replaceParts = lines[2].split(separator: " ")
        guard baseParts.count == 2, baseParts[0] == "base", let base = Int64(baseParts[1]),
              replaceParts.count >= 2, replaceParts[0] == "replaces" else { return nil }
        var replaced: [Int64] = []
        for part in replaceParts.dropFirst() {
            guard let offset = Int64(part), offset >= 0 else { return nil }
            replaced.append(offset)
        }
        guard replaced.first == base else { return nil }
        return CleanerSwapManifest(base: base, replaced: replaced, drop: drop)
    }
}
