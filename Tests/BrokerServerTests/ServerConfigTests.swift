import BrokerServer
import LogStorage
import Net
import SystemIO
import Testing

@Suite struct ServerConfigTests {
    func parse(_ arguments: [String], environment: [String: String] = [:]) -> ServerConfig.Parsed {
        ServerConfig.parse(arguments: arguments, environment: { environment[$0] })
    }

    @Test func defaultsJustWork() throws {
        guard case .run(let config) = parse([]) else { Issue.record("no flags must run"); return }
        #expect(config.listen == HostPort(host: "0.0.0.0", port: 9092))
        #expect(config.advertisedAddress == HostPort(host: "127.0.0.1", port: 9092))
        #expect(config.dataDirectory == "./kaffee-data")
        #expect(config.autoCreateTopics)
        #expect(config.durability == .default)
        #expect(config.maxOpenSegmentFiles == SegmentFileCache.defaultCapacity)
    }

    @Test func maxOpenSegmentFilesComesFromTheFlagOrTheEnvironment() throws {
        guard case .run(let fromFlag) = parse(["--max-open-segment-files", "64"]) else { Issue.record("flag must parse"); return }
        #expect(fromFlag.maxOpenSegmentFiles == 64)
        guard case .run(let fromEnv) = parse([], environment: ["KAFFEE_MAX_OPEN_SEGMENT_FILES": "1000"]) else { Issue.record("env must parse"); return }
        #expect(fromEnv.maxOpenSegmentFiles == 1000)
        guard case .error(let message) = parse(["--max-open-segment-files", "0"]) else { Issue.record("0 must be refused"); return }
        #expect(message == "--max-open-segment-files: expected 1-1000000, got \"0\"")
    }

    @Test func theGroupProtocolsAreOnByDefaultAndCanBeTurnedOff() throws {
        guard case .run(let defaults) = parse([]) else { Issue.record("no flags must run"); return }
        #expect(defaults.consumerGroupProtocol && defaults.shareGroups)
        guard case .run(let off) = parse(["--consumer-group-protocol", "false"], environment: ["KAFFEE_SHARE_GROUPS": "false"]) else {
            Issue.record("flags must parse"); return
        }
        #expect(!off.consumerGroupProtocol && !off.shareGroups)
        guard case .error(let message) = parse(["--consumer-group-protocol", "maybe"]) else { Issue.record("maybe must be refused"); return }
        #expect(message.contains("--consumer-group-protocol"))
    }

    @Test func flagsOverrideEnvironment() throws {
        let environment = ["KAFFEE_LISTEN": "127.0.0.1:1234", "KAFFEE_DATA_DIR": "/env", "KAFFEE_ADVERTISE": "kaffee:9092",
                           "KAFFEE_DURABILITY": "always", "KAFFEE_AUTO_CREATE_TOPICS": "false", "KAFFEE_DEFAULT_PARTITIONS": "4"]
        guard case .run(let fromEnv) = parse([], environment: environment) else { Issue.record("env must parse"); return }
        #expect(fromEnv.listen == HostPort(host: "127.0.0.1", port: 1234))
        #expect(fromEnv.advertisedAddress == HostPort(host: "kaffee", port: 9092))
        #expect(fromEnv.dataDirectory == "/env")
        #expect(fromEnv.durability == .always)
        #expect(!fromEnv.autoCreateTopics)
        #expect(fromEnv.defaultPartitions == 4)
        guard case .run(let flags) = parse(["--data-dir", "/flag", "--listen=[::1]:9999", "--durability", "interval:250",
                                            "--segment-bytes", "1048576", "--retention-ms", "-1", "--topics", "Topics"],
                                           environment: environment) else { Issue.record("flags must parse"); return }
        #expect(flags.dataDirectory == "/flag")
        #expect(flags.listen == HostPort(host: "::1", port: 9999))
        #expect(flags.durability == .interval(milliseconds: 250))
        #expect(flags.segmentBytes == 1_048_576)
        #expect(flags.retentionMillis == -1)
        // Flags are the broker's static configs, by Kafka name.
        #expect(flags.staticConfigs["log.segment.bytes"] == "1048576")
        #expect(flags.staticConfigs["log.retention.ms"] == "-1")
        #expect(flags.staticConfigs["log.durability"] == "interval")
        #expect(flags.staticConfigs["log.flush.interval.ms"] == "250")
        #expect(flags.topicsDirectory == "Topics")
    }

    @Test func badInputGetsAClearError() {
        for (arguments, expected) in [
            (["--listen", "nope"], "--listen"), (["--listen"], "needs a value"), (["--bogus"], "unknown option"),
            (["--durability", "sometimes"], "--durability"), (["--default-partitions", "0"], "--default-partitions"),
            (["--advertise", "0.0.0.0:9092"], "--advertise"), (["--segment-bytes", "12"], "--segment-bytes"),
        ] {
            guard case .error(let message) = parse(arguments) else { Issue.record("\(arguments) must fail"); continue }
            #expect(message.contains(expected), "\(message)")
        }
        guard case .error(let message) = parse([], environment: ["KAFFEE_LISTEN": ":0"]) else { Issue.record("bad env must fail"); return }
        #expect(message.contains("KAFFEE_LISTEN"))
    }

    @Test func helpListsEveryFlagAndVariable() {
        guard case .help(let text) = parse(["--help"]) else { Issue.record("--help"); return }
        for word in ["--listen", "KAFFEE_LISTEN", "--advertise", "KAFFEE_ADVERTISE", "--data-dir", "KAFFEE_DATA_DIR", "--topics", "--durability"] {
            #expect(text.contains(word))
        }
    }

    @Test func hostPortParsing() {
        #expect(HostPort(parsing: "localhost:9092") == HostPort(host: "localhost", port: 9092))
        #expect(HostPort(parsing: "[::]:1") == HostPort(host: "::", port: 1))
        #expect(HostPort(parsing: "host:0") == nil)
        #expect(HostPort(parsing: "host:99999") == nil)
        #expect(HostPort(parsing: "host") == nil)
        #expect(HostPort(parsing: ":9092") == nil)
    }
}
