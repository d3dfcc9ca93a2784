import KafkaRecords
@testable import LogStorage
import SystemIO
import Testing

/// Power loss, process crashes and torn writes at random points, many seeds. After every recovery the log must
/// be a prefix of what was attempted, contain everything acknowledged as durable, and keep
/// appending at its end (no offset handed out twice).
@Suite struct CrashTests {
    struct Model {
        /// Batches whose append returned, in order.
        var acknowledged: [StoredBatch] = []
        /// `acknowledged` plus a batch whose append failed when the process died (it may or may
        /// not have reached the file).
        var attempted: [StoredBatch] = []
        /// How many of `acknowledged` are known to be synced.
        var durableCount = 0
        var nextOffset: Int64 { attempted.last.map { $0.lastOffset + 1 } ?? 0 }
    }

    @Test(arguments: 0..<300)
    func randomPowerCutsLeaveADurablePrefix(seed: UInt64) throws {
        var random = SplitMix64(seed: seed &* 7919 &+ 17)
        let policies: [DurabilityPolicy] = [.always, .interval(milliseconds: 50), .never]
        let policy = policies[Int(seed % 3)]
        let config = smallConfig(durability: policy, segmentBytes: Int.random(in: 4096...12_000, using: &random),
                                 indexInterval: Int.random(in: 0...2000, using: &random))
        let fs = MemoryFileSystem()
        let clock = ManualTimeSource()
        var model = Model()
        var tag = 0

        for _ in 0..<4 {
            let log = try PartitionLog.open(directory: "/d", config: config, fileSystem: fs, time: clock, logger: .silent)
            let recovered = try readAll(log)
            try check(recovered, against: model, seed: seed)
            model.acknowledged = recovered
            model.attempted = recovered
            model.durableCount = recovered.count  // open syncs what it recovered

            if Bool.random(using: &random) { fs.die(afterOperations: Int.random(in: 1...80, using: &random)) }
            operations: for _ in 0..<Int.random(in: 1...60, using: &random) {
                switch Int.random(in: 0..<10, using: &random) {
                case 0:
                    do { try log.flush() } catch { break operations }
                    model.durableCount = model.acknowledged.count
                case 1:
                    clock.advance(millis: Int64.random(in: 0...80, using: &random))
                    let count = model.acknowledged.count
                    do { if try log.flushIfDue() { model.durableCount = count } } catch { break operations }
                case 2 where Int.random(in: 0..<4, using: &random) == 0:
                    do { try log.close() } catch { break operations }
                    model.durableCount = model.acknowledged.count
                    break operations
                default:
                    var bytes: [UInt8] = []
                    var batches: [ValidatedBatches] = []
                    for _ in 0..<Int.random(in: 1...3, using: &random) {
                        let batch = try makeBatch(tag: tag, records: Int.random(in: 1...5, using: &random),
                                                  valueSize: Int.random(in: 1...900, using: &random))
                        tag += 1
                        batches.append(batch)
                        bytes += batch.bytes
                    }
                    var expected: [StoredBatch] = []
                    var offset = model.nextOffset
                    for batch in batches {
                        expected.append(StoredBatch(baseOffset: offset, batch: batch))
                        offset += batch.offsetCount
                    }
                    model.attempted += expected
                    do {
                        let result = try log.append(try ValidatedBatches(validating: bytes))
                        #expect(result.baseOffset == expected[0].baseOffset, "seed \(seed): offsets continue at the end")
                    } catch {
                        break operations
                    }
                    model.acknowledged += expected
                    if policy == .always { model.durableCount = model.acknowledged.count }
                }
            }
            // Either the power goes (unsynced bytes may vanish) or only the process dies
            // (they stay, unsynced, and a later power cut may still take them).
            if Int.random(in: 0..<3, using: &random) == 0 { fs.restartProcess() } else { fs.crash(using: &random) }
        }
        fs.crash(using: &random)
        let log = try PartitionLog.open(directory: "/d", config: config, fileSystem: fs, time: clock, logger: .silent)
        let recovered = try readAll(log)
        try check(recovered, against: model, seed: seed)
        let end = log.offsets.logEndOffset
        #expect(end == (recovered.last.map { $0.lastOffset + 1 } ?? 0))
        #expect(try log.append(try makeBatch(tag: -1)).baseOffset == end, "seed \(seed): next offset is the recovered end")
    }

    private func check(_ recovered: [StoredBatch], against model: Model, seed: UInt64) throws {
        #expect(recovered.count <= model.attempted.count, "seed \(seed): recovered more than was ever written")
        let prefix = Array(model.attempted.prefix(recovered.count))
        #expect(recovered == prefix, "seed \(seed): recovered log is not a prefix of what was appended")
        #expect(recovered.count >= model.durableCount,
                "seed \(seed): lost acknowledged durable batches (\(recovered.count) < \(model.durableCount))")
    }
}
