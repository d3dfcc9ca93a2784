import Broker
import BrokerServer
import SystemIO
import Testing

/// `--service-acls`: kaffeed grants the services of `--topics` their ACLs at start.
@Suite struct ServiceAclsAtStartTests {
    static let topics = String(#filePath.dropLast("Tests/BrokerServerTests/ServiceAclsAtStartTests.swift".count)) + "Topics"

    @Test func theDeclaredServicesGetTheirAclsOnceEvenOverRestarts() throws {
        let dir = try FileSystemCalls.makeTemporaryDirectory(prefix: "kaffee-service-acls-")
        defer { try? FileSystemCalls.removeTree(dir) }
        guard case .run(var config) = ServerConfig.parse(arguments: ["--listeners", "PLAINTEXT://127.0.0.1:0", "--topics", Self.topics, "--authorizer", "acl",
                                                                     "--service-acls", "true"], environment: { _ in nil }) else {
            Issue.record("flags"); return
        }
        config.dataDirectory = dir
        for _ in 0..<2 {
            let server = try BrokerServer(config: config, logger: .silent)
            let acls = try #require(server.broker.authorizer).acls
            #expect(acls.matching(AclFilter.all).count == 44)
            let worker = acls.matching(AclFilter.all).filter { $0.principal == "User:barista-worker" && $0.resourceType == .group }
            #expect(Set(worker.map(\.name)) == ["barista-workers"])
            try server.shutdown()
        }
        guard case .error(let message) = ServerConfig.parse(arguments: ["--service-acls", "true"], environment: { _ in nil }) else {
            Issue.record("--service-acls without --topics accepted"); return
        }
        #expect(message.contains("needs --topics DIR and --authorizer acl"))
    }
}
