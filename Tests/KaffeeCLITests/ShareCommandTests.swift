@testable import KaffeeCLI
import KafkaClient
import KafkaProtocol
import KafkaRecords
import Testing

/// `kaffee share consume` argument parsing, and the share commands end to end against an
/// in-process kaffeed with share groups on (`groups list|describe` for a share group).
@Suite(.serialized) struct ShareCommandTests {
    private static func kaffee(_ arguments: [String], brokers: String = "127.0.0.1:1") -> (code: ExitCode, out: String, err: String) {
        let console = Console.capturing()
        let code = Kaffee.run(arguments + ["--brokers", brokers], environment: { _ in nil }, console: console)
        return (code, console.captured.out, console.captured.err)
    }

    @Test func shareConsumeArgumentsParse() throws {
        let parsed = try ShareCommand.plan(Arguments(["consume", "orders", "--group", "baristas", "--ack", "release", "--explicit",
                                                      "--count", "5", "--idle-exit", "1000"], options: ShareCommand.options))
        #expect(parsed == ShareCommand.Plan(topic: "orders", group: "baristas", ack: .release, explicit: true, count: 5, idleExitMs: 1000))
        let defaults = try ShareCommand.plan(Arguments(["consume", "orders", "--group", "g"], options: ShareCommand.options))
        #expect(defaults == ShareCommand.Plan(topic: "orders", group: "g", ack: .accept, explicit: false, count: Int.max, idleExitMs: nil))
        for bad in [["consume", "orders"], ["consume", "--group", "g"], ["consume", "a", "b", "--group", "g"],
                    ["consume", "t", "--group", "g", "--ack", "maybe"], ["consume", "t", "--group", "g", "--count", "0"],
                    ["consume", "t", "--group", ""]] {
            #expect(throws: CLIError.self, "\(bad)") { try ShareCommand.plan(Arguments(bad, options: ShareCommand.options)) }
        }
    }

    @Test func badUsageExitsWithTwoBeforeConnecting() {
        for bad in [["share"], ["share", "produce", "t"], ["share", "consume", "t"], ["share", "consume", "t", "--group", "g", "--ack", "x"],
                    ["share", "consume", "t", "--group", "g", "--nope"]] {
            #expect(Self.kaffee(bad).code == .usage, "\(bad)")
        }
        let help = Self.kaffee(["share", "--help"])
        #expect(help.code == .ok)
        #expect(help.out.contains("--ack accept|release|reject"))
        #expect(Self.kaffee(["--help"]).out.contains("share consume TOPIC"))
    }

    @Test func shareConsumeThenGroupsListAndDescribe() throws {
        let broker = try TestBroker(prefix: "kaffee-share-cli-")
        defer { broker.stop() }
        let admin = KafkaAdmin(config: ClientConfig(bootstrapServers: [broker.hostPort]))
        defer { admin.close() }
        try admin.createTopic(name: "orders", partitions: 1)
        try admin.incrementalAlterConfigs(.group("baristas"), [.set("share.auto.offset.reset", "earliest")])
        var builder = RecordBatchBuilder()
        for index in 0..<4 { builder.append(RecordInput(key: nil, value: Array("latte-\(index)".utf8), timestamp: 1)) }
        let request = ProduceRequest(acks: -1, timeoutMs: 5_000, topicData: [
            .init(name: "orders", partitionData: [.init(index: 0, records: .inline(builder.build()))]),
        ])
        let produced = try admin.cluster.leader(topic: "orders", partition: 0, purpose: "test-produce").send(request).0
        #expect(produced.responses.first?.partitionResponses.first?.errorCode == ErrorCode.none)

        let consumed = Self.kaffee(["share", "consume", "orders", "--group", "baristas", "--count", "3", "--format", "%o:%v\\n"],
                                   brokers: broker.address)
        #expect(consumed.code == .ok, "\(consumed.err)")
        #expect(consumed.out == "0:latte-0\n1:latte-1\n2:latte-2\n")

        let listed = Self.kaffee(["groups", "list"], brokers: broker.address)
        #expect(listed.code == .ok)
        #expect(listed.out.split(separator: "\n").contains { $0.hasPrefix("baristas\t") && $0.hasSuffix("\tshare") }, "\(listed.out)")

        let described = Self.kaffee(["groups", "describe", "baristas"], brokers: broker.address)
        #expect(described.code == .ok, "\(described.err)")
        #expect(described.out.contains("group baristas  type share  state Empty"), "\(described.out)")
        #expect(described.out.contains("  orders\t0\t3\t1"), "\(described.out)")

        let rejected = Self.kaffee(["share", "consume", "orders", "--group", "baristas", "--explicit", "--ack", "reject", "--count", "1",
                                    "--format", "%o:%v\\n"], brokers: broker.address)
        #expect(rejected.code == .ok, "\(rejected.err)")
        #expect(rejected.out == "3:latte-3\n")
        let drained = Self.kaffee(["share", "consume", "orders", "--group", "baristas", "--idle-exit", "300"], brokers: broker.address)
        #expect(drained.code == .ok && drained.out.isEmpty, "\(drained.out)")
        #expect(Self.kaffee(["groups", "describe", "baristas"], brokers: broker.address).out.contains("  orders\t0\t4\t0"))

        #expect(Self.kaffee(["groups", "describe", "nobody"], brokers: broker.address).code == .notFound)
        #expect(Self.kaffee(["share", "consume", "missing", "--group", "g"], brokers: broker.address).code == .notFound)
    }
}
