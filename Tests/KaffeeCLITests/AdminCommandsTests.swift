@testable import KaffeeCLI
import KafkaClient
import KafkaProtocol
import Testing

/// Runs `kaffee ARGS` against a broker address nothing listens on, with a capturing console:
/// a usage error must be found before any connection (exit 2, not 3).
private func kaffee(_ arguments: [String]) -> (code: ExitCode, out: String, err: String) {
    let console = Console.capturing()
    let code = Kaffee.run(arguments + ["--brokers", "127.0.0.1:1"], environment: { _ in nil }, console: console)
    return (code, console.captured.out, console.captured.err)
}

/// Argument parsing and output of the admin commands: `topics alter-config|add-partitions|trim`,
/// `topics describe`, `groups delete-offsets`, `cluster describe|log-dirs|config`.
@Suite struct AdminCommandsTests {
    // MARK: parsing

    @Test func configChangeFlagsBecomeAlterations() throws {
        let options = ConfigOptions.changeOptions
        let parsed = try Arguments(["--set", "retention.ms=60000", "--delete", "segment.ms", "--set=flush.ms=a=b",
                                    "--append", "cleanup.policy=compact", "--subtract", "x=", "--validate-only"], options: options)
        #expect(try ConfigOptions.alterations(parsed) == [
            .set("retention.ms", "60000"), .set("flush.ms", "a=b"), .delete("segment.ms"),
            .append("cleanup.policy", "compact"), .subtract("x", ""),
        ])
        #expect(parsed.flag("--validate-only"))
        #expect(try ConfigOptions.alterations(Arguments([], options: options)).isEmpty)
        for bad in [["--set", "novalue"], ["--set", "=v"], ["--delete", ""], ["--delete", "a=b"], ["--append", "x"],
                    ["--set", "a=1", "--delete", "a"], ["--set", "a=1", "--set", "a=2"]] {
            #expect(throws: CLIError.self, "\(bad)") { try ConfigOptions.alterations(Arguments(bad, options: options)) }
        }
        #expect(ConfigAlteration.set("a", "1").wireOperation == 0)
        #expect(ConfigAlteration.delete("a").wireOperation == 1)
        #expect(ConfigAlteration.delete("a").value == nil)
        #expect(ConfigAlteration.append("a", "1").wireOperation == 2)
        #expect(ConfigAlteration.subtract("a", "1").wireOperation == 3)
        #expect(ConfigOptions.summary("topic t", [.set("a", "1"), .delete("b")], validateOnly: false) == "altered topic t: set a=1, delete b")
        #expect(ConfigOptions.summary("topic t", [.append("c", "x")], validateOnly: true) == "validated (nothing changed) topic t: append c+=x")
    }

    @Test func trimOffsetsAndPartitionLists() throws {
        #expect(try TopicsCommand.trimOffset("end") == -1)
        #expect(try TopicsCommand.trimOffset("0") == 0)
        #expect(try TopicsCommand.trimOffset("1234") == 1234)
        for bad in ["-1", "abc", "", "END", "1.5"] {
            #expect(throws: CLIError.self, "\(bad)") { try TopicsCommand.trimOffset(bad) }
        }
        let options = [Arguments.Option("--partition", value: "P", help: "")]
        #expect(try TopicsCommand.partitionNumbers(Arguments(["--partition", "2", "--partition=0", "--partition", "2"], options: options)) == [0, 2])
        #expect(try TopicsCommand.partitionNumbers(Arguments([], options: options)).isEmpty)
        for bad in ["-1", "x", "99999999999"] {
            #expect(throws: CLIError.self, "\(bad)") { try TopicsCommand.partitionNumbers(Arguments(["--partition", bad], options: options)) }
        }
    }

    @Test func badUsageExitsWithTwoBeforeConnecting() {
        let cases: [[String]] = [
            ["topics", "alter-config", "t"],
            ["topics", "alter-config", "t", "--set", "x"],
            ["topics", "alter-config", "--set", "a=1"],
            ["topics", "add-partitions", "t"],
            ["topics", "add-partitions", "t", "--total", "0"],
            ["topics", "add-partitions", "t", "--total", "many"],
            ["topics", "trim", "t"],
            ["topics", "trim", "t", "--before", "soon"],
            ["topics", "trim", "t", "--before", "5", "--partition", "-1"],
            ["topics", "describe", "t", "--json=yes"],
            ["groups", "delete-offsets", "g"],
            ["groups", "delete-offsets", "--topic", "t"],
            ["groups", "delete-offsets", "g", "--topic", "t", "--partition", "p"],
            ["cluster"],
            ["cluster", "nonsense"],
            ["cluster", "describe", "extra"],
            ["cluster", "log-dirs", "--topic"],
            ["cluster", "config", "--broker", "x"],
            ["cluster", "config", "--broker", "-1"],
            ["cluster", "config", "--set", "a=1", "--json"],
            ["cluster", "config", "--set", "a=1", "--all"],
            ["cluster", "config", "--validate-only"],
            ["cluster", "config", "--set", "nokey"],
        ]
        for arguments in cases {
            let result = kaffee(arguments)
            #expect(result.code == .usage, "kaffee \(arguments.joined(separator: " ")): \(result.code) \(result.err)")
            #expect(!result.err.isEmpty || !result.out.isEmpty, "kaffee \(arguments.joined(separator: " ")) says why")
        }
        #expect(kaffee(["cluster", "config", "--set", "a=1", "--delete", "a"]).err.contains("more than one change flag"))
        #expect(kaffee(["topics", "trim", "t", "--before", "soon"]).err.contains("--before needs an offset of 0 or more, or end"))
    }

    @Test func helpListsTheNewActionsAndFlags() {
        let topics = kaffee(["topics", "--help"])
        #expect(topics.code == .ok)
        for text in ["alter-config", "add-partitions", "--total N", "trim TOPIC --before OFFSET|end", "--set KEY=VALUE", "--delete KEY", "--all-configs", "--json"] {
            #expect(topics.out.contains(text), "topics --help mentions \(text)")
        }
        let groups = kaffee(["groups", "--help"])
        #expect(groups.out.contains("delete-offsets GROUP --topic TOPIC [--partition P]..."))
        let cluster = kaffee(["cluster", "--help"])
        #expect(cluster.code == .ok)
        for text in ["cluster describe", "log-dirs", "config [--broker ID]", "--validate-only", "--all"] {
            #expect(cluster.out.contains(text), "cluster --help mentions \(text)")
        }
        let top = kaffee(["--help"])
        #expect(top.out.contains("cluster describe|log-dirs|config"))
        #expect(top.out.contains("delete-offsets"))
    }

    @Test func unreachableBrokerExitsWithThree() {
        let result = kaffee(["cluster", "describe"])
        #expect(result.code == .unreachable, "\(result.err)")
        #expect(result.err.contains("cannot reach a broker"))
    }

    // MARK: output

    @Test func topicDescribeShowsConfigSources() {
        let topic = TopicDescription(name: "orders", id: [UInt8](repeating: 0, count: 16), partitions: [
            PartitionDescription(partition: 0, leader: 1, replicas: [1], isr: [1]),
        ], configs: [
            ConfigEntry(name: "cleanup.policy", value: "delete", isDefault: true),
            ConfigEntry(name: "retention.ms", value: "60000", isDefault: false, source: .dynamicTopic,
                        synonyms: [.init(name: "retention.ms", value: "60000", source: .dynamicTopic),
                                   .init(name: "log.retention.ms", value: "1000", source: .staticBroker)], type: .long),
            ConfigEntry(name: "segment.bytes", value: "1024", isDefault: false, source: .staticBroker, isReadOnly: true),
            ConfigEntry(name: "secret", value: nil, isDefault: false, source: .dynamicDefaultBroker, isSensitive: true),
        ])
        #expect(TopicsCommand.describeLines(topic, allConfigs: false) == [
            "topic orders  id AAAAAAAAAAAAAAAAAAAAAA  partitions 1",
            "  partition 0  leader 1  replicas [1]  isr [1]",
            "  configs:",
            "    retention.ms=60000  (DYNAMIC_TOPIC_CONFIG)",
            "    segment.bytes=1024  (STATIC_BROKER_CONFIG, read-only)",
            "    secret=(hidden)  (DYNAMIC_DEFAULT_BROKER_CONFIG, sensitive)",
        ])
        #expect(TopicsCommand.describeLines(topic, allConfigs: true)[3] == "    cleanup.policy=delete  (DEFAULT_CONFIG)")
        var plain = topic
        plain.configs = [plain.configs[0]]
        #expect(TopicsCommand.describeLines(plain, allConfigs: false).last == "  configs: all defaults")

        let json = TopicsCommand.describeJSON(topic).rendered
        #expect(json.hasPrefix(#"{"name":"orders","id":"AAAAAAAAAAAAAAAAAAAAAA","internal":false,"partitions":[{"partition":0,"leader":1,"replicas":[1],"isr":[1]}],"configs":["#))
        #expect(json.contains(#"{"name":"retention.ms","value":"60000","source":"DYNAMIC_TOPIC_CONFIG","isDefault":false,"readOnly":false,"sensitive":false,"type":"LONG","synonyms":[{"name":"retention.ms","value":"60000","source":"DYNAMIC_TOPIC_CONFIG"},{"name":"log.retention.ms","value":"1000","source":"STATIC_BROKER_CONFIG"}]}"#))
        #expect(json.contains(#"{"name":"secret","value":null,"source":"DYNAMIC_DEFAULT_BROKER_CONFIG","isDefault":false,"readOnly":false,"sensitive":true,"type":"UNKNOWN","synonyms":[]}"#))
    }

    @Test func clusterDescribeAndLogDirsOutput() {
        let cluster = ClusterDescription(clusterId: "kaffee-1", controllerId: 1, brokers: [
            BrokerDescription(nodeId: 2, host: "b", port: 9093, rack: "r2", isFenced: true),
            BrokerDescription(nodeId: 1, host: "a", port: 9092),
        ], source: .describeCluster)
        #expect(cluster.brokers.map(\.nodeId) == [1, 2])
        #expect(cluster.controller?.address == "a:9092")
        #expect(ClusterCommand.describeLines(cluster) == [
            "cluster kaffee-1  controller 1  brokers 2",
            "  broker 1  a:9092  rack -  (controller)",
            "  broker 2  b:9093  rack r2  (fenced)",
        ])
        #expect(ClusterCommand.describeJSON(cluster).rendered
            == #"{"clusterId":"kaffee-1","controllerId":1,"brokers":[{"id":1,"host":"a","port":9092,"rack":null,"fenced":false},{"id":2,"host":"b","port":9093,"rack":"r2","fenced":true}],"source":"describeCluster"}"#)
        let unknown = ClusterDescription(clusterId: nil, controllerId: -1, brokers: [], source: .metadata)
        #expect(ClusterCommand.describeLines(unknown) == ["cluster -  controller -1  brokers 0"])
        #expect(unknown.controller == nil)

        let directories = [
            LogDirDescription(brokerId: 1, path: "/data", totalBytes: 1000, usableBytes: 400, replicas: [
                .init(partition: TopicPartition(topic: "t", partition: 1), sizeBytes: 20, offsetLag: 0),
                .init(partition: TopicPartition(topic: "t", partition: 0), sizeBytes: 10, offsetLag: 3, isFuture: true),
            ]),
            LogDirDescription(brokerId: 2, path: "/bad", errorCode: .kafkaStorageError, isCordoned: true, replicas: []),
        ]
        #expect(directories[0].replicaBytes == 30)
        #expect(ClusterCommand.logDirLines(directories) == [
            "broker 1  /data  replicas 2  bytes 30  volume 1000  usable 400",
            "  TOPIC\tPARTITION\tBYTES\tOFFSET-LAG",
            "  t\t0\t10\t3\tfuture",
            "  t\t1\t20\t0",
            "broker 2  /bad  replicas 0  bytes 0  (cordoned)  error kafkaStorageError(56)",
        ])
        #expect(ClusterCommand.logDirJSON(directories[1]).rendered
            == #"{"broker":2,"path":"/bad","error":"kafkaStorageError(56)","totalBytes":null,"usableBytes":null,"cordoned":true,"replicas":[]}"#)
        #expect(ClusterCommand.logDirJSON(directories[0]).rendered.contains(#""replicas":[{"topic":"t","partition":0,"bytes":10,"offsetLag":3,"future":true},"#))
    }

    @Test func jsonValuesRenderCompactlyAndEscaped() {
        let value = JSONValue.object([("a\"b", .string("x\ny")), ("n", .number(Int32(-5))), ("none", .optional(nil)), ("t", true),
                                      ("list", .array([1, "two", .null])), ("empty", .object([]))])
        #expect(value.rendered == #"{"a\"b":"x\ny","n":-5,"none":null,"t":true,"list":[1,"two",null],"empty":{}}"#)
        #expect(JSONValue.number(Int64?.none) == .null)
    }
}
