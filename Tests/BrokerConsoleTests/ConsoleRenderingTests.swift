import Testing
@testable import BrokerConsole

/// The escaping helper, value rendering (JSON, UTF-8 text, hex) and parameter parsing.
@Suite struct ConsoleRenderingTests {
    @Test func escapeCoversMarkupQuotesAndControls() {
        #expect(HTML.escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(HTML.escape("a & \"b\" 'c'") == "a &amp; &quot;b&quot; &#39;c&#39;")
        #expect(HTML.escape("tab\there\nline\u{0}\u{1B}") == "tab\there\nline\u{FFFD}\u{FFFD}")
        #expect(HTML.escape("héllo €") == "héllo €")
    }

    @Test func linksEncodeEachSegment() {
        #expect(HTML.pathComponent("a/b?c#d e") == "a%2Fb%3Fc%23d%20e")
        #expect(HTML.pathComponent("orders.v1-x_y~") == "orders.v1-x_y~")
        #expect(HTML.link(["groups", "<g>&"], query: [("a", "1&2")]) == "/groups/%3Cg%3E%26?a=1%262")
        #expect(HTML.link(["t"], query: [("a", "1"), ("b", "2")]) == "/t?a=1&amp;b=2")
    }

    @Test func jsonValuesArePrettyPrinted() {
        let rendered = RenderedBytes(Array(#"{"a":1,"b":[true,null,"x\"y"],"c":{}}"#.utf8))
        #expect(rendered == .json("{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null,\n    \"x\\\"y\"\n  ],\n  \"c\": {}\n}"))
        #expect(RenderedBytes(Array(" [1, -2.5e3, 0] ".utf8)) == .json("[\n  1,\n  -2.5e3,\n  0\n]"))
    }

    @Test func nonJSONTextStaysText() {
        #expect(RenderedBytes(Array("hello".utf8)) == .text("hello"))
        #expect(RenderedBytes(Array("42".utf8)) == .text("42"))
        #expect(RenderedBytes(Array(#"{"a":}"#.utf8)) == .text(#"{"a":}"#))
        #expect(RenderedBytes(Array(#"{"a":1} x"#.utf8)) == .text(#"{"a":1} x"#))
        #expect(RenderedBytes(Array("[01]".utf8)) == .text("[01]"))
        #expect(RenderedBytes(Array("<script>alert(1)</script>".utf8)) == .text("<script>alert(1)</script>"))
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(RenderedBytes(Array(deep.utf8)).kind == "text")
    }

    @Test func binaryIsHexAndNullIsNull() {
        #expect(RenderedBytes([0xff, 0x00, 0xfe, 0x41]) == .hex("ff 00 fe 41"))
        #expect(RenderedBytes(nil) == .null)
        #expect(RenderedBytes([]) == .text(""))
    }

    @Test func longValuesAreCut() {
        let long = [UInt8](repeating: UInt8(ascii: "a"), count: RenderedBytes.displayLimit + 10)
        #expect(RenderedBytes(long).display.utf8.count == RenderedBytes.displayLimit)
    }

    @Test func browseQueryDefaultsAndStarts() throws {
        let defaults = try ConsoleParameters.browseQuery(topic: "t", [:])
        #expect(defaults == BrowseQuery(topic: "t", partition: 0, start: .earliest, count: 20))
        #expect(try ConsoleParameters.browseQuery(topic: "t", ["offset": "5", "partition": "2", "count": "200"])
                == BrowseQuery(topic: "t", partition: 2, start: .offset(5), count: 200))
        #expect(try ConsoleParameters.browseQuery(topic: "t", ["from": "latest", "offset": ""]).start == .latest)
        #expect(try ConsoleParameters.browseQuery(topic: "t", ["timestamp": "1700000000000"]).start == .timestamp(1_700_000_000_000))
        #expect(try ConsoleParameters.browseQuery(topic: "t", ["from": "timestamp", "timestamp": "1970-01-02T00:00"]).start == .timestamp(86_400_000))
    }

    @Test func badBrowseParametersAre400() {
        for parameters: [String: String] in [["offset": "abc"], ["count": "-1"], ["count": "0"], ["count": "201"], ["partition": "-3"],
                                             ["offset": "99999999999999999999999"], ["from": "sideways"], ["from": "offset"],
                                             ["timestamp": "yesterday"], ["partition": String(repeating: "9", count: 5000)]] {
            #expect(throws: ConsoleFailure.self, "\(parameters)") { try ConsoleParameters.browseQuery(topic: "t", parameters) }
            do {
                _ = try ConsoleParameters.browseQuery(topic: "t", parameters)
            } catch {
                #expect(error.status == 400)
                #expect(error.message.count < 300)
            }
        }
    }

    @Test func resetAndCreateForms() throws {
        #expect(try ConsoleParameters.resetTarget(["to": "earliest"]) == .earliest)
        #expect(try ConsoleParameters.resetTarget(["to": "offset", "offset": "7"]) == .offset(7))
        #expect(throws: ConsoleFailure.self) { try ConsoleParameters.resetTarget(["to": "offset"]) }
        #expect(throws: ConsoleFailure.self) { try ConsoleParameters.resetTarget([:]) }
        let created = try ConsoleParameters.createTopic(["name": " orders ", "partitions": "3", "retention.ms": "60000", "segment.bytes": ""])
        #expect(created.name == "orders" && created.partitions == 3 && created.configs == ["retention.ms": "60000"])
        #expect(throws: ConsoleFailure.self) { try ConsoleParameters.createTopic(["name": "<script>"]) }
        #expect(throws: ConsoleFailure.self) { try ConsoleParameters.createTopic(["name": ".."]) }
        #expect(throws: ConsoleFailure.self) { try ConsoleParameters.createTopic(["name": "ok", "partitions": "0"]) }
    }

    @Test func timestampsFormatAndParseInUTC() {
        #expect(ConsoleParameters.formatTimestamp(0) == "1970-01-01T00:00:00.000Z")
        #expect(ConsoleParameters.formatTimestamp(1_700_000_000_123) == "2023-11-14T22:13:20.123Z")
        #expect(ConsoleParameters.parseDateTime("2023-11-14T22:13:20") == 1_700_000_000_000)
        #expect(ConsoleParameters.parseDateTime("2024-02-29") == 1_709_164_800_000)
        #expect(ConsoleParameters.parseDateTime("2024-13-01") == nil)
        #expect(ConsoleParameters.parseDateTime("2024-01-01T25:00") == nil)
        #expect(ConsoleParameters.parseDateTime("2023-02-29") == nil)
        #expect(ConsoleParameters.parseDateTime("2023-11-14T22:13:20Z") == 1_700_000_000_000)
        #expect(ConsoleParameters.parseDateTime("2023-11-14T22") == nil)
        #expect(ConsoleParameters.formatTimestamp(-1) == "none")
    }

    @Test func ratesComeFromSuccessiveReadings() {
        let rates = CounterRates(minimumIntervalNanos: 500_000_000, maximumIntervalNanos: 10_000_000_000)
        let unmeasured: Set<ConsoleCounters.Field> = [.requests]
        #expect(rates.record(ConsoleCounters(recordsIn: 100, unmeasured: unmeasured), atNanos: 1_000_000_000).isEmpty)
        let first = rates.record(ConsoleCounters(recordsIn: 300, bytesIn: 1000, unmeasured: unmeasured), atNanos: 3_000_000_000)
        #expect(first[.recordsIn] == 100)
        #expect(first[.bytesIn] == 500)
        #expect(first[.requests] == nil)
        // Too soon: the last rates again; a total going down counts as 0.
        #expect(rates.record(ConsoleCounters(recordsIn: 900, unmeasured: unmeasured), atNanos: 3_100_000_000)[.recordsIn] == 100)
        #expect(rates.record(ConsoleCounters(recordsIn: 10, unmeasured: unmeasured), atNanos: 4_000_000_000)[.recordsIn] == 0)
        // After a long gap it starts over.
        #expect(rates.record(ConsoleCounters(recordsIn: 5000, unmeasured: unmeasured), atNanos: 60_000_000_000).isEmpty)
        #expect(rates.history.map { $0[.recordsIn] } == [100, 0])
        let json = ConsolePages.overviewJSON(counters: ConsoleCounters(recordsIn: 1, unmeasured: unmeasured), rates: [:], uptimeSeconds: 3,
                                             history: rates.history)
        #expect(json.contains("\"recordsIn\": [100.000,0.000]"))
        #expect(json.contains("\"bytesIn\": [500.000,0.000]"))
        #expect(!json.contains("\"requests\": ["))
    }
}
