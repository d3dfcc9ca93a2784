import KafkaRecords
import LogStorage
import SystemIO

/// `kaffee-storage-bench partitions`: a store with many partitions, timed step by step in wall
/// and CPU time (CPU time stays meaningful when other work shares the machine):
///
/// 1. create a topic of `--count` partitions
/// 2. append one small batch to `--touch` of them (default all)
/// 3. clean close, 4. clean open (nothing to recover)
/// 5. append again, then drop the store without closing it: a SIGKILL (the page cache keeps
///    every byte, nothing is closed cleanly)
/// 6. open after the crash (every touched partition is checked), 7. clean close
///
/// Also reports the most descriptors the process held. Single process, no broker, no sockets.
enum PartitionsBenchmark {
    struct Options {
        var count = 20_000
        var touch: Int?
        var directory = "/tmp"
        var maxOpenFiles = SegmentFileCache.defaultCapacity
    }

    static let usage = """
    usage: kaffee-storage-bench partitions [--count N] [--touch N|all] [--dir DIR] [--max-open-files N]
      --count N           partitions of the topic (default 20000)
      --touch N|all       partitions appended to before each stop (default all)
      --dir DIR           where to work (default /tmp); a fresh subdirectory is used and removed
      --max-open-files N  the store's segment file cache (default 256)
    """

    static func main(_ arguments: [String]) -> Int32 {
        guard let options = parse(arguments) else {
            print(usage)
            return arguments.contains("--help") ? 0 : 2
        }
        do {
            try run(options)
            return 0
        } catch {
            printError("\(error)")
            return 1
        }
    }

    static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { return nil }
            switch flag {
            case "--count": guard let n = Int(value), n > 0, n <= Int(LogStore.maxPartitionsPerTopic) else { return nil }
                options.count = n
            case "--touch": if value == "all" { options.touch = nil } else if let n = Int(value), n >= 0 { options.touch = n } else { return nil }
            case "--dir": options.directory = value
            case "--max-open-files": guard let n = Int(value), n > 0 else { return nil }
                options.maxOpenFiles = n
            default: return nil
            }
        }
        return options
    }

    /// Wall and CPU milliseconds of `body`.
    static func timed(_ label: String, _ body: () throws -> Void) rethrows {
        let wall = clock.monotonicNanos()
        let cpu = ProcessControl.cpuTimeNanos()
        try body()
        let wallMillis = Double(clock.monotonicNanos() - wall) / 1e6
        let cpuMillis = Double(ProcessControl.cpuTimeNanos() - cpu) / 1e6
        print(label.padding(to: 40) + "wall \(Int(wallMillis.rounded())) ms".padding(to: 18) + "cpu \(Int(cpuMillis.rounded())) ms")
    }

    static func openDescriptors() -> Int {
        (try? FileSystemCalls.listDirectory("/proc/self/fd").count) ?? -1
    }

    static func run(_ options: Options) throws {
        let root = try FileSystemCalls.makeTemporaryDirectory(in: options.directory, prefix: "kaffee-partitions-")
        defer { try? FileSystemCalls.removeTree(root) }
        let touched = Int32(min(options.touch ?? options.count, options.count))
        var peakDescriptors = openDescriptors()
        print("kaffee-storage-bench partitions: \(options.count) partitions, \(touched) touched, at most \(options.maxOpenFiles) segment files open; dir \(root)")
        func open() throws -> LogStore {
            try LogStore.open(dataDirectory: root, logger: .silent, maxOpenFiles: options.maxOpenFiles)
        }
        func touch(_ store: LogStore, tag: String) throws {
            for partition in 0..<touched {
                var builder = RecordBatchBuilder()
                builder.append(RecordInput(key: Array("k\(partition)".utf8), value: Array("\(tag)-\(partition)".utf8),
                                           timestamp: clock.wallMillis()))
                _ = try store.partition("bench", partition).append(try ValidatedBatches(validating: builder.build()))
                peakDescriptors = max(peakDescriptors, partition % 1000 == 0 ? openDescriptors() : 0)
            }
        }
        var config = TopicConfig(partitionCount: Int32(options.count))
        try config.set("durability", "never")
        do {
            let store = try open()
            try timed("create topic") { try store.createTopic("bench", config: config) }
            try timed("append to \(touched) partitions") { try touch(store, tag: "a") }
            try timed("clean close") { try store.close() }
        }
        do {
            var reopened: LogStore?
            try timed("clean open") { reopened = try open() }
            guard let store = reopened else { return }
            try timed("append to \(touched) partitions") { try touch(store, tag: "b") }
            peakDescriptors = max(peakDescriptors, openDescriptors())
            // Dropped without close: a SIGKILL (every written byte is still in the page cache).
        }
        var recovered: LogStore?
        try timed("open after a crash") { recovered = try open() }
        guard let store = recovered else { return }
        let sample = try store.partition("bench", touched > 0 ? touched - 1 : 0).offsets
        guard touched == 0 || sample.logEndOffset == 2 else {
            throw LogStorageError.corrupt(path: root, position: 0, reason: "partition \(touched - 1) recovered \(sample.logEndOffset) records, expected 2")
        }
        try timed("clean close (nothing changed since)") { try store.close() }
        print("most descriptors held by the process: \(peakDescriptors)")
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
