@testable import KaffeeCLI
import KafkaClient
import Net
import SystemIO
import Testing

/// `kaffee users list|create|delete` and the global `--sasl-*` flags / `KAFFEE_SASL_*`
/// variables, against an in-process kaffeed with a SASL_PLAINTEXT listener.
@Suite struct UsersCommandTests {
    /// Runs `kaffee ARGS` with a capturing console and `environment` as the process environment.
    static func kaffee(_ arguments: [String], environment: [String: String] = [:]) -> (code: ExitCode, out: String, err: String) {
        let console = Console.capturing()
        let code = Kaffee.run(arguments, environment: { environment[$0] }, console: console)
        return (code, console.captured.out, console.captured.err)
    }

    @Test func badSaslFlagsAreUsageErrorsBeforeConnecting() {
        let nowhere = ["--brokers", "127.0.0.1:1"]
        for (arguments, expected) in [
            (["topics", "list", "--sasl-mechanism", "GSSAPI", "--sasl-username", "a", "--sasl-password", "hunter2"], "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512"),
            (["topics", "list", "--sasl-mechanism", "PLAIN"], "needs --sasl-username and --sasl-password"),
            (["topics", "list", "--sasl-username", "a", "--sasl-password", "p"], "need --sasl-mechanism"),
            (["users", "create", "bob"], "--password or --password-stdin"),
            (["users", "create", "bob", "--password", "p", "--password-stdin"], "not both"),
            (["users", "create", "bob", "--password", "p", "--mechanism", "PLAIN"], "SCRAM-SHA-256 or SCRAM-SHA-512"),
            (["users", "create", "bob", "--password", "p", "--iterations", "100"], "4096...16384"),
            (["users", "create", "--password", "p"], "needs one NAME"),
            (["users", "delete"], "needs one NAME"),
            (["users", "rename", "a"], "unknown action"),
        ] {
            let result = Self.kaffee(arguments + nowhere)
            #expect(result.code == .usage, "\(arguments)")
            #expect(result.err.contains(expected), "\(arguments): \(result.err)")
            #expect(!result.err.contains("hunter2"))
        }
        #expect(Self.kaffee(["users", "--help"]).out.contains("--password-stdin"))
        #expect(Self.kaffee(["--help"]).out.contains("KAFFEE_SASL_PASSWORD"))
        #expect(Self.kaffee(["consume", "--help"]).out.contains("--sasl-mechanism"))
    }

    @Test func theBrokerHealthcheckLogsInToASaslListener() throws {
        let broker = try TestBroker(prefix: "kaffee-cli-health-", saslUsers: ["probe:probe-secret"])
        defer { broker.stop() }
        let probe = ["KAFFEE_SASL_MECHANISM": "SCRAM-SHA-256", "KAFFEE_SASL_USERNAME": "probe", "KAFFEE_SASL_PASSWORD": "probe-secret"]
        let healthy = Self.kaffee(["healthcheck", "--broker", broker.saslAddress], environment: probe)
        #expect(healthy.code == .ok, "\(healthy.err)")
        var wrong = probe
        wrong["KAFFEE_SASL_PASSWORD"] = "nope"
        #expect(Self.kaffee(["healthcheck", "--broker", broker.saslAddress], environment: wrong).code == .failure)
    }

    @Test func thePasswordMayComeFromASecretFile() throws {
        let dir = try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-cli-secret-")
        defer { try? FileSystemCalls.removeTree(dir) }
        let fd = try FileDescriptor.open(dir + "/pw", [.writeOnly, .create, .truncate], mode: 0o600)
        try Array("s3cret\nignored\n".utf8).withUnsafeBytes { try fd.write($0, at: 0) }
        try fd.close()
        let arguments = try Arguments([], options: Kaffee.clientOptions)
        let environment = ["KAFFEE_SASL_MECHANISM": "PLAIN", "KAFFEE_SASL_USERNAME": "svc", "KAFFEE_SASL_PASSWORD_FILE": dir + "/pw"]
        let sasl = try Kaffee.sasl(arguments, environment: { environment[$0] })
        #expect(sasl?.password == "s3cret" && sasl?.username == "svc")
        let missing = ["KAFFEE_SASL_MECHANISM": "PLAIN", "KAFFEE_SASL_USERNAME": "svc", "KAFFEE_SASL_PASSWORD_FILE": dir + "/nope"]
        #expect(throws: CLIError.self) { try Kaffee.sasl(arguments, environment: { missing[$0] }) }
    }

    @Test func usersAreCreatedListedUsedAndDeleted() throws {
        let broker = try TestBroker(prefix: "kaffee-cli-users-", saslUsers: ["admin:admin-secret"])
        defer { broker.stop() }
        let asAdmin = ["--brokers", broker.saslAddress, "--sasl-mechanism", "SCRAM-SHA-512", "--sasl-username", "admin", "--sasl-password", "admin-secret"]

        let created = Self.kaffee(["users", "create", "bob", "--password", "bob-pw"] + asAdmin)
        #expect(created.code == .ok, "\(created.err)")
        #expect(!created.out.contains("bob-pw") && !created.err.contains("bob-pw"))
        let only512 = Self.kaffee(["users", "create", "carol", "--password", "carol-pw", "--mechanism", "scram-sha-512", "--iterations", "8192"] + asAdmin)
        #expect(only512.code == .ok, "\(only512.err)")

        let listed = Self.kaffee(["users", "list"] + asAdmin)
        #expect(listed.code == .ok, "\(listed.err)")
        #expect(listed.out == """
            admin\tSCRAM-SHA-256\t4096
            admin\tSCRAM-SHA-512\t4096
            bob\tSCRAM-SHA-256\t4096
            bob\tSCRAM-SHA-512\t4096
            carol\tSCRAM-SHA-512\t8192

            """)
        let missing = Self.kaffee(["users", "list", "nobody"] + asAdmin)
        #expect(missing.code == .notFound, "\(missing.err)")
        #expect(missing.err.contains("nobody"))

        // The new user logs in through the environment variables, with each mechanism it has.
        for mechanism in ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] {
            let listing = Self.kaffee(["topics", "list", "--brokers", broker.saslAddress],
                                      environment: ["KAFFEE_SASL_MECHANISM": mechanism, "KAFFEE_SASL_USERNAME": "bob", "KAFFEE_SASL_PASSWORD": "bob-pw"])
            #expect(listing.code == .ok, "\(mechanism): \(listing.err)")
        }
        let wrong = Self.kaffee(["topics", "list", "--brokers", broker.saslAddress, "--sasl-mechanism", "SCRAM-SHA-256",
                                 "--sasl-username", "bob", "--sasl-password", "nope"])
        #expect(wrong.code == .failure)
        #expect(wrong.err.contains("SASL authentication failed") && !wrong.err.contains("nope"), "\(wrong.err)")

        let deleted = Self.kaffee(["users", "delete", "bob"] + asAdmin)
        #expect(deleted.code == .ok, "\(deleted.err)")
        #expect(deleted.out.contains("deleted bob\tSCRAM-SHA-256") && deleted.out.contains("deleted bob\tSCRAM-SHA-512"))
        let gone = Self.kaffee(["topics", "list", "--brokers", broker.saslAddress, "--sasl-mechanism", "PLAIN",
                                "--sasl-username", "bob", "--sasl-password", "bob-pw"])
        #expect(gone.code == .failure && gone.err.contains("SASL authentication failed"), "\(gone.err)")
        let again = Self.kaffee(["users", "delete", "bob"] + asAdmin)
        #expect(again.code == .notFound, "\(again.err)")
        let partly = Self.kaffee(["users", "delete", "carol", "--mechanism", "SCRAM-SHA-256"] + asAdmin)
        #expect(partly.code == .notFound, "\(partly.err)")
        #expect(Self.kaffee(["users", "list"] + asAdmin).out.contains("carol\tSCRAM-SHA-512\t8192"))
    }

    @Test func produceAndConsumeWithSaslFlags() throws {
        let broker = try TestBroker(prefix: "kaffee-cli-sasl-", saslUsers: ["alice:alice-secret"])
        defer { broker.stop() }
        func login(_ mechanism: String) -> [String] {
            ["--brokers", broker.saslAddress, "--sasl-mechanism", mechanism, "--sasl-username", "alice", "--sasl-password", "alice-secret"]
        }
        let created = Self.kaffee(["topics", "create", "orders", "--partitions", "1"] + login("SCRAM-SHA-256"))
        #expect(created.code == .ok, "\(created.err)")
        // `kaffee produce` reads standard input, which a test cannot feed: the records come from
        // the Swift client, logged in the same way the flags do.
        var config = ClientConfig(bootstrapServers: [try #require(HostPort(parsing: broker.saslAddress))])
        config.sasl = SaslConfig(mechanism: .scramSha256, username: "alice", password: "alice-secret")
        let producer = try KafkaProducer(config: config)
        defer { producer.close() }
        for value in ["one", "two"] { _ = try producer.send(ProducerRecord(topic: "orders", value: Array(value.utf8))) }
        producer.close()
        for mechanism in ["PLAIN", "SCRAM-SHA-512"] {
            let consumed = Self.kaffee(["consume", "orders", "--offset", "beginning", "--exit-at-end"] + login(mechanism))
            #expect(consumed.code == .ok, "\(mechanism): \(consumed.err)")
            #expect(consumed.out == "one\ntwo\n", "\(mechanism)")
        }
        let refused = Self.kaffee(["consume", "orders", "--offset", "beginning", "--exit-at-end", "--brokers", broker.saslAddress,
                                   "--sasl-mechanism", "PLAIN", "--sasl-username", "alice", "--sasl-password", "bad"])
        #expect(refused.code == .failure, "\(refused.err)")
        #expect(refused.err.contains("SASL authentication failed"), "\(refused.err)")
    }
}
