/// The state of a classic consumer group, as the coordinator names it. A value type; `Sendable`.
public enum GroupState: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// No members; may still hold committed offsets.
    case empty
    /// Collecting JoinGroup requests for the next generation.
    case preparingRebalance
    /// Waiting for the leader's assignment.
    case completingRebalance
    /// Every member has its assignment.
    case stable
    /// The group does not exist (or was just deleted).
    case dead
    /// A state name this client does not know.
    case unknown(String)

    /// Parses a wire state name (`Empty`, `Stable`, ...).
    public init(name: String) {
        switch name {
        case "Empty": self = .empty
        case "PreparingRebalance": self = .preparingRebalance
        case "CompletingRebalance": self = .completingRebalance
        case "Stable": self = .stable
        case "Dead": self = .dead
        default: self = .unknown(name)
        }
    }

    /// The wire name, e.g. `Stable`.
    public var description: String {
        switch self {
        case .empty: "Empty"
        case .preparingRebalance: "PreparingRebalance"
        case .completingRebalance: "CompletingRebalance"
        case .stable: "Stable"
        case .dead: "Dead"
        case .unknown(let name): name
        }
    }
}
