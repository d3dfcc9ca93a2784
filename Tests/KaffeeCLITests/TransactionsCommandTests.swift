@testable import KaffeeCLI
import KafkaClient
import Net
import SystemIO
import Testing

/// Runs `kaffee ARGS` with a capturing console (brokers from `brokers`, default one where
/// nothing listens, so usage errors must be found before connecting: exit 2, not 3).
private func kaffee(_ arguments: [String], brokers: String = "127.0.0.1:1") -> (code: ExitCode, out: String, err: String) {
    let console = Console.capturing()
    let code = Kaffee.run(arguments + ["--brokers", brokers], environment: { _ in nil }, console: console)
    return (code, console.captured.out, console.captured.err)
}

/// `kaffee transactions list|describe|abort`, `consume --isolation` and
/// `produce --transactional-id`: argument parsing, and the commands against an in-process broker.
@Suite struct TransactionsCommandTests {
    @Test func abortFlagsSelectTheTransaction() throws {
        let options = TransactionsCommand.options
        let byOffset = try TransactionsCommand.abortTarget(Arguments(["--topic", "t", "--partition", "2", "--start-offset", "40"], options: options))
        #expect(byOffset.partition == TopicPartition(topic: "t", partition: 2))
        #expect(byOffset.target == .startOffset(40))
        let byProducer = try TransactionsCommand.abortTarget(Arguments(
            ["--topic=t", "--partition=0", "--producer-id", "7", "--producer-epoch", "3", "--coordinator-epoch", "1"], options: options))
        #expect(byProducer.target == .producer(id: 7, epoch: 3, coordinatorEpoch: 1))
        let bad: [[String]] = [
            ["--partition", "0", "--start-offset", "1"],                       // no topic
            ["--topic", "t", "--start-offset", "1"],                           // no partition
            ["--topic", "t", "--partition", "0"],                              // nothing to abort
            ["--topic", "t", "--partition", "0", "--start-offset", "1", "--producer-id", "2"],
            ["--topic", "t", "--partition", "0", "--producer-id", "2", "--producer-epoch", "1"],
            ["--topic", "t", "--partition", "-1", "--start-offset", "1"],
            ["--topic", "t", "--partition", "0", "--start-offset", "x"],
            ["--topic", "t", "--partition", "0", "--producer-id", "2", "--producer-epoch", "40000", "--coordinator-epoch", "0"],
        ]
        for arguments in bad {
            #expect(throws: CLIError.self, "\(arguments)") { try TransactionsCommand.abortTarget(Arguments(arguments, options: options)) }
        }
        #expect(try TransactionsCommand.producerIdFilters(Arguments(["--producer-id", "1", "--producer-id", "22"], options: options)) == [1, 22])
        #expect(throws: CLIError.self) { try TransactionsCommand.producerIdFilters(Arguments(["--producer-id", "-3"], options: options)) }
    }

    @Test func usageErrorsComeBeforeConnecting() {
        #expect(kaffee(["transactions"]).code == .usage)
        #expect(kaffee(["transactions", "--help"]).code == .ok)
        #expect(kaffee(["transactions", "--help"]).out.contains("--start-offset"))
        #expect(kaffee(["transactions", "frobnicate"]).code == .usage)
        #expect(kaffee(["transactions", "describe"]).code == .usage)
        #expect(kaffee(["transactions", "list", "extra"]).code == .usage)
        #expect(kaffee(["transactions", "list", "--producer-id", "x"]).code == .usage)
        #expect(kaffee(["transactions", "abort", "--topic", "t"]).code == .usage)
        #expect(kaffee(["transactions", "list", "--bogus"]).code == .usage)
        #expect(kaffee(["transactions", "list"]).code == .unreachable)
        #expect(kaffee(["consume", "t", "--isolation", "serializable"]).code == .usage)
        #expect(kaffee(["consume", "t", "--isolation", "serializable"]).err.contains("read_committed"))
        #expect(kaffee(["produce", "t", "--transactional-id", "x", "--no-idempotence"]).code == .usage)
        #expect(kaffee(["produce", "t", "--transactional-id", "x", "--acks", "1"]).code == .usage)
        #expect(kaffee(["produce", "t", "--transactional-id="]).code == .usage)
        #expect(Kaffee.usage.contains("transactions list|describe|abort"))
    }

    @Test func isolationAndTransactionalIdFlags() throws {
        #expect(try ConsumeCommand.isolationLevel(Arguments([], options: ConsumeCommand.options)) == .readUncommitted)
        #expect(try ConsumeCommand.isolationLevel(Arguments(["--isolation", "read_committed"], options: ConsumeCommand.options)) == .readCommitted)
        #expect(try ConsumeCommand.isolationLevel(Arguments(["--isolation=read_uncommitted"], options: ConsumeCommand.options)) == .readUncommitted)
        let config = try ProduceCommand.producerConfig(Arguments(["--transactional-id", "tx-1"], options: ProduceCommand.options))
        #expect(config.transactionalId == "tx-1")
        #expect(config.isTransactional)
        #expect(try ProduceCommand.producerConfig(Arguments([], options: ProduceCommand.options)).transactionalId == nil)
    }

    @Test func commandsAgainstABroker() throws {
        // Needs kaffeed's transactions (an in-process broker, never an external one).
        let broker = try TestBroker(prefix: "kaffee-transactions-cli-test-")
        defer { broker.stop() }
        let address = broker.address
        let client = ClientConfig(bootstrapServers: [broker.hostPort], clientId: "cli-test")
        let admin = KafkaAdmin(config: client)
        defer { admin.close() }
        try admin.createTopic(name: "orders", partitions: 1)

        var settings = ProducerConfig()
        settings.transactionalId = "hanging-tx"
        let producer = try KafkaProducer(config: client, producerConfig: settings)
        defer { producer.close() }
        try producer.initTransactions()
        try producer.beginTransaction()
        _ = try producer.send(ProducerRecord(topic: "orders", partition: 0, value: Array("open".utf8)))

        let listed = kaffee(["transactions", "list", "--state", "Ongoing"], brokers: address)
        #expect(listed.code == .ok)
        #expect(listed.out.contains("hanging-tx\t"))
        #expect(listed.out.contains("\tOngoing"))
        let described = kaffee(["transactions", "describe", "hanging-tx"], brokers: address)
        #expect(described.code == .ok)
        #expect(described.out.contains("state Ongoing"))
        #expect(described.out.contains("partitions [orders-0]"))
        #expect(kaffee(["transactions", "describe", "nobody"], brokers: address).code == .notFound)

        let wrong = kaffee(["transactions", "abort", "--topic", "orders", "--partition", "0", "--start-offset", "5"], brokers: address)
        #expect(wrong.code == .notFound)
        #expect(wrong.err.contains("start at 0"))
        let aborted = kaffee(["transactions", "abort", "--topic", "orders", "--partition", "0", "--start-offset", "0"], brokers: address)
        #expect(aborted.code == .ok, "\(aborted.err)")
        #expect(aborted.out.contains("aborted the transaction of producer"))

        // The marker ends the transaction on the partition: read_committed skips its record.
        let committed = kaffee(["consume", "orders", "--isolation", "read_committed", "--exit-at-end"], brokers: address)
        #expect(committed.code == .ok, "\(committed.err)")
        #expect(committed.out.isEmpty)
        let everything = kaffee(["consume", "orders", "--isolation", "read_uncommitted", "--exit-at-end"], brokers: address)
        #expect(everything.out == "open\n")
    }
}
