@testable import KaffeeCLI
import KafkaClient
import KafkaRecords
import Testing

@Suite struct CLIUnitTests {
    @Test func argumentsParseFlagsValuesAndPositionals() throws {
        let options = [Arguments.Option("--group", value: "G", help: ""), Arguments.Option("--json", help: ""),
                       Arguments.Option("--header", value: "KV", help: "")]
        let parsed = try Arguments(["topic", "--group", "g1", "--json", "--header=a=b", "--header", "c=d", "--", "--not-a-flag"], options: options)
        #expect(parsed.positionals == ["topic", "--not-a-flag"])
        #expect(parsed.value("--group") == "g1")
        #expect(parsed.flag("--json"))
        #expect(parsed.all("--header") == ["a=b", "c=d"])
        for bad in [["--nope"], ["--group"], ["--json=1"]] {
            #expect(throws: CLIError.self) { try Arguments(bad, options: options) }
        }
        #expect(throws: CLIError.self) { try Arguments(["--group", "x"], options: options).integer("--group", default: 0) }
    }

    @Test func recordsRenderAsPlainFormatAndJSON() {
        let record = ConsumerRecord(topic: "t", partition: 2, offset: 7, timestamp: 1000, key: Array("k".utf8),
                                    value: [0x68, 0x69], headers: [RecordHeader(key: "h", value: Array("v".utf8))])
        #expect(RecordFormatter.plain.render(record) == [0x68, 0x69, 0x0A])
        #expect(String(decoding: RecordFormatter.format("%t/%p/%o %k=%v %h %T %%\\n").render(record), as: UTF8.self) == "t/2/7 k=hi h=v 1000 %\n")
        let json = String(decoding: RecordFormatter.json.render(record), as: UTF8.self)
        #expect(json == #"{"topic":"t","partition":2,"offset":7,"timestamp":1000,"key":"k","value":"hi","headers":{"h":"v"}}"# + "\n")
        var binary = record
        binary.value = [0xFF, 0xFE, 0x00]
        binary.key = nil
        #expect(String(decoding: RecordFormatter.json.render(binary), as: UTF8.self).contains(#""key":null,"value":{"base64":"//4A"}"#))
        #expect(RecordFormatter.quote("a\"b\\\n\u{01}") == #""a\"b\\\n\u0001""#)
    }

    @Test func base64AndPercentiles() {
        #expect(Base64.encode(Array("".utf8)) == "")
        #expect(Base64.encode(Array("f".utf8)) == "Zg==")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        var stats = LatencyStats()
        for micros in 1...1000 { stats.add(Int64(micros * 1000)) }
        let summary = stats.summary()
        #expect(summary?.p50 == 500)
        #expect(summary?.p99 == 990)
        #expect(summary?.p999 == 999)
        #expect(summary?.max == 1000)
        #expect(LatencyStats().summary() == nil)
    }

    @Test func exitCodesFollowTheKindOfFailure() {
        #expect(CLIError.client(.notReachable(address: "x", reason: "y")).exitCode == .unreachable)
        #expect(CLIError.client(.timedOut(operation: "x", milliseconds: 1)).exitCode == .unreachable)
        #expect(CLIError.client(.unknownTopic("t")).exitCode == .notFound)
        #expect(CLIError.client(.broker(.groupIdNotFound, context: "")).exitCode == .notFound)
        #expect(CLIError.usage("x").exitCode == .usage)
        #expect(CLIError.client(.broker(.messageTooLarge, context: "")).exitCode == .failure)
        let console = Console.capturing()
        #expect(Kaffee.run(["nonsense"], environment: { _ in nil }, console: console) == .usage)
        #expect(Kaffee.run(["topics", "list", "--brokers", "not a broker list:x"], environment: { _ in nil }, console: console) == .usage)
        #expect(console.captured.err.contains("unknown command"))
    }
}

/// The demo's customers read `orderId` from order responses without a full JSON parse.
@Suite struct CustomerResponseTests {
    /// Checks: the scan finds top-level string members, never one of a nested object or
    /// array, and leaves anything escaped or odd to the full parser (same answers as it).
    @Test func topLevelFieldsAreFoundAsJSONSerializationFindsThem() {
        let cases: [(String, String?)] = [
            (#"{"orderId":"0193a3b4-5c6d-7e8f","status":"PLACED"}"#, "0193a3b4-5c6d-7e8f"),
            (#"{"history":[{"orderId":"inner"}],"items":{"orderId":"nested"},"orderId":"outer"}"#, "outer"),
            (#"{ "note" : "a \"orderId\": \"fake\"", "orderId" : "real" }"#, "real"),
            (#"{"orderId":"with \"escape\""}"#, #"with "escape""#),
            (#"{"orderId":42}"#, nil),
            (#"{"other":"x"}"#, nil),
            (#"["orderId","x"]"#, nil),
            (#"{"orderId":"#, nil),
            ("", nil),
        ]
        for (body, expected) in cases {
            #expect(CustomerSimulator.field("orderId", in: Array(body.utf8)) == expected, "\(body)")
        }
        #expect(CustomerSimulator.scanTopLevelString(Array("orderId".utf8), in: Array(#"{"orderId":"a\"b"}"#.utf8)) == nil)
    }

    /// Checks: the demo's customer threads grow with the rate, within 2...64.
    @Test func customerThreadsFollowTheRate() {
        #expect(DemoCommand.customerThreads(rate: 1) == 2)
        #expect(DemoCommand.customerThreads(rate: 2_500) == 62)
        #expect(DemoCommand.customerThreads(rate: 100_000) == 64)
    }
}
