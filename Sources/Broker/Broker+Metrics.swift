import KafkaProtocol
import LogStorage
public import Prometheus

extension Broker {
    /// Writes the broker's metrics: the request and traffic counters (when `metrics` is on),
    /// then gauges read now from the store and the coordinators — per-partition offsets and
    /// sizes, group states, members, committed offsets and lag, share-group records in flight,
    /// parked requests and transactions by state. Costs nothing between scrapes; a scrape walks
    /// every partition and group once. Thread-safe.
    public func renderMetrics(into writer: inout MetricsWriter) {
        if let metrics {
            metrics.requests.render(into: &writer)
            renderTraffic(metrics.topics, into: &writer)
        }
        let highWatermarks = renderPartitions(into: &writer)
        renderGroups(highWatermarks: highWatermarks, into: &writer)
        renderShareGroups(into: &writer)
        writer.family("kaffee_parked_requests", .gauge, help: "Requests waiting in the purgatory now, by kind.")
        for (kind, name) in [(DelayedOperation.Kind.fetch, "fetch"), (.join, "join"), (.sync, "sync"), (.produce, "produce"), (.admin, "admin")] {
            writer.sample("kaffee_parked_requests", [("kind", name)], Int64(purgatory.count(kind)))
        }
        var byState: [TransactionState: Int] = [:]
        for transaction in transactions.all() { byState[transaction.state, default: 0] += 1 }
        writer.family("kaffee_transactions", .gauge, help: "Transactional ids by transaction state (Ongoing = open transactions).")
        for state in TransactionState.allCases {
            writer.sample("kaffee_transactions", [("state", state.name)], Int64(byState[state] ?? 0))
        }
    }

    private func renderTraffic(_ traffic: TopicTrafficMetrics, into writer: inout MetricsWriter) {
        let topics = traffic.all.sorted { $0.key < $1.key }
        let families: [(String, String, KeyPath<TopicTraffic, UInt64>)] = [
            ("kaffee_topic_bytes_in_total", "Record batch bytes appended by Produce, per topic.", \.bytesIn),
            ("kaffee_topic_records_in_total", "Records appended by Produce, per topic.", \.recordsIn),
            ("kaffee_topic_bytes_out_total", "Record batch bytes sent by Fetch, per topic.", \.bytesOut),
            ("kaffee_topic_records_out_total",
             "Offsets covered by Fetch answers, per topic (from the fetch offset to the end of the last batch sent: an estimate of records out).",
             \.recordsOut),
        ]
        for (name, help, path) in families {
            writer.family(name, .counter, help: help)
            for (topic, counters) in topics { writer.sample(name, [("topic", topic)], counters[keyPath: path]) }
        }
    }

    /// Writes the per-partition gauges; returns each partition's high watermark for the lag.
    private func renderPartitions(into writer: inout MetricsWriter) -> [String: [Int32: Int64]] {
        var rows: [(topic: String, partition: Int32, offsets: LogOffsets, size: Int64)] = []
        for topic in store.topics.sorted(by: { $0.name < $1.name }) {
            for index in 0..<topic.config.partitionCount {
                guard let log = try? store.partition(topic.name, index) else { continue }
                rows.append((topic.name, index, log.offsets, log.sizeInBytes))
            }
        }
        let families: [(String, String, (LogOffsets, Int64) -> Int64)] = [
            ("kaffee_partition_log_start_offset", "First readable offset of the partition.", { offsets, _ in offsets.logStartOffset }),
            ("kaffee_partition_log_end_offset", "Offset the next appended record gets.", { offsets, _ in offsets.logEndOffset }),
            ("kaffee_partition_high_watermark", "End of what consumers may read (the log end offset except under durability=always).",
             { offsets, _ in offsets.highWatermark }),
            ("kaffee_partition_size_bytes", "Bytes in the partition's segment files.", { _, size in size }),
        ]
        for (name, help, value) in families {
            writer.family(name, .gauge, help: help)
            for row in rows {
                writer.sample(name, [("topic", row.topic), ("partition", String(row.partition))], value(row.offsets, row.size))
            }
        }
        var highWatermarks: [String: [Int32: Int64]] = [:]
        for row in rows { highWatermarks[row.topic, default: [:]][row.partition] = row.offsets.highWatermark }
        return highWatermarks
    }

    private func renderGroups(highWatermarks: [String: [Int32: Int64]], into writer: inout MetricsWriter) {
        var groups: [String: (type: String, state: String, members: Int)] = [:]
        for id in offsets.groupIds { groups[id] = ("classic", GroupState.empty.rawValue, 0) }
        for summary in coordinator.summaries { groups[summary.groupId] = ("classic", summary.state.rawValue, summary.members.count) }
        for id in consumerGroups.groupIds {
            guard let group = consumerGroups.describe(id) else { continue }
            groups[id] = ("consumer", group.state.rawValue, group.members.count)
        }
        for id in shareGroups.groupIds {
            guard let group = shareGroups.describe(id) else { continue }
            groups[id] = ("share", group.state.rawValue, group.members.count)
        }
        let sorted = groups.sorted { $0.key < $1.key }
        writer.family("kaffee_group_state", .gauge, help: "1 for each group's current state, by group type (classic, consumer, share).")
        for (id, group) in sorted {
            writer.sample("kaffee_group_state", [("group", id), ("type", group.type), ("state", group.state)], Int64(1))
        }
        writer.family("kaffee_group_members", .gauge, help: "Members of each group.")
        for (id, group) in sorted {
            writer.sample("kaffee_group_members", [("group", id), ("type", group.type)], Int64(group.members))
        }
        var committed: [(group: String, topic: String, partition: Int32, offset: Int64)] = []
        for id in offsets.groupIds.sorted() where groups[id]?.type != "share" {
            for (key, value) in offsets.all(group: id) { committed.append((id, key.topic, key.partition, value.offset)) }
        }
        committed.sort { ($0.group, $0.topic, $0.partition) < ($1.group, $1.topic, $1.partition) }
        writer.family("kaffee_group_committed_offset", .gauge, help: "Committed offset per group, topic and partition.")
        for row in committed {
            writer.sample("kaffee_group_committed_offset", [("group", row.group), ("topic", row.topic), ("partition", String(row.partition))], row.offset)
        }
        writer.family("kaffee_group_lag", .gauge,
                      help: "High watermark (the log end offset except under durability=always) minus the committed offset, per group, topic and partition.")
        for row in committed {
            guard let end = highWatermarks[row.topic]?[row.partition] else { continue }
            writer.sample("kaffee_group_lag", [("group", row.group), ("topic", row.topic), ("partition", String(row.partition))],
                          max(0, end - row.offset))
        }
    }

    private func renderShareGroups(into writer: inout MetricsWriter) {
        let keys = sharePartitions.keys.sorted { ($0.group, $0.topic, $0.partition) < ($1.group, $1.topic, $1.partition) }
        writer.family("kaffee_share_partition_acquired_records", .gauge, help: "Records acquired (in flight) per share group, topic and partition.")
        var inFlight: [(SharePartitionKey, SharePartition)] = []
        for key in keys {
            guard let partition = sharePartitions.partition(key) else { continue }
            inFlight.append((key, partition))
            writer.sample("kaffee_share_partition_acquired_records", [("group", key.group), ("topic", key.topic), ("partition", String(key.partition))],
                          partition.acquiredCount)
        }
        writer.family("kaffee_share_partition_start_offset", .gauge, help: "Share-partition start offset (records below it are done) per share group, topic and partition.")
        for (key, partition) in inFlight {
            writer.sample("kaffee_share_partition_start_offset", [("group", key.group), ("topic", key.topic), ("partition", String(key.partition))],
                          partition.startOffset)
        }
    }
}
