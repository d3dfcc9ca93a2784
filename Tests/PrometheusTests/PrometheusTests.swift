import Prometheus
import Testing

@Suite struct HistogramTests {
    @Test func bucketsAreSortedAndIndexedByUpperBound() {
        let buckets = HistogramBuckets(seconds: [0.01, 0.001, 1, 0.001])
        #expect(buckets.seconds == [0.001, 0.01, 1])
        #expect(buckets.nanos == [1_000_000, 10_000_000, 1_000_000_000])
        #expect(buckets.index(ofNanos: 0) == 0)
        #expect(buckets.index(ofNanos: 1_000_000) == 0, "a value equal to a bound falls in that bucket (le)")
        #expect(buckets.index(ofNanos: 1_000_001) == 1)
        #expect(buckets.index(ofNanos: 1_000_000_000) == 2)
        #expect(buckets.index(ofNanos: 1_000_000_001) == 3, "+Inf")
    }

    @Test func observationsCountSumAndCumulate() {
        var histogram = LatencyHistogram(buckets: HistogramBuckets(seconds: [0.001, 0.01]))
        histogram.observe(nanos: 500_000)
        histogram.observe(nanos: 5_000_000)
        histogram.observe(nanos: 5_000_000)
        histogram.observe(nanos: 2_000_000_000)
        #expect(histogram.counts == [1, 2, 1])
        #expect(histogram.cumulativeCounts == [1, 3, 4])
        #expect(histogram.count == 4)
        #expect(histogram.sumNanos == 2_010_500_000)
        #expect(abs(histogram.sumSeconds - 2.0105) < 1e-12)
    }

    @Test func theLockedHistogramCountsFromManyThreads() async {
        let histogram = Histogram()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { for _ in 0..<1_000 { histogram.observe(nanos: 200_000) } }
            }
        }
        #expect(histogram.snapshot.count == 8_000)
        #expect(histogram.snapshot.sumNanos == 8_000 * 200_000)
    }
}

@Suite struct MetricsWriterTests {
    @Test func escapesLabelValuesAndHelp() {
        #expect(PrometheusText.escapeLabelValue(#"a"b\c"# + "\nd") == #"a\"b\\c\nd"#)
        #expect(PrometheusText.escapeLabelValue("plain") == "plain")
        #expect(PrometheusText.escapeHelp("x\\y\nz \"q\"") == #"x\\y\nz "q""#)
        #expect(PrometheusText.labels([("b", "1"), ("a", "x\"")]) == #"{b="1",a="x\""}"#)
        #expect(PrometheusText.labels([]) == "")
    }

    @Test func formatsNumbersAsPrometheusDoes() {
        #expect(PrometheusText.format(3) == "3")
        #expect(PrometheusText.format(-2) == "-2")
        #expect(PrometheusText.format(0.0001) == "0.0001")
        #expect(PrometheusText.format(2.5) == "2.5")
        #expect(PrometheusText.format(.infinity) == "+Inf")
        #expect(PrometheusText.format(-.infinity) == "-Inf")
        #expect(PrometheusText.format(.nan) == "NaN")
    }

    @Test func validatesNames() {
        #expect(PrometheusText.isValidName("kaffee_requests_total"))
        #expect(PrometheusText.isValidName("a:b_c9"))
        #expect(!PrometheusText.isValidName("9lives"))
        #expect(!PrometheusText.isValidName("has-dash"))
        #expect(!PrometheusText.isValidName(""))
    }

    @Test func writesFamiliesSamplesAndHistograms() {
        var writer = MetricsWriter()
        writer.family("x_total", .counter, help: "Things\ncounted.")
        writer.sample("x_total", [("api", "Produce")], UInt64(7))
        writer.family("g", .gauge, help: "A gauge.")
        writer.sample("g", [], 1.5)
        writer.sample("g", [("k", "v")], Int64(-3))
        var histogram = LatencyHistogram(buckets: HistogramBuckets(seconds: [0.001, 0.5]))
        histogram.observe(nanos: 100_000)
        histogram.observe(nanos: 3_000_000_000)
        writer.family("lat_seconds", .histogram, help: "Latency.")
        writer.histogram("lat_seconds", [("api", "Fetch")], histogram)
        #expect(writer.text == """
        # HELP x_total Things\\ncounted.
        # TYPE x_total counter
        x_total{api="Produce"} 7
        # HELP g A gauge.
        # TYPE g gauge
        g 1.5
        g{k="v"} -3
        # HELP lat_seconds Latency.
        # TYPE lat_seconds histogram
        lat_seconds_bucket{api="Fetch",le="0.001"} 1
        lat_seconds_bucket{api="Fetch",le="0.5"} 1
        lat_seconds_bucket{api="Fetch",le="+Inf"} 2
        lat_seconds_sum{api="Fetch"} 3.0001
        lat_seconds_count{api="Fetch"} 2

        """)
    }
}
