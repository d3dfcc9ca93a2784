import Dispatch
import KafkaRecords
@testable import LogStorage
import SystemIO
import Testing

/// The segment file cache: least recently used files are closed, files in use stay open for
/// their users (a fetched region survives eviction and deletion), retired files never reopen.
@Suite struct SegmentFileCacheTests {
    let clock = ManualTimeSource()

    /// A store keeping at most `cap` files open, with topic `name` of 1 KiB segments.
    func store(_ fs: any StorageFileSystem, _ dir: String, cap: Int, topic name: String, partitions: Int32,
               _ settings: [(String, String)]) throws -> LogStore {
        let store = try LogStore.open(dataDirectory: dir, fileSystem: fs, time: clock, logger: .silent, maxOpenFiles: cap)
        var config = TopicConfig(partitionCount: partitions)
        try config.set("internal.segment.bytes", "1024")
        for (key, value) in settings { try config.set(key, value) }
        try store.createTopic(name, config: config)
        return store
    }

    func makeFiles(_ fs: MemoryFileSystem, count: Int) throws -> [String] {
        try fs.createDirectory("/f")
        return try (0..<count).map { index in
            let path = "/f/\(index).log"
            try fs.openFile(path, create: true).write([UInt8(index)], at: 0)
            return path
        }
    }

    @Test func theLeastRecentlyUsedFileIsClosedFirst() throws {
        let fs = MemoryFileSystem()
        let paths = try makeFiles(fs, count: 4)
        let cache = SegmentFileCache(capacity: 2)
        let handles = paths.map { cache.handle($0, fileSystem: fs) }
        #expect(fs.openFileCount == 0, "handles open nothing until used")
        _ = try handles[0].open()
        _ = try handles[1].open()
        _ = try handles[0].open()  // 0 is now the most recent
        _ = try handles[2].open()  // so 1 goes
        #expect(handles.map(\.isOpen) == [true, false, true, false])
        #expect(cache.openCount == 2)
        #expect(fs.openFileCount == 2)
        // A closed file opens again, with its content, on use.
        #expect(try handles[1].open().readBytes(at: 0, count: 1) == [1])
        #expect(handles.map(\.isOpen) == [false, true, true, false])
        #expect(cache.statistics == (opened: 4, closed: 2))
        cache.removeAll()
        #expect(fs.openFileCount == 0)
        #expect(try handles[3].open().readBytes(at: 0, count: 1) == [3])
    }

    @Test func aFileInUseStaysOpenUntilItsUserLetsGo() throws {
        let fs = MemoryFileSystem()
        let paths = try makeFiles(fs, count: 3)
        let cache = SegmentFileCache(capacity: 1)
        let handles = paths.map { cache.handle($0, fileSystem: fs) }
        var held: (any StorageFile)? = try handles[0].open()
        _ = try handles[1].open()
        #expect(!handles[0].isOpen)
        #expect(fs.openFileCount == 2, "the cache let go of file 0, its user did not")
        #expect(try held?.readBytes(at: 0, count: 1) == [0])
        held = nil
        #expect(fs.openFileCount == 1)
    }

    @Test func aRetiredFileIsClosedAndNeverOpenedAgain() throws {
        let fs = MemoryFileSystem()
        let paths = try makeFiles(fs, count: 1)
        let cache = SegmentFileCache(capacity: 4)
        let handle = cache.handle(paths[0], fileSystem: fs)
        _ = try handle.open()
        handle.retire()
        #expect(cache.openCount == 0)
        #expect(fs.openFileCount == 0)
        // Even though a file exists at the path again (it may be another segment's by now).
        #expect(throws: LogStorageError.self) { try handle.open() }
        #expect(fs.openFileCount == 0)
    }

    @Test func manyThreadsNeverHoldMoreThanTheCapPlusTheirOwn() throws {
        let fs = MemoryFileSystem()
        let paths = try makeFiles(fs, count: 64)
        let cache = SegmentFileCache(capacity: 8)
        let handles = paths.map { cache.handle($0, fileSystem: fs) }
        let threads = 8
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            var random = SplitMix64(seed: UInt64(thread))
            for _ in 0..<2_000 {
                let index = Int(random.next() % 64)
                let bytes = try? handles[index].open().readBytes(at: 0, count: 1)
                #expect(bytes == [UInt8(index)])
            }
        }
        #expect(cache.openCount <= 8)
        // Each thread holds at most one file beyond the cache's while it reads.
        #expect(fs.peakOpenFileCount <= 8 + threads)
        #expect(fs.openFileCount == cache.openCount)
    }

    @Test(arguments: FileSystemKind.allCases)
    func aFetchedRegionStaysReadableAfterEvictionAndAfterRetentionDeletedItsSegment(kind: FileSystemKind) throws {
        let (fs, dir) = try kind.make()
        defer { if kind == .posix { try? FileSystemCalls.removeTree(dir) } }
        let store = try store(fs, dir, cap: 2, topic: "r", partitions: 6, [("durability", "never"), ("file.delete.delay.ms", "0")])
        let log = try store.partition("r", 0)
        let batch = try makeBatch(tag: 1, records: 3, valueSize: 400)
        _ = try log.append(batch)
        let region = try #require(try log.read(from: 0, maxBytes: 1 << 20).region)
        let original = try region.readBytes()
        #expect(original.count == batch.bytes.count)
        let firstSegment = try #require(log.state.withLock { $0.segments.first })
        let segmentPath = firstSegment.logFile.path

        // Other partitions push partition 0's file out of the cache.
        for partition in Int32(1)..<6 {
            _ = try store.partition("r", partition).append(try makeBatch(tag: Int(partition)))
            _ = try store.partition("r", partition).read(from: 0, maxBytes: 1 << 20)
        }
        #expect(!firstSegment.logFile.isOpen)
        #expect(store.files.openCount <= 2)
        #expect(try region.readBytes() == original)

        // Roll past the segment and delete it (retention / DeleteRecords).
        _ = try log.append(try makeBatch(tag: 2, records: 3, valueSize: 400))
        _ = try log.append(try makeBatch(tag: 3, records: 3, valueSize: 400))
        #expect(log.segmentCount > 1)
        try log.deleteRecords(before: log.offsets.highWatermark)
        #expect(!fs.fileExists(segmentPath), "the segment is gone from the directory")
        #expect(try region.readBytes() == original, "the region still reads the deleted segment")
        if kind == .posix {
            // What sendfile gets: the region's own descriptor, still open.
            let descriptor = try #require(region.file.descriptor)
            var bytes = [UInt8](repeating: 0, count: region.length)
            let count = try bytes.withUnsafeMutableBytes { try descriptor.read(into: $0, at: region.position) }
            #expect(count == region.length && bytes == original)
        }
        #expect(throws: LogStorageError.self) { try firstSegment.logFile.open() }
        try store.close()
    }

    @Test func theLogCleanerReadsSegmentsWhoseFilesTheCacheClosed() throws {
        let fs = MemoryFileSystem()
        let store = try store(fs, "/data", cap: 1, topic: "c", partitions: 2, [("cleanup.policy", "compact"), ("min.cleanable.dirty.ratio", "0.01")])
        let log = try store.partition("c", 0)
        for round in 0..<20 {
            var builder = RecordBatchBuilder()
            builder.append(RecordInput(key: Array("key-\(round % 3)".utf8), value: [UInt8](repeating: UInt8(round), count: 200),
                                       timestamp: 1_700_000_000_000 + Int64(round)))
            _ = try log.append(try ValidatedBatches(validating: builder.build()))
            // The other partition takes the only cached descriptor each time.
            _ = try store.partition("c", 1).append(try makeBatch(tag: round))
        }
        let summary = try #require(try log.compact(force: true))
        #expect(summary.recordsRemoved > 0)
        var latest: [String: UInt8] = [:]
        var next = log.offsets.logStartOffset
        while let region = try log.read(from: next, maxBytes: 1 << 20).region {
            let bytes = try region.readBytes()
            for (header, range) in try RecordBatchIterator.batches(in: bytes, range: 0..<bytes.count, verifyCRC: true) {
                for record in try RecordBatchRecords.decode(Array(bytes[range])) {
                    latest[String(decoding: record.key ?? [], as: UTF8.self)] = record.value?.first
                }
                next = header.lastOffset + 1
            }
        }
        #expect(latest == ["key-0": 18, "key-1": 19, "key-2": 17])
        #expect(store.files.openCount <= 1)
        try store.close()
    }
}
