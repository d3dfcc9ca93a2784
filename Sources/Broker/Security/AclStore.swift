public import LogStorage
import Synchronization

/// Every ACL binding, durable in `<data>/internal/acls` (replaced atomically on each change, so
/// a crash leaves the old or the new file, never a mix).
///
/// File format (text): `version 1`, then one line per binding:
/// `acl <resource type> <pattern type> <name> <principal> <host> <operation> <permission>`,
/// the types, operation and permission by Kafka's names (`TOPIC LITERAL ... READ ALLOW`), the
/// name, principal and host percent-encoded (`%` alone is the empty text). A file that does not
/// parse, or holds a binding that could not have been created, fails `init` (the broker does
/// not start rather than run with ACLs missing).
///
/// Thread-safety: a lock guards the bindings; changes are written under it (they are rare).
public final class AclStore: Sendable {
    static let fileName = "acls"

    private let store: LogStore?
    /// In creation order, without duplicates.
    private let bindings: Mutex<[AclBinding]>

    /// Loads the bindings of `store`'s data directory (none when there is no file yet); nil
    /// `store` keeps them in memory only (tests).
    public init(store: LogStore?) throws {
        self.store = store
        var loaded: [AclBinding] = []
        if let store, let bytes = try store.readInternalFile(Self.fileName) {
            guard let parsed = Self.parse(bytes) else {
                throw LogStorageError.corrupt(path: "\(store.dataDirectory)/internal/\(Self.fileName)", position: 0,
                                              reason: "unreadable ACLs")
            }
            loaded = parsed
        }
        bindings = Mutex(loaded)
    }

    /// Every binding, in creation order.
    public var all: [AclBinding] { bindings.withLock { $0 } }

    /// The bindings `filter` matches, in creation order.
    public func matching(_ filter: AclFilter) -> [AclBinding] {
        bindings.withLock { $0.filter(filter.matches) }
    }

    /// Adds `new` (valid bindings; those already present stay once) and persists; on a write
    /// failure nothing changes and the error is thrown.
    public func add(_ new: [AclBinding]) throws {
        try bindings.withLock { current in
            var next = current
            for binding in new where !next.contains(binding) { next.append(binding) }
            guard next != current else { return }
            if let store { try store.writeInternalFile(Self.fileName, Self.serialize(next)) }
            current = next
        }
    }

    /// Removes the bindings each filter matches, all in one write, and returns them per filter
    /// (a binding two filters match is listed under both, as Kafka does). On a write failure
    /// nothing changes and the error is thrown.
    public func remove(_ filters: [AclFilter]) throws -> [[AclBinding]] {
        try bindings.withLock { current in
            let removed = filters.map { filter in current.filter(filter.matches) }
            let gone = Set(removed.joined())
            guard !gone.isEmpty else { return removed }
            let next = current.filter { !gone.contains($0) }
            if let store { try store.writeInternalFile(Self.fileName, Self.serialize(next)) }
            current = next
            return removed
        }
    }

    static func serialize(_ bindings: [AclBinding]) -> [UInt8] {
        var text = "version 1\n"
        for binding in bindings {
            text += "acl \(binding.resourceType) \(binding.patternType) \(DynamicConfigs.escape(binding.name)) "
                + "\(DynamicConfigs.escape(binding.principal)) \(DynamicConfigs.escape(binding.host)) "
                + "\(binding.operation) \(binding.permission)\n"
        }
        return Array(text.utf8)
    }

    static func parse(_ bytes: [UInt8]) -> [AclBinding]? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        var lines = text.split(separator: "\n").makeIterator()
        guard lines.next() == "version 1" else { return nil }
        var all: [AclBinding] = []
        while let line = lines.next() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 8, fields[0] == "acl",
                  let resourceType = AclResourceType(name: fields[1]), let patternType = AclPatternType(name: fields[2]),
                  let name = DynamicConfigs.unescape(fields[3]), let principal = DynamicConfigs.unescape(fields[4]),
                  let host = DynamicConfigs.unescape(fields[5]),
                  let operation = AclOperation(name: fields[6]), let permission = AclPermissionType(name: fields[7])
            else { return nil }
            let binding = AclBinding(resourceType: resourceType, name: name, patternType: patternType, principal: principal,
                                     host: host, operation: operation, permission: permission)
            guard binding.validationError == nil else { return nil }
            if !all.contains(binding) { all.append(binding) }
        }
        return all
    }
}
