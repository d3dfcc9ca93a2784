// kaffee-storage-bench: append and read throughput of the partition log, beside the raw
// sequential-write throughput of the same disk measured in the same run.
//
//   swift run -c release kaffee-storage-bench [--dir DIR] [--mib N] [--always-mib N] [--rounds N]
//   swift run -c release kaffee-storage-bench partitions [--count N] ...   (see PartitionsBenchmark)
//   swift run -c release kaffee-storage-bench crc [--mib N] [--rounds N]  (see CRCBenchmark)
//
// Records are 1 KiB values in batches of 16 (about 16 KiB per batch), as a producer would send.
// Every append validates its batch (length, magic, CRC-32C) exactly as the broker will. Every
// write measurement ends with the data synced, so all of them measure what the disk takes, and
// starts after a global sync so earlier runs' writeback does not leak into it.
import KafkaRecords
import LogStorage
import SystemIO

struct Options {
    var directory = "/tmp"
    var mebibytes = 1024
    var alwaysMebibytes = 64
    var rounds = 3
}

func parseOptions() -> Options? {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst()
    while let flag = arguments.popFirst() {
        guard flag != "--help" && flag != "-h" else { return nil }
        guard let value = arguments.popFirst() else {
            printError("missing value for \(flag)")
            return nil
        }
        switch flag {
        case "--dir": options.directory = value
        case "--mib": guard let n = Int(value), n > 0 else { printError("--mib needs a positive integer"); return nil }
            options.mebibytes = n
        case "--always-mib": guard let n = Int(value), n > 0 else { printError("--always-mib needs a positive integer"); return nil }
            options.alwaysMebibytes = n
        case "--rounds": guard let n = Int(value), n > 0 else { printError("--rounds needs a positive integer"); return nil }
            options.rounds = n
        default:
            printError("unknown flag \(flag)")
            return nil
        }
    }
    return options
}

func printError(_ message: String) {
    var line = Array("kaffee-storage-bench: \(message)\n".utf8)
    line.withUnsafeBytes { try? FileDescriptor.standardError.writeAll($0) }
    line.removeAll()
}

let usage = """
usage: kaffee-storage-bench [--dir DIR] [--mib N] [--always-mib N] [--rounds N]
       kaffee-storage-bench partitions --help | crc --help
  --dir DIR         where to write (default /tmp); a fresh subdirectory is used and removed
  --mib N           MiB appended per run for raw, never and interval (default 1024)
  --always-mib N    MiB appended per run with durability always (default 64)
  --rounds N        runs of each measurement; the median is reported (default 3)
"""

/// One 16-record batch of 1 KiB values.
func makeBatchBytes() -> [UInt8] {
    var builder = RecordBatchBuilder()
    for i in 0..<16 {
        let value = (0..<1024).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ i) }
        builder.append(RecordInput(key: Array("key-\(i)".utf8), value: value, timestamp: 1_700_000_000_000 + Int64(i)))
    }
    return builder.build()
}

let clock = SystemTimeSource()

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = clock.monotonicNanos()
    try body()
    return Double(clock.monotonicNanos() - start) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

/// Plain `pwrite` of the same bytes, the same number of times, to one file, then one
/// `fdatasync` (or one after every write), so the figure is what the disk takes.
func rawWrite(directory: String, batch: [UInt8], count: Int, syncEach: Bool) throws -> Double {
    let path = directory + "/raw.bin"
    let fd = try FileDescriptor.open(path, [.readWrite, .create, .truncate])
    defer {
        try? fd.close()
        try? FileSystemCalls.removeFile(path)
    }
    return try seconds {
        var position: Int64 = 0
        for _ in 0..<count {
            try batch.withUnsafeBytes { try fd.write($0, at: position) }
            if syncEach { try fd.dataSync() }
            position += Int64(batch.count)
        }
        try fd.dataSync()
    }
}

/// Appends `count` batches through a store with the given durability and then flushes, so the
/// figure includes getting the bytes to disk; returns seconds taken and the store.
func appendRun(directory: String, batch: [UInt8], count: Int, durability: String) throws -> (Double, LogStore) {
    let store = try LogStore.open(dataDirectory: directory, logger: .silent)
    var config = TopicConfig(partitionCount: 1)
    try config.set("durability", durability)
    let log = try store.partition(try store.createTopic("bench", config: config).name, 0)
    store.startMaintenance()
    let elapsed = try seconds {
        for _ in 0..<count {
            let validated = try ValidatedBatches(validating: batch, maxBatchSize: 1 << 20)
            _ = try log.append(validated)
        }
        try log.flush()
    }
    return (elapsed, store)
}

/// Reads the whole log sequentially into memory in 1 MiB fetches.
func readRun(_ log: PartitionLog) throws -> (Double, Int) {
    var bytes = 0
    let elapsed = try seconds {
        var offset: Int64 = 0
        let end = log.offsets.highWatermark
        while offset < end {
            guard let region = try log.read(from: offset, maxBytes: 1 << 20).region else { break }
            let data = try region.readBytes()
            bytes += data.count
            let batches = try RecordBatchIterator.batches(in: data, range: 0..<data.count)
            guard let last = batches.last else { break }
            offset = last.header.lastOffset + 1
        }
    }
    return (elapsed, bytes)
}

func run(_ options: Options) throws {
    let batch = makeBatchBytes()
    let count = options.mebibytes * 1024 * 1024 / batch.count
    let alwaysCount = options.alwaysMebibytes * 1024 * 1024 / batch.count
    let root = try FileSystemCalls.makeTemporaryDirectory(in: options.directory, prefix: "kaffee-bench-")
    defer { try? FileSystemCalls.removeTree(root) }
    let mb = Double(batch.count) / 1e6
    print("kaffee-storage-bench: \(batch.count)-byte batches of 16 × 1 KiB records, \(count) batches (\(options.mebibytes) MiB) per run, \(options.rounds) rounds, median; CRC-32C \(CRC32C.hardwareAccelerated ? "hardware" : "software"); dir \(root)")

    // Rounds are interleaved (raw, never, interval, raw+sync, always, ...) so that page-cache
    // and writeback state affect every measurement alike; each reports its median.
    let names = ["raw pwrite + final fdatasync", "append, durability never", "append, durability interval",
                 "raw pwrite + fdatasync each", "append, durability always"]
    var times = Array(repeating: [Double](), count: names.count)
    var readTimes: [Double] = []
    var readBytes = 0
    func appendAndDiscard(_ policy: String, batches: Int, read: Bool) throws -> Double {
        let directory = root + "/" + policy
        let (elapsed, store) = try appendRun(directory: directory, batch: batch, count: batches, durability: policy)
        if read {
            let (readElapsed, bytes) = try readRun(try store.partition("bench", 0))
            readTimes.append(readElapsed)
            readBytes = bytes
        }
        try store.close()
        try FileSystemCalls.removeTree(directory)
        return elapsed
    }
    for _ in 0..<options.rounds {
        FileSystemCalls.syncEverything()
        times[0].append(try rawWrite(directory: root, batch: batch, count: count, syncEach: false))
        FileSystemCalls.syncEverything()
        times[1].append(try appendAndDiscard("never", batches: count, read: true))
        FileSystemCalls.syncEverything()
        times[2].append(try appendAndDiscard("interval", batches: count, read: false))
        times[3].append(try rawWrite(directory: root, batch: batch, count: alwaysCount, syncEach: true))
        times[4].append(try appendAndDiscard("always", batches: alwaysCount, read: false))
    }
    let results = names.indices.map { (names[$0], median(times[$0]), $0 >= 3 ? alwaysCount : count, times[$0]) }

    let raw = Double(count) * mb / results[0].1
    func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
    func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return String(rounded)
    }
    print(pad("measurement", 32) + pad("MB/s", 10) + pad("batches/s", 12) + pad("vs raw", 10) + "MB/s range over rounds")
    for (name, elapsed, batches, all) in results {
        let rate = Double(batches) * mb / elapsed
        let reference = name.contains("always") || name.contains("each") ? Double(alwaysCount) * mb / results[3].1 : raw
        let rates = all.map { Double(batches) * mb / $0 }
        let range = format(rates.min() ?? 0) + "–" + format(rates.max() ?? 0)
        print(pad(name, 32) + pad(format(rate), 10) + pad(String(Int(Double(batches) / elapsed)), 12)
              + pad(format(rate / reference * 100) + "%", 10) + range)
    }
    let read = Double(readBytes) / 1e6 / median(readTimes)
    print(pad("sequential read (1 MiB fetches)", 32) + pad(format(read), 10) + pad(String(Int(Double(readBytes) / Double(batch.count) / median(readTimes))), 12) + "-")
}

if CommandLine.arguments.dropFirst().first == "partitions" {
    ProcessControl.exit(PartitionsBenchmark.main(Array(CommandLine.arguments.dropFirst(2))))
}
if CommandLine.arguments.dropFirst().first == "crc" {
    ProcessControl.exit(CRCBenchmark.main(Array(CommandLine.arguments.dropFirst(2))))
}
guard let options = parseOptions() else {
    print(usage)
    ProcessControl.exit(CommandLine.arguments.contains("--help") || CommandLine.arguments.contains("-h") ? 0 : 2)
}
do {
    try run(options)
} catch {
    printError("\(error)")
    ProcessControl.exit(1)
}
