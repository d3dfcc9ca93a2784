import KafkaClient
import SystemIO
import Synchronization

/// `kaffee perf produce|consume|e2e`: throughput (records/s, MB/s) and latency percentiles,
/// with a live progress line on a terminal and a final summary, like Kafka's perf-test tools.
enum PerfCommand {
    static let options: [Arguments.Option] = Kaffee.clientOptions + [
        Arguments.Option("--topic", value: "TOPIC", help: "topic to use (default kaffee-perf; created if missing)"),
        Arguments.Option("--records", value: "N", help: "records to send or read (default 1000000)"),
        Arguments.Option("--record-size", value: "BYTES", help: "value size (default 1024)"),
        Arguments.Option("--throughput", value: "RECORDS/S", help: "produce at most this rate (default unlimited)"),
        Arguments.Option("--acks", value: "all|1|0", help: "producer acks (default all)"),
        Arguments.Option("--linger-ms", value: "MS", help: "producer linger (default 5)"),
        Arguments.Option("--batch-size", value: "BYTES", help: "producer batch size (default 1000000)"),
        Arguments.Option("--no-idempotence", help: "turn off the idempotent producer"),
        Arguments.Option("--max-in-flight", value: "N", help: "producer requests in flight per broker (default 5; 1...5 when idempotent)"),
        Arguments.Option("--group", value: "GROUP", help: "consume as this group (default: no group, from the beginning)"),
        Arguments.Option("--threads", value: "N", help: "commit: concurrent committers, each its own group (default 16)"),
        Arguments.Option("--keys", value: "N", help: "produce: key records key-0 ... key-(N-1) in turn (default: no keys)"),
        Kaffee.helpOption,
    ]

    static let usage = """
    usage: kaffee perf produce [--records N] [--record-size B] [--throughput R] [producer options]
           kaffee perf consume [--records N] [--group G]
           kaffee perf e2e     [--records N] [--record-size B] [--throughput R]   produce→consume latency
           kaffee perf commit  [--records N] [--threads T]   offset commits of every partition of --topic

    \(Arguments.help(options))
    """

    static func run(_ raw: [String], environment: @Sendable (String) -> String?, console: Console) throws -> ExitCode {
        let arguments = try Arguments(raw, options: options)
        guard !arguments.flag("--help"), let mode = arguments.positionals.first, arguments.positionals.count == 1 else {
            console.print(usage)
            return arguments.flag("--help") ? .ok : .usage
        }
        let topic = arguments.value("--topic") ?? "kaffee-perf"
        let records = try arguments.integer("--records", default: 1_000_000, range: 1...Int(Int32.max))
        let size = try arguments.integer("--record-size", default: 1024, range: 0...(16 << 20))
        let throughput = try arguments.integer("--throughput", default: 0, range: 0...Int(Int32.max))
        let clientConfig = try Kaffee.clientConfig(arguments, environment: environment, clientId: "kaffee-perf")
        var producerConfig = try ProduceCommand.producerConfig(arguments)
        producerConfig.maxInFlightRequestsPerConnection = try arguments.integer("--max-in-flight", default: producerConfig.maxInFlightRequestsPerConnection,
                                                                                range: 1...(producerConfig.isIdempotent ? 5 : 1_000))
        switch mode {
        case "produce":
            let keys = try arguments.integer("--keys", default: 0, range: 0...Int(Int32.max))
            let result = try produce(topic: topic, records: records, size: size, throughput: throughput,
                                     producerConfig: producerConfig, clientConfig: clientConfig, console: console, stamp: false, keys: keys)
            report("produce", result, size: size, console: console)
            return result.failed == 0 ? .ok : .failure
        case "consume":
            let result = try consume(topic: topic, records: records, group: arguments.value("--group"), clientConfig: clientConfig, console: console, measureLatency: false)
            report("consume", result, size: nil, console: console)
            return .ok
        case "e2e":
            let producerConfig = producerConfig
            let admin = KafkaAdmin(config: clientConfig)
            defer { admin.close() }
            _ = try? admin.createTopic(name: topic, partitions: 1, replicationFactor: -1)
            let description = try admin.describeTopic(name: topic)
            let partitions = description.partitions.map { TopicPartition(topic: topic, partition: $0.partition) }
            let start = try admin.listOffsets(partitions, spec: .latest).mapValues(\.offset)
            let failures = Locked<String?>(nil)
            try SystemThread.spawn(name: "perf-producer") {
                do {
                    _ = try produce(topic: topic, records: records, size: max(size, 8), throughput: throughput,
                                    producerConfig: producerConfig, clientConfig: clientConfig, console: Console.capturing(), stamp: true)
                } catch { failures.withLock { $0 = "\(error)" } }
            }
            let result = try consume(topic: topic, records: records, group: nil, clientConfig: clientConfig, console: console,
                                     measureLatency: true, startOffsets: start)
            if let error = failures.withLock({ $0 }) { throw CLIError.failed("producer: \(error)") }
            report("end-to-end", result, size: size, console: console)
            return .ok
        case "commit":
            let threads = try arguments.integer("--threads", default: 16, range: 1...256)
            let result = try commit(topic: topic, records: records, threads: threads, clientConfig: clientConfig, console: console)
            report("commit", result, size: nil, console: console)
            return .ok
        default:
            throw CLIError.usage("unknown perf mode \(mode.debugDescription)\n\n\(usage)")
        }
    }

    struct Result {
        var records: Int
        var bytes: Int
        var seconds: Double
        var latency: LatencyStats
        var failed: Int
    }

    static func nowMicros() -> Int64 { Int64(SystemTimeSource().monotonicNanos() / 1000) }
    static func wallMicros() -> Int64 { SystemTimeSource().wallMillis() * 1000 }

    /// Produces `records` values of `size` bytes; with `stamp`, each value starts with the send
    /// time (monotonic clock, µs: e2e produces and consumes in one process) so the consumer can
    /// measure end-to-end latency to the microsecond.
    static func produce(topic: String, records: Int, size: Int, throughput: Int, producerConfig: ProducerConfig,
                        clientConfig: ClientConfig, console: Console, stamp: Bool, keys: Int = 0) throws -> Result {
        let producer = try KafkaProducer(config: clientConfig, producerConfig: producerConfig)
        defer { producer.close() }
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let stats = Locked((latency: LatencyStats(), acked: 0, failed: 0, firstError: String?.none))
        let started = nowMicros()
        var lastReport = started
        for i in 0..<records {
            if Interruption.shared.isRequested { break }
            if throughput > 0 {
                let due = started + Int64(i) * 1_000_000 / Int64(throughput)
                while nowMicros() < due { ConditionSignal().wait(after: 0, timeoutNanos: 100_000) }
            }
            var value = payload
            if stamp {
                var time = nowMicros().bigEndian
                withUnsafeBytes(of: &time) { value.replaceSubrange(0..<8, with: $0) }
            }
            let sentAt = nowMicros()
            let key = keys > 0 ? Array("key-\(i % keys)".utf8) : nil
            producer.send(ProducerRecord(topic: topic, key: key, value: value)) { result in
                let latency = nowMicros() - sentAt
                stats.withLock { stats in
                    switch result {
                    case .success:
                        stats.acked += 1
                        stats.latency.add(latency)
                    case .failure(let error):
                        stats.failed += 1
                        if stats.firstError == nil { stats.firstError = "\(error)" }
                    }
                }
            }
            let now = nowMicros()
            if now - lastReport >= 1_000_000 {
                lastReport = now
                let acked = stats.withLock { $0.acked }
                let rate = Double(acked) / (Double(now - started) / 1e6)
                console.progress("\(acked) records acknowledged, \(Int(rate)) records/s, \(LatencyStats.format(rate * Double(size) / 1e6)) MB/s")
            }
        }
        try producer.flush()
        let seconds = Double(nowMicros() - started) / 1e6
        console.progress("")
        let final = stats.withLock { $0 }
        if let error = final.firstError { console.error("first failure: \(error)") }
        return Result(records: final.acked, bytes: final.acked * size, seconds: seconds, latency: final.latency, failed: final.failed)
    }

    /// Consumes `records` records from the topic (all partitions, from `startOffsets` or the
    /// beginning, or as `group`). Latency: with `measureLatency` (e2e), the send time stamped in
    /// each value to its arrival; otherwise each record's age when consumed (now − its timestamp).
    static func consume(topic: String, records: Int, group: String?, clientConfig: ClientConfig, console: Console,
                        measureLatency: Bool, startOffsets: [TopicPartition: Int64]? = nil) throws -> Result {
        var config = ConsumerConfig(groupId: group)
        config.autoOffsetReset = .earliest
        config.enableAutoCommit = group != nil
        config.fetchMaxWaitMs = 100
        let consumer = try KafkaConsumer(config: clientConfig, consumerConfig: config)
        defer { consumer.close() }
        if group != nil {
            try consumer.subscribe([topic])
        } else {
            let admin = KafkaAdmin(config: clientConfig)
            defer { admin.close() }
            let partitions = try admin.describeTopic(name: topic).partitions.map { TopicPartition(topic: topic, partition: $0.partition) }
            try consumer.assign(partitions)
            for partition in partitions {
                if let offset = startOffsets?[partition] { try consumer.seek(partition, to: offset) } else { try consumer.seekToBeginning([partition]) }
            }
        }
        var latency = LatencyStats()
        var count = 0
        var bytes = 0
        var started: Int64? = measureLatency ? nil : nowMicros()
        var lastReport = nowMicros()
        var idleSince = nowMicros()
        while count < records && !Interruption.shared.isRequested {
            let batch = try consumer.poll(timeoutMs: 200)
            let now = nowMicros()
            if batch.isEmpty {
                if now - idleSince > 10_000_000 { console.error("no records for 10 s; stopping at \(count)"); break }
                continue
            }
            idleSince = now
            if started == nil { started = now }
            for record in batch.prefix(records - count) {
                count += 1
                bytes += record.value?.count ?? 0
                if measureLatency, let value = record.value, value.count >= 8 {
                    let sent = value.prefix(8).reduce(Int64(0)) { $0 << 8 | Int64($1) }
                    latency.add(max(0, nowMicros() - sent))
                } else if !measureLatency {
                    latency.add(max(0, wallMicros() - record.timestamp * 1000))
                }
            }
            if now - lastReport >= 1_000_000 {
                lastReport = now
                let rate = Double(count) / (Double(now - (started ?? now)) / 1e6 + 1e-9)
                console.progress("\(count) records consumed, \(Int(rate)) records/s")
            }
        }
        console.progress("")
        let seconds = Double(nowMicros() - (started ?? nowMicros())) / 1e6
        return Result(records: count, bytes: bytes, seconds: max(seconds, 1e-6), latency: latency, failed: 0)
    }

    static func report(_ name: String, _ result: Result, size: Int?, console: Console) {
        let rate = Double(result.records) / result.seconds
        let megabytes = Double(result.bytes) / 1e6 / result.seconds
        var line = "\(name): \(result.records) records in \(LatencyStats.format(result.seconds)) s, \(Int(rate)) records/s, \(LatencyStats.format(megabytes)) MB/s"
        if let summary = result.latency.summary() {
            line += ", latency ms avg \(LatencyStats.format(summary.average)) p50 \(LatencyStats.format(summary.p50)) p99 \(LatencyStats.format(summary.p99)) p99.9 \(LatencyStats.format(summary.p999)) max \(LatencyStats.format(summary.max))"
        }
        if result.failed > 0 { line += ", \(result.failed) failed" }
        console.print(line)
    }
}
