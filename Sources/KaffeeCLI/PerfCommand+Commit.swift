import KafkaClient
import SystemIO
import Synchronization

extension PerfCommand {
    /// `kaffee perf commit`: `records` offset commits of all `topic`'s partitions (one
    /// OffsetCommit each, as consumers commit), spread over `threads` consumers in groups
    /// `kaffee-perf-commit-<i>`; reports commits per second and latency. Used to measure the
    /// committed-offsets log (its growth, compaction and the replay at start-up).
    static func commit(topic: String, records: Int, threads: Int, clientConfig: ClientConfig, console: Console) throws -> Result {
        let admin = KafkaAdmin(config: clientConfig)
        defer { admin.close() }
        _ = try? admin.createTopic(name: topic, partitions: 4, replicationFactor: -1)
        let partitions = try admin.describeTopic(name: topic).partitions.map { TopicPartition(topic: topic, partition: $0.partition) }
        let done = Atomic<Int>(0)
        let failure = Locked<String?>(nil)
        let latencies = Locked(LatencyStats())
        let finished = ConditionSignal()
        let remaining = Atomic<Int>(threads)
        let started = nowMicros()
        for thread in 0..<threads {
            let share = records / threads + (thread < records % threads ? 1 : 0)
            try SystemThread.spawn(name: "perf-commit-\(thread)") {
                defer {
                    remaining.subtract(1, ordering: .relaxed)
                    finished.signal()
                }
                do {
                    let consumer = try KafkaConsumer(config: clientConfig, consumerConfig: ConsumerConfig(groupId: "kaffee-perf-commit-\(thread)"))
                    defer { consumer.close() }
                    try consumer.assign(partitions)
                    var local = LatencyStats()
                    for i in 0..<share {
                        let offsets = Dictionary(uniqueKeysWithValues: partitions.map { ($0, Int64(i)) })
                        let before = nowMicros()
                        try consumer.commitSync(offsets)
                        local.add(nowMicros() - before)
                        done.add(1, ordering: .relaxed)
                    }
                    let measured = local
                    latencies.withLock { stats in for sample in measured.samples { stats.add(sample) } }
                } catch {
                    failure.withLock { $0 = $0 ?? "\(error)" }
                }
            }
        }
        var generation = finished.generation
        while remaining.load(ordering: .relaxed) > 0 {
            generation = finished.wait(after: generation, timeoutNanos: 500_000_000)
            console.progress("committed \(done.load(ordering: .relaxed)) of \(records)")
        }
        console.progress("")
        if let failure = failure.withLock({ $0 }) { throw CLIError.failed("commit: \(failure)") }
        let seconds = Double(nowMicros() - started) / 1e6
        return Result(records: records, bytes: 0, seconds: max(seconds, 1e-6), latency: latencies.withLock { $0 }, failed: 0)
    }
}
