import Broker
import KafkaProtocol
import KafkaRecords
import LogStorage
import Prometheus
import Testing

@Suite struct BrokerMetricsTests {
    /// The value of the sample `name{labels}` in a rendering (labels exactly as written).
    static func value(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    static func render(_ broker: Broker) -> String {
        var writer = MetricsWriter()
        broker.renderMetrics(into: &writer)
        return writer.text
    }

    @Test func produceAndFetchMoveTheTopicCountersByExactlyWhatWasSent() throws {
        let metrics = BrokerMetrics()
        var harness = try BrokerHarness(configure: { $0.autoCreateTopics = false }, metrics: metrics)
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 2))
        var sentBytes = 0
        for round in 0..<3 {
            let batch = BrokerHarness.batch(values: (0..<(round + 2)).map { "v\(round)-\($0)" })
            sentBytes += batch.count
            #expect(try harness.produce("t", partition: Int32(round % 2), batch)?.errorCode == ErrorCode.none)
        }
        // 2 + 3 + 4 records in three requests.
        var traffic = metrics.topics.traffic("t")
        #expect(traffic.recordsIn == 9)
        #expect(traffic.bytesIn == UInt64(sentBytes))
        #expect(traffic.bytesOut == 0)

        // A rejected produce changes no traffic and counts its error.
        #expect(try harness.produce("missing", BrokerHarness.batch(values: ["x"]))?.errorCode == .unknownTopicOrPartition)
        #expect(metrics.topics.traffic("missing") == TopicTraffic())
        #expect(metrics.requests.stats(.produce).errors == [.unknownTopicOrPartition: 1])

        let fetched = try harness.send(BrokerHarness.fetch("t", partition: 0, offset: 0), version: 12)
        let records = try BrokerHarness.records(in: fetched.responses.first?.partitions.first?.records)
        #expect(records.count == 6)
        traffic = metrics.topics.traffic("t")
        #expect(traffic.recordsOut == 6)
        #expect(traffic.bytesOut == UInt64(try harness.store.partition("t", 0).sizeInBytes))
        // From offset 2, the second batch of partition 0 only: 4 offsets.
        _ = try harness.send(BrokerHarness.fetch("t", partition: 0, offset: 2), version: 12)
        #expect(metrics.topics.traffic("t").recordsOut == 10)
        // A fetch out of range carries OFFSET_OUT_OF_RANGE and sends nothing.
        _ = try harness.send(BrokerHarness.fetch("t", partition: 1, offset: 99), version: 12)
        #expect(metrics.requests.stats(.fetch).errors == [.offsetOutOfRange: 1])
        #expect(metrics.topics.traffic("t").recordsOut == 10)

        let text = Self.render(harness.broker)
        #expect(Self.value(text, #"kaffee_topic_records_in_total{topic="t"}"#) == 9)
        #expect(Self.value(text, #"kaffee_topic_records_out_total{topic="t"}"#) == 10)
        #expect(Self.value(text, #"kaffee_request_errors_total{api="Produce",error="UNKNOWN_TOPIC_OR_PARTITION"}"#) == 1)
        #expect(Self.value(text, #"kaffee_request_errors_total{api="Fetch",error="OFFSET_OUT_OF_RANGE"}"#) == 1)
        #expect(Self.value(text, #"kaffee_partition_log_end_offset{topic="t",partition="0"}"#) == 6)
        #expect(Self.value(text, #"kaffee_partition_log_end_offset{topic="t",partition="1"}"#) == 3)
        #expect(Self.value(text, #"kaffee_partition_log_start_offset{topic="t",partition="0"}"#) == 0)
        #expect(Self.value(text, #"kaffee_partition_size_bytes{topic="t",partition="0"}"#) == Double(try harness.store.partition("t", 0).sizeInBytes))
    }

    @Test func groupLagFollowsCommitsAndAppends() throws {
        var harness = try BrokerHarness(metrics: BrokerMetrics())
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 1))
        _ = try harness.produce("t", BrokerHarness.batch(values: ["a", "b", "c", "d", "e"]))
        let commit = try harness.send(OffsetCommitRequest(groupId: "g", generationIdOrMemberEpoch: -1, memberId: "", topics: [
            OffsetCommitRequest.Topic(name: "t", partitions: [OffsetCommitRequest.Partition(partitionIndex: 0, committedOffset: 5)]),
        ]), version: 2)
        #expect(commit.topics.first?.partitions.first?.errorCode == ErrorCode.none)
        var text = Self.render(harness.broker)
        #expect(Self.value(text, #"kaffee_group_committed_offset{group="g",topic="t",partition="0"}"#) == 5)
        #expect(Self.value(text, #"kaffee_group_lag{group="g",topic="t",partition="0"}"#) == 0)
        #expect(Self.value(text, #"kaffee_group_state{group="g",type="classic",state="Empty"}"#) == 1)
        #expect(Self.value(text, #"kaffee_group_members{group="g",type="classic"}"#) == 0)
        _ = try harness.produce("t", BrokerHarness.batch(values: ["f", "g", "h"]))
        text = Self.render(harness.broker)
        #expect(Self.value(text, #"kaffee_group_lag{group="g",topic="t",partition="0"}"#) == 3)
        #expect(Self.value(text, #"kaffee_parked_requests{kind="fetch"}"#) == 0)
        #expect(Self.value(text, #"kaffee_transactions{state="Ongoing"}"#) == 0)
    }

    @Test func withoutMetricsNothingIsCountedButGaugesRemain() throws {
        var harness = try BrokerHarness()
        try harness.store.createTopic("t", config: TopicConfig(partitionCount: 1))
        _ = try harness.produce("t", BrokerHarness.batch(values: ["a"]))
        #expect(harness.broker.metrics == nil)
        let text = Self.render(harness.broker)
        #expect(!text.contains("kaffee_requests_total"))
        #expect(!text.contains("kaffee_topic_records_in_total"))
        #expect(Self.value(text, #"kaffee_partition_log_end_offset{topic="t",partition="0"}"#) == 1)
    }

    @Test func responsesVisitEveryNestedErrorCode() {
        let response = FetchResponse(throttleTimeMs: 0, errorCode: .none, sessionId: 0, responses: [
            FetchResponse.FetchableTopicResponse(topic: "a", partitions: [
                FetchResponse.PartitionData(partitionIndex: 0, errorCode: .notLeaderOrFollower),
                FetchResponse.PartitionData(partitionIndex: 1, errorCode: .none),
            ]),
            FetchResponse.FetchableTopicResponse(topic: "b", partitions: [FetchResponse.PartitionData(partitionIndex: 0, errorCode: .offsetOutOfRange)]),
        ])
        var seen: [ErrorCode] = []
        response.forEachErrorCode { seen.append($0) }
        #expect(seen == [.none, .notLeaderOrFollower, .none, .offsetOutOfRange])
        #expect(ErrorCode.notLeaderOrFollower.kafkaName == "NOT_LEADER_OR_FOLLOWER")
        #expect(ErrorCode.unknownTopicOrPartition.kafkaName == "UNKNOWN_TOPIC_OR_PARTITION")
    }
}

@Suite struct RequestMetricsTests {
    @Test func recordsEveryPhaseOfARequestOnce() {
        let metrics = RequestMetrics()
        let ms: UInt64 = 1_000_000
        // Received at 0, handler at 2 ms, handled at 3 ms, ready (purgatory) at 53 ms, written at 54 ms.
        let timing = RequestTiming(received: 0, started: 2 * ms, handled: 3 * ms, ready: 53 * ms, written: 54 * ms)
        metrics.record(apiKey: ApiKey.produce.rawValue, version: 9, timing: timing)
        metrics.record(apiKey: ApiKey.produce.rawValue, version: 9, timing: timing)
        metrics.record(apiKey: ApiKey.produce.rawValue, version: 7, timing: timing)
        metrics.record(apiKey: 999, version: 0, timing: timing)
        metrics.recordClosed(apiKey: ApiKey.fetch.rawValue)
        metrics.recordClosed(apiKey: 999)
        metrics.recordClosed(apiKey: nil)
        let produce = metrics.stats(.produce)
        #expect(produce.requests == 3)
        #expect(produce.requestsByVersion[9] == 2)
        #expect(produce.requestsByVersion[7] == 1)
        #expect(produce.queue.count == 3 && produce.total.count == 3 && produce.purgatory.count == 3)
        #expect(produce.queue.sumNanos == 6 * ms)
        #expect(produce.local.sumNanos == 3 * ms)
        #expect(produce.purgatory.sumNanos == 150 * ms)
        #expect(produce.send.sumNanos == 3 * ms)
        #expect(produce.total.sumNanos == 162 * ms)
        // 50 ms lands in the (0.025, 0.05] bucket.
        let index = produce.purgatory.buckets.index(ofNanos: 50 * ms)
        #expect(produce.purgatory.buckets.seconds[index] == 0.05)
        #expect(produce.purgatory.counts[index] == 3)
        #expect(metrics.stats(.fetch).closed == 1)
        #expect(metrics.stats(.fetch).requests == 0)
        #expect(metrics.unknownClosed == 2)

        var writer = MetricsWriter()
        metrics.recordErrors(apiKey: .produce, ProduceResponse(responses: [
            ProduceResponse.TopicProduceResponse(name: "t", partitionResponses: [
                ProduceResponse.PartitionProduceResponse(index: 0, errorCode: .notLeaderOrFollower),
                ProduceResponse.PartitionProduceResponse(index: 1, errorCode: .notLeaderOrFollower),
            ]),
        ]))
        metrics.render(into: &writer)
        let text = writer.text
        #expect(BrokerMetricsTests.value(text, #"kaffee_requests_total{api="Produce",version="9"}"#) == 2)
        #expect(BrokerMetricsTests.value(text, #"kaffee_requests_total{api="Produce",version="7"}"#) == 1)
        #expect(BrokerMetricsTests.value(text, #"kaffee_request_errors_total{api="Produce",error="NOT_LEADER_OR_FOLLOWER"}"#) == 2)
        #expect(BrokerMetricsTests.value(text, #"kaffee_requests_closed_total{api="Fetch"}"#) == 1)
        #expect(BrokerMetricsTests.value(text, #"kaffee_requests_closed_total{api="unknown"}"#) == 2)
        #expect(BrokerMetricsTests.value(text, #"kaffee_request_total_seconds_count{api="Produce"}"#) == 3)
        #expect(BrokerMetricsTests.value(text, #"kaffee_request_total_seconds_bucket{api="Produce",le="+Inf"}"#) == 3)
        #expect(BrokerMetricsTests.value(text, #"kaffee_request_purgatory_seconds_bucket{api="Produce",le="0.025"}"#) == 0)
        #expect(BrokerMetricsTests.value(text, #"kaffee_request_purgatory_seconds_bucket{api="Produce",le="0.05"}"#) == 3)
        #expect(!text.contains(#"kaffee_request_total_seconds_count{api="Fetch"}"#), "no histograms for APIs that completed nothing")
        #expect(!text.contains(#"api="Metadata""#), "APIs never requested are left out")
    }
}
