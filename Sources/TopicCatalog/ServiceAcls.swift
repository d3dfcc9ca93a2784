/// The least-privilege ACLs of the services a `Topics/` directory declares (`kaffee acls
/// apply`): each service logs in as the user named after it and may do exactly what the
/// declarations say it does. Stateless.
///
/// Per topic, for each producer: WRITE and DESCRIBE on the topic (WRITE on a topic also lets
/// an idempotent producer get its producer id, as in Kafka 4). For each consumer: READ and
/// DESCRIBE on the topic, and on its group (`TopicDeclaration.group(of:)`) READ (join, commit,
/// share-fetch; DESCRIBE follows) plus DESCRIBE_CONFIGS and ALTER_CONFIGS (the services set
/// their group's session timeout, the barista workers their share group's record lock).
public enum ServiceAcls {
    /// One ACL to create: ALLOW `User:<principal>` `operation` on a LITERAL resource, from any host.
    public struct Grant: Sendable, Hashable, Comparable, CustomStringConvertible {
        public enum ResourceType: String, Sendable, Hashable { case topic, group }
        public var principal: String
        public var operation: String
        public var resourceType: ResourceType
        public var resourceName: String

        public static func < (a: Grant, b: Grant) -> Bool {
            (a.principal, a.resourceType.rawValue, a.resourceName, a.operation) < (b.principal, b.resourceType.rawValue, b.resourceName, b.operation)
        }

        public var description: String { "User:\(principal) \(operation) \(resourceType.rawValue.uppercased()) \(resourceName)" }
    }

    /// Every grant the declarations imply, sorted, without repeats.
    public static func grants(for declarations: [TopicDeclaration]) -> [Grant] {
        var grants = Set<Grant>()
        for topic in declarations {
            for producer in topic.producers {
                for operation in ["WRITE", "DESCRIBE"] {
                    grants.insert(Grant(principal: producer, operation: operation, resourceType: .topic, resourceName: topic.name))
                }
            }
            for consumer in topic.consumers {
                for operation in ["READ", "DESCRIBE"] {
                    grants.insert(Grant(principal: consumer, operation: operation, resourceType: .topic, resourceName: topic.name))
                }
                for operation in ["READ", "DESCRIBE_CONFIGS", "ALTER_CONFIGS"] {
                    grants.insert(Grant(principal: consumer, operation: operation, resourceType: .group, resourceName: topic.group(of: consumer)))
                }
            }
        }
        return grants.sorted()
    }
}
