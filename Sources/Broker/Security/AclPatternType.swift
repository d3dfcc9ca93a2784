/// How an ACL's resource name applies (Kafka's `PatternType`, wire codes as int8). Bindings are
/// `literal` or `prefixed`; `any` and `match` exist for filters only; `unknown` stands for codes
/// this broker does not know.
public enum AclPatternType: Int8, Sendable, CaseIterable, CustomStringConvertible {
    case unknown = 0
    /// Filters: bindings of any pattern type whose name equals the filter's.
    case any = 1
    /// Filters: every binding that applies to the filter's name (equal literal, the `*`
    /// literal, or a prefix of it).
    case match = 2
    /// The name is the resource's name, or `*` for every resource of the type.
    case literal = 3
    /// The name is a prefix of the resources' names.
    case prefixed = 4

    /// The pattern type of a wire code; unknown codes are `unknown`.
    public init(code: Int8) { self = Self(rawValue: code) ?? .unknown }

    public var description: String {
        switch self {
        case .unknown: "UNKNOWN"
        case .any: "ANY"
        case .match: "MATCH"
        case .literal: "LITERAL"
        case .prefixed: "PREFIXED"
        }
    }

    public init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = found
    }
}
