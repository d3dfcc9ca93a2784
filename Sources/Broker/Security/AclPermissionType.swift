/// Whether an ACL allows or denies (Kafka's `AclPermissionType`, wire codes as int8). `any` is
/// for filters only; `unknown` stands for unknown codes.
public enum AclPermissionType: Int8, Sendable, CaseIterable, CustomStringConvertible {
    case unknown = 0
    case any = 1
    case deny = 2
    case allow = 3

    /// The permission of a wire code; unknown codes are `unknown`.
    public init(code: Int8) { self = Self(rawValue: code) ?? .unknown }

    public var description: String {
        switch self {
        case .unknown: "UNKNOWN"
        case .any: "ANY"
        case .deny: "DENY"
        case .allow: "ALLOW"
        }
    }

    public init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = found
    }
}
