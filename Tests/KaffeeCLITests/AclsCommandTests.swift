@testable import KaffeeCLI
import KafkaClient
import Testing

/// `kaffee acls list|create|delete` against an in-process kaffeed with `--authorizer acl`,
/// a SASL listener and `User:admin` as super user.
@Suite struct AclsCommandTests {
    static func kaffee(_ arguments: [String]) -> (code: ExitCode, out: String, err: String) {
        UsersCommandTests.kaffee(arguments)
    }

    @Test func badFlagsAreUsageErrors() {
        let nowhere = ["--brokers", "127.0.0.1:1"]
        for (arguments, expected) in [
            (["acls", "create", "--operation", "READ", "--topic", "t"], "needs --principal"),
            (["acls", "create", "--principal", "User:a", "--topic", "t"], "needs --operation"),
            (["acls", "create", "--principal", "User:a", "--operation", "READ"], "name the resource"),
            (["acls", "create", "--principal", "User:a", "--operation", "FLY", "--topic", "t"], "unknown --operation"),
            (["acls", "create", "--principal", "User:a", "--operation", "READ", "--topic", "t", "--group", "g"], "give one of"),
            (["acls", "list", "extra"], "takes no operands"),
            (["acls", "grant"], "unknown action"),
        ] {
            let result = Self.kaffee(arguments + nowhere)
            #expect(result.code == .usage, "\(arguments): \(result.err)")
            #expect(result.err.contains(expected), "\(arguments): \(result.err)")
        }
        #expect(Self.kaffee(["acls", "--help"]).out.contains("--transactional-id"))
    }

    @Test func aclsAreCreatedListedAndDeletedBySuperUsersOnly() throws {
        let broker = try TestBroker(prefix: "kaffee-cli-acls-", saslUsers: ["admin:admin-secret", "alice:alice-secret"],
                                    flags: ["--authorizer", "acl", "--super-users", "User:admin"])
        defer { broker.stop() }
        func login(_ user: String) -> [String] {
            ["--brokers", broker.saslAddress, "--sasl-mechanism", "SCRAM-SHA-256", "--sasl-username", user, "--sasl-password", "\(user)-secret"]
        }
        let created = Self.kaffee(["acls", "create", "--principal", "User:alice", "--operation", "read", "--operation", "describe",
                                   "--topic", "orders.", "--prefixed"] + login("admin"))
        #expect(created.code == .ok, "\(created.err)")
        #expect(created.out == "ALLOW\tUser:alice\tREAD\tTOPIC\torders.\tPREFIXED\t*\nALLOW\tUser:alice\tDESCRIBE\tTOPIC\torders.\tPREFIXED\t*\n")
        #expect(Self.kaffee(["acls", "create", "--principal", "User:*", "--operation", "WRITE", "--deny", "--group", "g"] + login("admin")).code == .ok)
        let listed = Self.kaffee(["acls", "list"] + login("admin"))
        #expect(listed.out.split(separator: "\n").count == 3, "\(listed.out)")
        // MATCH: the ACLs that apply to topic orders.eu (the prefixed ones), not the group's.
        let applying = Self.kaffee(["acls", "list", "--topic", "orders.eu"] + login("admin"))
        #expect(applying.out.split(separator: "\n").count == 2, "\(applying.out)")
        // alice is no super user: listing needs DESCRIBE on the cluster.
        let refused = Self.kaffee(["acls", "list"] + login("alice"))
        #expect(refused.code != .ok)
        #expect(refused.err.contains("clusterAuthorizationFailed"), "\(refused.err)")
        let deleted = Self.kaffee(["acls", "delete", "--topic", "orders.", "--prefixed", "--principal", "User:alice", "--operation", "READ"] + login("admin"))
        #expect(deleted.code == .ok, "\(deleted.err)")
        #expect(deleted.out == "deleted ALLOW\tUser:alice\tREAD\tTOPIC\torders.\tPREFIXED\t*\n")
        #expect(Self.kaffee(["acls", "list"] + login("admin")).out.split(separator: "\n").count == 2)
    }

    /// The repository's Topics/ directory.
    static let topicsDirectory = String(#filePath.dropLast("Tests/KaffeeCLITests/AclsCommandTests.swift".count)) + "Topics"

    @Test func applyGrantsEachServiceWhatItsDeclarationsSay() throws {
        let planned = Self.kaffee(["acls", "apply", Self.topicsDirectory, "--dry-run", "--brokers", "127.0.0.1:1"])
        #expect(planned.code == .ok, "\(planned.err)")
        let lines = Set(planned.out.split(separator: "\n").map(String.init))
        // The barista workers read the brewing queue in their shared group, write results and dead letters.
        for expected in ["ALLOW\tUser:barista-worker\tREAD\tTOPIC\tcoffee.brew-queue\tLITERAL\t*",
                         "ALLOW\tUser:barista-worker\tREAD\tGROUP\tbarista-workers\tLITERAL\t*",
                         "ALLOW\tUser:barista-worker\tWRITE\tTOPIC\tcoffee.brew-results\tLITERAL\t*",
                         "ALLOW\tUser:order-service\tWRITE\tTOPIC\tcoffee.orders\tLITERAL\t*",
                         "ALLOW\tUser:notification-service\tREAD\tTOPIC\tcoffee.members\tLITERAL\t*"] {
            #expect(lines.contains(expected), "\(expected)")
        }
        // Nothing beyond the declarations: order-service never reads coffee.orders, nobody reads the DLQ.
        #expect(!lines.contains { $0.contains("User:order-service\tREAD\tTOPIC\tcoffee.orders") })
        #expect(!lines.contains { $0.contains("READ\tTOPIC\tcoffee.dlq") })
        #expect(lines.count == 44)

        // Against a broker: created once, and applying again changes nothing.
        let broker = try TestBroker(prefix: "kaffee-cli-acls-apply-", saslUsers: ["admin:admin-secret"],
                                    flags: ["--authorizer", "acl", "--super-users", "User:admin"])
        defer { broker.stop() }
        let admin = ["--brokers", broker.saslAddress, "--sasl-mechanism", "PLAIN", "--sasl-username", "admin", "--sasl-password", "admin-secret"]
        #expect(Self.kaffee(["acls", "apply", Self.topicsDirectory] + admin).code == .ok)
        #expect(Self.kaffee(["acls", "apply", Self.topicsDirectory] + admin).code == .ok)
        #expect(Self.kaffee(["acls", "list"] + admin).out.split(separator: "\n").count == 44)
        #expect(Self.kaffee(["acls", "apply", "/nonexistent", "--dry-run"]).code == .usage)
    }

    @Test func withoutAnAuthorizerTheBrokerSaysSo() throws {
        let broker = try TestBroker(prefix: "kaffee-cli-noacl-")
        defer { broker.stop() }
        let result = Self.kaffee(["acls", "list", "--brokers", broker.address])
        #expect(result.code != .ok)
        #expect(result.err.contains("securityDisabled"), "\(result.err)")
    }
}
