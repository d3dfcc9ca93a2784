import Broker
import TopicCatalog

/// `--service-acls`: the least-privilege ACLs `ServiceAcls` derives from a `Topics/` directory,
/// stored at start (those already present stay once, so every start may do it). Stateless.
enum ServiceAclGrants {
    /// Adds the grants of the declarations in `directory` to `acls`; returns how many there are.
    static func apply(directory: String, to acls: AclStore) throws -> Int {
        let bindings = ServiceAcls.grants(for: try TopicDeclaration.load(directory: directory)).compactMap { grant -> AclBinding? in
            guard let operation = AclOperation(name: grant.operation) else { return nil }
            return AclBinding(resourceType: grant.resourceType == .topic ? .topic : .group, name: grant.resourceName,
                              principal: "User:\(grant.principal)", operation: operation)
        }
        try acls.add(bindings)
        return bindings.count
    }
}
