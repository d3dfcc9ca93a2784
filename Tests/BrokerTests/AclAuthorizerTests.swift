@testable import Broker
import Testing

/// The ACL matcher as a table: each row is the ACLs in force, who asks from where, what on
/// which resource, and Kafka's answer.
@Suite struct AclAuthorizerTests {
    struct Row: CustomStringConvertible, Sendable {
        var why: String
        var acls: [AclBinding]
        var principal = "User:alice"
        var host = "10.0.0.1"
        var operation: AclOperation
        var type: AclResourceType = .topic
        var name = "orders"
        var superUsers: [KafkaPrincipal] = []
        var allowIfNoAcl = false
        var allowed: Bool
        var description: String { why }
    }

    static func allow(_ name: String, _ operation: AclOperation, type: AclResourceType = .topic, pattern: AclPatternType = .literal,
                      principal: String = "User:alice", host: String = "*") -> AclBinding {
        AclBinding(resourceType: type, name: name, patternType: pattern, principal: principal, host: host, operation: operation, permission: .allow)
    }

    static func deny(_ name: String, _ operation: AclOperation, type: AclResourceType = .topic, pattern: AclPatternType = .literal,
                      principal: String = "User:alice", host: String = "*") -> AclBinding {
        AclBinding(resourceType: type, name: name, patternType: pattern, principal: principal, host: host, operation: operation, permission: .deny)
    }

    static let rows: [Row] = [
        Row(why: "literal name allows", acls: [allow("orders", .read)], operation: .read, allowed: true),
        Row(why: "literal name is exact", acls: [allow("orders", .read)], operation: .read, name: "orders2", allowed: false),
        Row(why: "literal * matches every name", acls: [allow("*", .read)], operation: .read, name: "anything", allowed: true),
        Row(why: "* is literal only as the whole name", acls: [allow("ord*", .read)], operation: .read, allowed: false),
        Row(why: "prefixed matches names starting with it", acls: [allow("ord", .read, pattern: .prefixed)], operation: .read, allowed: true),
        Row(why: "prefixed equal to the name matches", acls: [allow("orders", .read, pattern: .prefixed)], operation: .read, allowed: true),
        Row(why: "prefixed does not match shorter names", acls: [allow("orders-eu", .read, pattern: .prefixed)], operation: .read, allowed: false),
        Row(why: "prefixed * is a literal prefix", acls: [allow("*", .read, pattern: .prefixed)], operation: .read, allowed: false),
        Row(why: "another resource type does not apply", acls: [allow("orders", .read, type: .group)], operation: .read, allowed: false),
        Row(why: "another operation does not allow", acls: [allow("orders", .write)], operation: .read, allowed: false),
        Row(why: "another principal does not allow", acls: [allow("orders", .read, principal: "User:bob")], operation: .read, allowed: false),
        Row(why: "User:* matches every user", acls: [allow("orders", .read, principal: "User:*")], operation: .read, allowed: true),
        Row(why: "User:* matches ANONYMOUS", acls: [allow("orders", .read, principal: "User:*")], principal: "User:ANONYMOUS", operation: .read, allowed: true),
        Row(why: "principal types differ", acls: [allow("orders", .read, principal: "Group:alice")], operation: .read, allowed: false),
        Row(why: "the host must match", acls: [allow("orders", .read, host: "10.0.0.2")], operation: .read, allowed: false),
        Row(why: "an exact host matches", acls: [allow("orders", .read, host: "10.0.0.1")], operation: .read, allowed: true),
        Row(why: "deny wins over allow", acls: [allow("orders", .read), deny("orders", .read)], operation: .read, allowed: false),
        Row(why: "a wildcard deny wins over a literal allow",
            acls: [allow("orders", .read), deny("*", .read, principal: "User:*")], operation: .read, allowed: false),
        Row(why: "a prefixed deny wins", acls: [allow("orders", .all), deny("ord", .write, pattern: .prefixed)], operation: .write, allowed: false),
        Row(why: "a deny from another host does not apply",
            acls: [allow("orders", .read), deny("orders", .read, host: "10.9.9.9")], operation: .read, allowed: true),
        Row(why: "a deny of another operation does not apply", acls: [allow("orders", .all), deny("orders", .write)], operation: .read, allowed: true),
        Row(why: "a denied READ does not deny DESCRIBE", acls: [allow("orders", .describe), deny("orders", .read)], operation: .describe, allowed: true),
        Row(why: "deny ALL denies everything", acls: [allow("orders", .read), deny("orders", .all)], operation: .read, allowed: false),
        Row(why: "ALL allows every operation", acls: [allow("orders", .all)], operation: .alterConfigs, allowed: true),
        Row(why: "READ implies DESCRIBE", acls: [allow("orders", .read)], operation: .describe, allowed: true),
        Row(why: "WRITE implies DESCRIBE", acls: [allow("orders", .write)], operation: .describe, allowed: true),
        Row(why: "DELETE implies DESCRIBE", acls: [allow("orders", .delete)], operation: .describe, allowed: true),
        Row(why: "ALTER implies DESCRIBE", acls: [allow("orders", .alter)], operation: .describe, allowed: true),
        Row(why: "CREATE does not imply DESCRIBE", acls: [allow("orders", .create)], operation: .describe, allowed: false),
        Row(why: "DESCRIBE does not imply READ", acls: [allow("orders", .describe)], operation: .read, allowed: false),
        Row(why: "ALTER_CONFIGS implies DESCRIBE_CONFIGS", acls: [allow("orders", .alterConfigs)], operation: .describeConfigs, allowed: true),
        Row(why: "DESCRIBE_CONFIGS does not imply ALTER_CONFIGS", acls: [allow("orders", .describeConfigs)], operation: .alterConfigs, allowed: false),
        Row(why: "ALTER_CONFIGS does not imply DESCRIBE", acls: [allow("orders", .alterConfigs)], operation: .describe, allowed: false),
        Row(why: "a super user passes without ACLs", acls: [], operation: .write, superUsers: [KafkaPrincipal(name: "alice")], allowed: true),
        Row(why: "a super user passes a deny", acls: [deny("orders", .all)], operation: .write, superUsers: [KafkaPrincipal(name: "alice")], allowed: true),
        Row(why: "another super user does not help", acls: [], operation: .write, superUsers: [KafkaPrincipal(name: "admin")], allowed: false),
        Row(why: "no ACL on the resource: refused by default", acls: [allow("payments", .read)], operation: .read, allowed: false),
        Row(why: "no ACL on the resource: allowed when configured", acls: [allow("payments", .read)], operation: .read, allowIfNoAcl: true, allowed: true),
        Row(why: "an ACL for someone else on the resource: refused even when configured",
            acls: [allow("orders", .read, principal: "User:bob")], operation: .read, allowIfNoAcl: true, allowed: false),
        Row(why: "a deny on the resource: refused even when configured", acls: [deny("orders", .read)], operation: .read, allowIfNoAcl: true, allowed: false),
        Row(why: "cluster resource", acls: [allow("kafka-cluster", .alter, type: .cluster)], operation: .alter, type: .cluster, name: "kafka-cluster", allowed: true),
        Row(why: "ANY is not an operation one performs", acls: [allow("orders", .all)], operation: .any, allowed: false),
    ]

    @Test(arguments: rows) func matches(_ row: Row) throws {
        let store = try AclStore(store: nil)
        try store.add(row.acls)
        let authorizer = AclAuthorizer(acls: store, superUsers: row.superUsers, allowEveryoneIfNoAclFound: row.allowIfNoAcl)
        let principal = try #require(KafkaPrincipal(parsing: row.principal))
        #expect(authorizer.authorize(principal: principal, host: row.host, operation: row.operation,
                                     resourceType: row.type, name: row.name) == row.allowed, "\(row.why)")
    }

    @Test func authorizedOperationsAreTheSupportedOnesAllowed() throws {
        let store = try AclStore(store: nil)
        try store.add([Self.allow("orders", .read), Self.allow("orders", .alterConfigs), Self.deny("orders", .describeConfigs),
                       Self.allow("g", .all, type: .group)])
        let authorizer = AclAuthorizer(acls: store, superUsers: [KafkaPrincipal(name: "root")])
        let alice = KafkaPrincipal(name: "alice")
        #expect(authorizer.authorizedOperations(principal: alice, host: "h", resourceType: .topic, name: "orders")
            == [.read, .describe, .alterConfigs])
        #expect(authorizer.authorizedOperations(principal: alice, host: "h", resourceType: .group, name: "g")
            == AclResourceType.group.supportedOperations)
        #expect(authorizer.authorizedOperations(principal: alice, host: "h", resourceType: .topic, name: "other").isEmpty)
        #expect(authorizer.authorizedOperations(principal: KafkaPrincipal(name: "root"), host: "h", resourceType: .cluster,
                                                name: "kafka-cluster") == AclResourceType.cluster.supportedOperations)
    }
}
