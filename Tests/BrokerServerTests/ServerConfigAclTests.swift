import Broker
import BrokerServer
import Testing

/// `--authorizer`, `--super-users` and `--allow-everyone-if-no-acl-found`.
@Suite struct ServerConfigAclTests {
    func parse(_ arguments: [String], environment: [String: String] = [:]) -> ServerConfig.Parsed {
        ServerConfig.parse(arguments: arguments, environment: { environment[$0] })
    }

    @Test func authorizationIsOffByDefault() {
        guard case .run(let config) = parse([]) else { Issue.record("no flags must run"); return }
        #expect(!config.aclAuthorizer && config.superUsers.isEmpty && !config.allowEveryoneIfNoAclFound)
    }

    @Test func theFlagsAndTheirEnvironmentVariablesParse() {
        guard case .run(let flags) = parse(["--authorizer", "acl", "--super-users", "User:admin; User:ops team",
                                            "--allow-everyone-if-no-acl-found", "true"]) else {
            Issue.record("flags must parse"); return
        }
        #expect(flags.aclAuthorizer && flags.allowEveryoneIfNoAclFound)
        #expect(flags.superUsers == [KafkaPrincipal(name: "admin"), KafkaPrincipal(name: "ops team")])
        let environment = ["KAFFEE_AUTHORIZER": "acl", "KAFFEE_SUPER_USERS": "User:ANONYMOUS",
                           "KAFFEE_ALLOW_EVERYONE_IF_NO_ACL_FOUND": "false"]
        guard case .run(let fromEnv) = parse([], environment: environment) else { Issue.record("env must parse"); return }
        #expect(fromEnv.aclAuthorizer && !fromEnv.allowEveryoneIfNoAclFound && fromEnv.superUsers == [.anonymous])
        guard case .run(let none) = parse(["--authorizer=none"], environment: environment) else { Issue.record("none must parse"); return }
        #expect(!none.aclAuthorizer)
    }

    @Test func badValuesAreRefusedClearly() {
        let cases: [([String], String)] = [
            (["--authorizer", "kafka.security.authorizer.AclAuthorizer"], "--authorizer: expected acl or none, got \"kafka.security.authorizer.AclAuthorizer\""),
            (["--authorizer", "ACL"], "--authorizer: expected acl or none, got \"ACL\""),
            (["--super-users", "admin"], "--super-users: expected principals like User:name separated by ';', got \"admin\""),
            (["--super-users", "User:a,User:b;ops"], "--super-users: expected principals like User:name separated by ';', got \"ops\""),
            (["--allow-everyone-if-no-acl-found", "maybe"], "--allow-everyone-if-no-acl-found: expected true or false, got \"maybe\""),
        ]
        for (arguments, expected) in cases {
            guard case .error(let message) = parse(arguments) else { Issue.record("\(arguments) must fail"); continue }
            #expect(message == expected)
        }
        guard case .error(let message) = parse([], environment: ["KAFFEE_AUTHORIZER": "yes"]) else { Issue.record("bad env must fail"); return }
        #expect(message == "KAFFEE_AUTHORIZER: expected acl or none, got \"yes\"")
    }
}
