@testable import Broker
import KafkaProtocol
import LogStorage
import SystemIO
import Testing

/// CreateAcls, DescribeAcls and DeleteAcls through encoded frames at several versions, their
/// refusals, and the ACL file across restarts.
@Suite struct AclApiTests {
    typealias Creation = CreateAclsRequest.AclCreation
    typealias DeleteFilter = DeleteAclsRequest.DeleteAclsFilter

    /// A broker with the authorizer on; the harness's requests come from ANONYMOUS, so it is a
    /// super user unless a test says otherwise.
    static func harness(superUsers: [KafkaPrincipal] = [.anonymous], fileSystem: MemoryFileSystem = MemoryFileSystem()) throws -> BrokerHarness {
        try BrokerHarness(configure: { config in
            config.aclAuthorizer = true
            config.superUsers = superUsers
        }, fileSystem: fileSystem)
    }

    static func creation(_ name: String, _ operation: AclOperation, type: AclResourceType = .topic, pattern: AclPatternType = .literal,
                         principal: String = "User:alice", host: String = "*", permission: AclPermissionType = .allow) -> Creation {
        Creation(resourceType: type.rawValue, resourceName: name, resourcePatternType: pattern.rawValue, principal: principal,
                 host: host, operation: operation.rawValue, permissionType: permission.rawValue)
    }

    static func describeAll(patternType: AclPatternType = .any) -> DescribeAclsRequest {
        DescribeAclsRequest(resourceTypeFilter: AclResourceType.any.rawValue, resourceNameFilter: nil, patternTypeFilter: patternType.rawValue,
                            principalFilter: nil, hostFilter: nil, operation: AclOperation.any.rawValue,
                            permissionType: AclPermissionType.any.rawValue)
    }

    @Test func withoutAnAuthorizerTheApisAnswerSecurityDisabled() throws {
        var harness = try BrokerHarness()
        for version: Int16 in [0, 3] {
            let created = try harness.send(CreateAclsRequest(creations: [Self.creation("t", .read)]), version: version)
            #expect(created.results.map(\.errorCode) == [.securityDisabled])
            #expect(created.results.first?.errorMessage == "No Authorizer is configured.")
            let described = try harness.send(Self.describeAll(patternType: .literal), version: version)
            #expect(described.errorCode == .securityDisabled && described.errorMessage == "No Authorizer is configured on the broker")
            let deleted = try harness.send(DeleteAclsRequest(filters: [DeleteFilter(resourceTypeFilter: 1, resourceNameFilter: nil,
                patternTypeFilter: 3, principalFilter: nil, hostFilter: nil, operation: 1, permissionType: 1)]), version: version)
            #expect(deleted.filterResults.map(\.errorCode) == [.securityDisabled])
        }
    }

    @Test(arguments: [Int16(1), 2, 3]) func createDescribeDeleteAtEachVersion(version: Int16) throws {
        var harness = try Self.harness()
        let created = try harness.send(CreateAclsRequest(creations: [
            Self.creation("orders", .read),
            Self.creation("orders", .write, principal: "User:bob", host: "10.0.0.1", permission: .deny),
            Self.creation("ord", .describe, pattern: .prefixed),
            Self.creation("g", .all, type: .group),
            Self.creation("orders", .read),  // the same binding again: success, stored once
            Self.creation("x", .read, type: .any),
            Self.creation("x", .read, pattern: .match),
            Self.creation("x", .read, principal: "alice"),
            Self.creation("other", .alter, type: .cluster),
            Self.creation("", .read),
            Self.creation("x", .any),
            Self.creation("x", .read, permission: .any),
        ]), version: version)
        #expect(created.results.map(\.errorCode) == [ErrorCode.none, .none, .none, .none, .none] + Array(repeating: ErrorCode.invalidRequest, count: 7))
        #expect(created.results[5].errorMessage == "Invalid resourceType ANY")
        #expect(created.results[6].errorMessage == "Invalid patternType MATCH")
        #expect(created.results[7].errorMessage?.hasPrefix("Could not parse principal from `alice`") == true)
        #expect(created.results[8].errorMessage == "The only valid name for the CLUSTER resource is kafka-cluster")
        #expect(harness.broker.authorizer?.acls.all.count == 4)

        let all = try harness.send(Self.describeAll(), version: version)
        #expect(all.errorCode == .none)
        #expect(all.resources.map(\.resourceName) == ["orders", "ord", "g"])
        #expect(all.resources.map(\.patternType) == [3, 4, 3])
        #expect(all.resources[0].acls.map(\.principal) == ["User:alice", "User:bob"])
        #expect(all.resources[0].acls[1] == .init(principal: "User:bob", host: "10.0.0.1", operation: 4, permissionType: 2))

        // MATCH: everything that applies to the topic "orders".
        var match = Self.describeAll(patternType: .match)
        match.resourceTypeFilter = AclResourceType.topic.rawValue
        match.resourceNameFilter = "orders"
        let applying = try harness.send(match, version: version)
        #expect(applying.resources.map(\.resourceName) == ["orders", "ord"])

        var unknown = Self.describeAll()
        unknown.operation = 0
        #expect(try harness.send(unknown, version: version).errorCode == .invalidRequest)

        let deleted = try harness.send(DeleteAclsRequest(filters: [
            DeleteFilter(resourceTypeFilter: AclResourceType.topic.rawValue, resourceNameFilter: nil, patternTypeFilter: AclPatternType.prefixed.rawValue,
                         principalFilter: nil, hostFilter: nil, operation: 1, permissionType: 1),
            DeleteFilter(resourceTypeFilter: 1, resourceNameFilter: nil, patternTypeFilter: 1, principalFilter: "User:bob",
                         hostFilter: nil, operation: 1, permissionType: 1),
            DeleteFilter(resourceTypeFilter: 0, resourceNameFilter: nil, patternTypeFilter: 1, principalFilter: nil,
                         hostFilter: nil, operation: 1, permissionType: 1),
        ]), version: version)
        #expect(deleted.filterResults.map(\.errorCode) == [.none, .none, .invalidRequest])
        #expect(deleted.filterResults[0].matchingAcls.map(\.resourceName) == ["ord"])
        #expect(deleted.filterResults[0].matchingAcls.first?.patternType == 4)
        #expect(deleted.filterResults[1].matchingAcls.map(\.principal) == ["User:bob"])
        #expect(try harness.send(Self.describeAll(), version: version).resources.map(\.resourceName) == ["orders", "g"])
    }

    @Test func versionZeroIsLiteralOnly() throws {
        var harness = try Self.harness()
        // v0 carries no pattern type: the creation is LITERAL whatever the value says.
        let created = try harness.send(CreateAclsRequest(creations: [Self.creation("ord", .read, pattern: .prefixed)]), version: 0)
        #expect(created.results.map(\.errorCode) == [.none])
        #expect(harness.broker.authorizer?.acls.all.map(\.patternType) == [.literal])
        _ = try harness.send(CreateAclsRequest(creations: [Self.creation("pay", .read, pattern: .prefixed)]), version: 1)
        let described = try harness.send(Self.describeAll(), version: 0)
        #expect(described.resources.map(\.resourceName) == ["ord"])
        let deleted = try harness.send(DeleteAclsRequest(filters: [DeleteFilter(resourceTypeFilter: 1, resourceNameFilter: nil,
            patternTypeFilter: 4, principalFilter: nil, hostFilter: nil, operation: 1, permissionType: 1)]), version: 0)
        #expect(deleted.filterResults.first?.matchingAcls.map(\.resourceName) == ["ord"])
        #expect(harness.broker.authorizer?.acls.all.map(\.name) == ["pay"])
    }

    @Test func theAclApisNeedClusterPermissions() throws {
        var harness = try Self.harness(superUsers: [])
        let created = try harness.send(CreateAclsRequest(creations: [Self.creation("t", .read)]), version: 2)
        #expect(created.results.map(\.errorCode) == [.clusterAuthorizationFailed])
        #expect(try harness.send(Self.describeAll(), version: 2).errorCode == .clusterAuthorizationFailed)
        // An ACL granting ANONYMOUS ALTER on the cluster lets it create, and DESCRIBE by implication.
        try harness.broker.authorizer?.acls.add([AclBinding(resourceType: .cluster, name: "kafka-cluster", principal: "User:ANONYMOUS",
                                                            operation: .alter)])
        #expect(try harness.send(CreateAclsRequest(creations: [Self.creation("t", .read)]), version: 2).results.map(\.errorCode) == [.none])
        #expect(try harness.send(Self.describeAll(), version: 2).resources.count == 2)
    }

    @Test func aclsSurviveARestart() throws {
        let fileSystem = MemoryFileSystem()
        var harness = try Self.harness(fileSystem: fileSystem)
        let odd = Self.creation("tx 100%\nnew", .write, type: .transactionalId, pattern: .prefixed, principal: "User:a b:c", host: "::1", permission: .deny)
        _ = try harness.send(CreateAclsRequest(creations: [Self.creation("orders", .read), odd]), version: 3)
        let before = harness.broker.authorizer?.acls.all
        try harness.broker.close()
        try harness.store.close()
        var reopened = try Self.harness(fileSystem: fileSystem)
        #expect(reopened.broker.authorizer?.acls.all == before)
        #expect(before?.count == 2)
        let described = try reopened.send(Self.describeAll(), version: 3)
        #expect(described.resources.map(\.resourceName) == ["orders", "tx 100%\nnew"])
        #expect(described.resources[1].acls.first?.principal == "User:a b:c")
        // A deletion is durable too.
        _ = try reopened.send(DeleteAclsRequest(filters: [DeleteFilter(resourceTypeFilter: 2, resourceNameFilter: "orders",
            patternTypeFilter: 3, principalFilter: nil, hostFilter: nil, operation: 1, permissionType: 1)]), version: 3)
        try reopened.broker.close()
        try reopened.store.close()
        let third = try Self.harness(fileSystem: fileSystem)
        #expect(third.broker.authorizer?.acls.all.map(\.name) == ["tx 100%\nnew"])
    }

    @Test func aDamagedAclFileStopsTheStartWithAClearError() throws {
        let damaged = [
            "version 2\n",
            "version 1\nacl TOPIC LITERAL orders User:alice * READ\n",
            "version 1\nacl TOPIC MATCH orders User:alice * READ ALLOW\n",
            "version 1\nacl TOPIC LITERAL orders alice * READ ALLOW\n",
            "version 1\nacl TOPIC LITERAL %zz User:alice * READ ALLOW\n",
        ]
        for text in damaged {
            let fileSystem = MemoryFileSystem()
            let harness = try BrokerHarness(fileSystem: fileSystem)
            try harness.store.writeInternalFile(AclStore.fileName, Array(text.utf8))
            #expect(throws: LogStorageError.self, "\(text)") { _ = try AclStore(store: harness.store) }
            try harness.broker.close()
            try harness.store.close()
            #expect(throws: LogStorageError.self, "\(text)") { _ = try Self.harness(fileSystem: fileSystem) }
        }
        // A well-formed file loads.
        let harness = try BrokerHarness()
        try harness.store.writeInternalFile(AclStore.fileName, Array("version 1\nacl TOPIC LITERAL orders User:alice * READ ALLOW\n".utf8))
        #expect(try AclStore(store: harness.store).all.count == 1)
    }
}
